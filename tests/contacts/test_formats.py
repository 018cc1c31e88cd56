"""PGP fingerprints and phone numbers: what is accepted, how it is stored and shown, and the
sentence that refuses the rest."""

import pytest

from portal.contacts.formats import (
    clean_fingerprint,
    clean_phone,
    fingerprint_version,
    grouped_fingerprint,
    readable_phone,
)

V4 = "7F3A 9C21 0B4E 5D6F 8A1B  2C3D 4E5F 6071 8293 A4B5"
V5 = "19347BC9872464025F99DF3EC2E0000ED9884892E1F7B3EA4C94009159569B54"


@pytest.mark.parametrize(
    ("typed", "stored", "version"),
    [
        (V4, V4.replace(" ", ""), 4),
        (V4.lower(), V4.replace(" ", ""), 4),
        (" ".join(V5[i : i + 4] for i in range(0, 64, 4)), V5, 6),
        (V5.lower(), V5, 6),
        ("", "", None),
        ("   ", "", None),
    ],
)
def test_v4_and_v5_fingerprints_are_accepted_with_or_without_spaces(typed, stored, version):
    assert clean_fingerprint(typed) == stored
    assert fingerprint_version(stored) == version


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0123456789ABCDEF0123456789ABCDEF", "this one has 32"),  # a v3 (MD5) fingerprint
        (V4.replace(" ", "")[:-1], "this one has 39"),
        (V4.replace(" ", "") + "A", "this one has 41"),
        (V5[:-1], "this one has 63"),
        (V5 + "0", "this one has 65"),
        ("A" * 128, "this one has 128"),
        ("0x" + V4.replace(" ", ""), "only the digits 0–9 and the letters A–F"),
        (V4.replace("7F3A", "7G3A"), "only the digits 0–9 and the letters A–F"),
        (V4.replace(" ", ":"), "only the digits 0–9 and the letters A–F"),
        (V4.replace("7", "\uff17"), "only the digits 0–9 and the letters A–F"),  # full-width 7
        (V4.replace("7", "٧"), "only the digits 0–9 and the letters A–F"),  # Arabic-Indic 7
        (V4 + "\n", "only the digits 0–9 and the letters A–F"),
    ],
)
def test_other_fingerprints_are_refused_with_a_clear_message(words_context, typed, message):
    with pytest.raises(ValueError) as refused:
        clean_fingerprint(typed)
    assert message in str(refused.value.args[0])


def test_a_fingerprint_is_shown_in_groups_of_four():
    assert grouped_fingerprint(V4.replace(" ", "")) == (
        "7F3A 9C21 0B4E 5D6F 8A1B 2C3D 4E5F 6071 8293 A4B5"
    )
    assert len(grouped_fingerprint(V5).split(" ")) == 16


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("+56 2 2486 3850", "+56224863850", "+56 2 2486 3850"),
        ("+56 (9) 6123-4567", "+56961234567", "+56 9 6123 4567"),
        ("+44 20 7946 0321", "+442079460321", "+44 20 7946 0321"),
        ("+57.601.344.3460", "+576013443460", "+57 601 3443460"),
    ],
)
def test_phone_numbers_are_stored_in_e164_and_shown_readable(typed, stored, shown):
    assert clean_phone(typed) == stored
    assert readable_phone(stored) == shown


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2 2486 3850", "starting with + and the country code"),
        ("+56 2 2486 3850 ext. 4", "starting with + and the country code"),
        ("+56 2 2486 3850\r\nBcc: x@evil.example", "starting with + and the country code"),
        ("+" + "9" * 40, "starting with + and the country code"),
        ("+56 2 24", "not a valid phone number"),
        ("+999 1234 5678", "not a valid phone number"),
        ("+５６ ２ ２４８６ ３８５０", "starting with + and the country code"),  # full-width
    ],
)
def test_bad_phone_numbers_are_refused(words_context, typed, message):
    with pytest.raises(ValueError) as refused:
        clean_phone(typed)
    assert message in str(refused.value.args[0])

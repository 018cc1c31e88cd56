"""vCard 4.0 exports, read back with vobject as an address book would."""

import vobject

from portal.contacts.models import Availability
from portal.contacts.vcard import escape_text, fold

V5 = "19347BC9872464025F99DF3EC2E0000ED9884892E1F7B3EA4C94009159569B54"


def _cards(response) -> list:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/vcard; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    text = response.get_data(as_text=True)
    assert all(line.endswith("\r") or not line for line in text.split("\n")[:-1])
    assert all(len(line.encode()) <= 76 for line in text.split("\n"))  # 75 octets and the CR
    return list(vobject.readComponents(text))


def test_one_contact_round_trips_through_vobject(world, session, contact_of, login_as):
    contact = contact_of(
        session,
        world.mou,
        world.gb,
        given_name="Siobhán, Mary",
        family_name="O'Brien; Jr.",
        role="Head, incident response; nights",
        organisation="NCSC; Operations, Tier 1",
        email="siobhan@ncsc.example.uk",
        phone="+442079460321",
        pgp_fingerprint=V5,
        timezone="Europe/London",
    )
    session.commit()
    card = _cards(login_as(world.member_gb).get(f"/contacts/{contact.id}/contact.vcf"))[0]
    assert card.version.value == "4.0"
    assert card.fn.value == "Siobhán, Mary O'Brien; Jr."
    assert card.n.value.family == "O'Brien; Jr."
    assert card.n.value.given == "Siobhán, Mary"
    assert card.org.value == ["Country GB", "NCSC; Operations, Tier 1"]
    assert card.title.value == "Head, incident response; nights"
    assert card.email.value == "siobhan@ncsc.example.uk"
    assert card.tel.value == "tel:+442079460321"
    assert card.tel.params["VALUE"] == ["uri"]
    assert card.key.value == f"openpgp4fpr:{V5}"
    note = card.note.value.split("\n")
    assert note[0] == "CSIRT contact"
    assert "Europe/London" in note[1] and "09:00–17:00" in note[1]
    assert note[2] == "PGP: " + " ".join(V5[i : i + 4] for i in range(0, 64, 4))
    assert card.uid.value == f"urn:uuid:{contact.uid}"


def test_a_party_list_holds_each_of_its_contacts(world, session, contact_of, login_as):
    for n in range(3):
        contact_of(session, world.mou, world.cl, email=f"p{n}@csirt.example.cl")
    contact_of(session, world.mou, world.gb, email="other@ncsc.example.uk")
    contact_of(session, world.mou, world.cl, email="24-7@csirt.example.cl",
               availability=Availability.ALWAYS, office_days="", office_start=None,
               office_end=None, pgp_fingerprint="")  # fmt: skip
    session.commit()
    browser = login_as(world.observer_gb)
    cards = _cards(browser.get(f"/mous/{world.mou.id}/parties/{world.cl.id}/contacts.vcf"))
    emails = sorted(card.email.value for card in cards)
    assert emails == ["24-7@csirt.example.cl", *(f"p{n}@csirt.example.cl" for n in range(3))]
    always = next(card for card in cards if card.email.value.startswith("24-7"))
    assert "24/7" in always.note.value and not hasattr(always, "key")


def test_the_vcard_speaks_the_readers_language(world, session, contact_of, login_as):
    contact = contact_of(session, world.mou, world.cl)
    session.commit()
    card = _cards(login_as(world.member_cl).get(f"/contacts/{contact.id}/contact.vcf"))[0]
    assert card.org.value[0] == "País CL"
    assert card.note.value.startswith("Contacto CSIRT\nDisponibilidad: lunes–viernes 09:00–17:00")


def test_text_values_are_escaped_as_rfc_6350_says():
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    parsed = vobject.readOne(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\n"
        f"NOTE:{escape_text('Línea 1, con coma; y punto y coma' + chr(10) + 'Línea 2')}\r\n"
        "END:VCARD\r\n"
    )
    assert parsed.note.value == "Línea 1, con coma; y punto y coma\nLínea 2"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "NOTE:" + "ñ" * 100 + "x" * 50
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece.removeprefix(" ") for piece in pieces) == line
    card = vobject.readOne(f"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\n{folded}\r\nEND:VCARD\r\n")
    assert card.note.value == "ñ" * 100 + "x" * 50

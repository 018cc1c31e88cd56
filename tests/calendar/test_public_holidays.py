"""The public holidays of Chile, the UK and Colombia in 2026 and 2027, against known dates,
named in the reader's language where the calendar of holidays has it."""

from datetime import date

import pytest

from portal.calendar.public_holidays import (
    holiday_language,
    holidays_between,
    is_known_country,
    is_known_subdivision,
)

KNOWN = {
    # country, region: (date, Spanish name or None, English name or None)
    ("CL", None): [
        (date(2026, 1, 1), "Año Nuevo", "New Year's Day"),
        (date(2026, 9, 18), "Día de la Independencia", "Independence Day"),
        (date(2026, 9, 19), "Día de las Glorias del Ejército", "Army Day"),
        (date(2026, 12, 25), "Navidad", "Christmas Day"),
        (date(2027, 9, 17), "Fiestas Patrias", None),  # Friday before a Saturday 18th
        (date(2027, 9, 18), "Día de la Independencia", "Independence Day"),
        (date(2027, 9, 19), "Día de las Glorias del Ejército", "Army Day"),
    ],
    ("CO", None): [
        (date(2026, 7, 20), "Día de la Independencia", "Independence Day"),
        (date(2026, 8, 7), "Batalla de Boyacá", None),
        (date(2026, 12, 8), "La Inmaculada Concepción", None),
        (date(2027, 7, 20), "Día de la Independencia", "Independence Day"),
        (date(2027, 8, 7), "Batalla de Boyacá", None),
    ],
    ("GB", "ENG"): [
        (date(2026, 4, 3), None, "Good Friday"),
        (date(2026, 4, 6), None, "Easter Monday"),  # England, not Scotland
        (date(2026, 12, 25), None, "Christmas Day"),
        (date(2026, 12, 26), None, "Boxing Day"),
        (date(2026, 12, 28), None, "Boxing Day (observed)"),  # the 26th is a Saturday
        (date(2027, 12, 25), None, "Christmas Day"),
        (date(2027, 12, 27), None, "Christmas Day (observed)"),  # both fall on a weekend
        (date(2027, 12, 28), None, "Boxing Day (observed)"),
    ],
}


@pytest.mark.parametrize("where", list(KNOWN), ids=lambda w: "-".join(filter(None, w)))
def test_known_holidays_of_2026_and_2027(where):
    country, region = where
    spanish = holidays_between(country, region, date(2026, 1, 1), date(2027, 12, 31), "es")
    english = holidays_between(country, region, date(2026, 1, 1), date(2027, 12, 31), "en")
    for day, name_es, name_en in KNOWN[where]:
        assert day in spanish and day in english, day
        if name_es:
            assert spanish[day] == name_es
        if name_en:
            assert english[day] == name_en


def test_working_days_that_are_no_holiday():
    assert date(2026, 9, 17) not in holidays_between("CL", None, *_year(2026), "es")
    assert date(2026, 12, 29) not in holidays_between("GB", "ENG", *_year(2026), "en")
    assert date(2026, 7, 21) not in holidays_between("CO", None, *_year(2026), "es")


def test_regional_holidays_only_where_they_are_kept():
    scotland = holidays_between("GB", "SCT", *_year(2026), "en")
    england = holidays_between("GB", "ENG", *_year(2026), "en")
    assert date(2026, 4, 6) in england and date(2026, 4, 6) not in scotland  # Easter Monday
    assert date(2026, 1, 2) in scotland and date(2026, 1, 2) not in england


def test_names_fall_back_to_the_countrys_language():
    # The UK's holidays have no Spanish names: a Spanish reader gets them in English.
    assert holiday_language("GB", "es") is None
    assert holidays_between("GB", None, *_year(2026), "es")[date(2026, 12, 25)] == "Christmas Day"
    assert holiday_language("CL", "en") == "en_US"


def test_unknown_countries_and_regions():
    assert is_known_country("CL") and is_known_country("IL") and is_known_country("EC")
    assert not is_known_country("XX") and not is_known_country(None)
    assert holidays_between("XX", None, *_year(2026), "en") == {}
    assert is_known_subdivision("GB", "ENG") and not is_known_subdivision("GB", "ZZZ")


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)

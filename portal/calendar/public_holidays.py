"""Public holidays of a country (and optionally a subdivision), from the `holidays` package.

Names come in the reader's language where the package has it for that country ("Fiestas
Patrias" in Spanish, "Independence Day" in English for Chile), else in the country's own.
Only the public holidays (the package's default category) count: bank holidays and
optional observances do not close a delegation's office.
"""

from datetime import date
from functools import cache

import holidays


@cache
def supported_countries() -> dict[str, tuple[str, ...]]:
    """Country code -> its subdivision codes."""
    return {code: tuple(subdivs) for code, subdivs in holidays.list_supported_countries().items()}


def is_known_country(code: str | None) -> bool:
    return bool(code) and code in supported_countries()


def is_known_subdivision(country: str, subdivision: str) -> bool:
    return subdivision in supported_countries().get(country, ())


@cache
def _languages(country: str) -> tuple[str, ...]:
    return tuple(holidays.list_localized_countries().get(country, ()))


def holiday_language(country: str, language: str) -> str | None:
    """The package's language code closest to the reader's ("es", "en" -> "en_US"...), or
    None for the country's default."""
    available = _languages(country)
    if language in available:
        return language
    return next((code for code in available if code.split("_")[0] == language), None)


@cache
def _year(country: str, subdivision: str | None, year: int, language: str | None):
    found = holidays.country_holidays(country, subdiv=subdivision, years=year, language=language)
    return dict(found.items())


def holidays_between(
    country: str | None, subdivision: str | None, first: date, last: date, language: str
) -> dict[date, str]:
    """The public holidays from `first` to `last` (local dates) with their names; none for an
    unknown or missing country."""
    if not is_known_country(country):
        return {}
    if subdivision and not is_known_subdivision(country, subdivision):
        subdivision = None
    chosen = holiday_language(country, language)
    found = {}
    for year in range(first.year, last.year + 1):
        for day, name in _year(country, subdivision or None, year, chosen).items():
            if first <= day <= last:
                found[day] = name
    return dict(sorted(found.items()))

"""Language and time-zone choice, and the template helpers that show text and time."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import (
    DateTimePattern,
    format_skeleton,
    format_time,
    match_skeleton,
    parse_pattern,
)
from flask import current_app, g, has_request_context, request, session
from flask_babel import format_date, format_datetime, get_locale, get_timezone, get_translations
from flask_login import current_user
from markupsafe import Markup

from portal.core import bilingual
from portal.core.clock import day_in, local_clock
from portal.core.kept import HTML_SLOTS
from portal.core.ranges import compact_range

LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def select_locale() -> str | None:
    """The account's language, else the switcher's choice, else the browser's.

    A page reached from a mail link without logging in may name the reader's
    language in `g.preferred_language`.
    """
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated:
        return current_user.language
    chosen = session.get("language") or g.get("preferred_language")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages)


def select_timezone() -> str | None:
    if current_user and current_user.is_authenticated:
        return current_user.timezone
    return None


def reader_today() -> date:
    """Today on the reader's own clock (UTC outside a request, or for nobody logged in): the
    day a form offers and accepts as today, and after which an item due today is overdue.
    UTC's date is tomorrow already on a Santiago evening, and still yesterday after midnight
    in a London summer."""
    zone = select_timezone() if has_request_context() else None
    return day_in(zone or "UTC")


def current_language() -> str:
    return str(get_locale() or "en")


def localized(obj: object, field: str) -> str:
    """A bilingual field (`title_en`/`title_es`) in the reader's language, else the other
    (portal/core/bilingual.py marks which)."""
    return bilingual.text_in(obj, field, current_language())


def lang_attribute(code: str | None) -> Markup:
    """` lang="es"` on text in a language other than the page's (WCAG 3.1.2), such as a
    document's title; nothing for the page's own language or one the portal does not name."""
    if code not in LANGUAGE_NAMES or code == current_language():
        return Markup("")
    return Markup(' lang="{}"').format(code)


def show_datetime(value: datetime | None, zone: str | None = None) -> str:
    """An instant in the given zone (the reader's by default), always naming that zone."""
    if value is None:
        return ""
    if g.get("deferred_times"):
        return _marker("when", value, zone or "")
    clock_zone = zone or select_timezone() or str(get_timezone() or "UTC")
    return _datetime_text(value, clock_zone, current_language())


# A list writes a date on each row: Babel's formatting (locale data, skeleton matching) was
# most of a list's rendering. An instant's text in a zone and language never changes, so it
# is remembered (a pure function's result, not a page's).
@lru_cache(maxsize=16384)
def _datetime_text(value: datetime, zone: str, language: str) -> str:
    local = value.astimezone(ZoneInfo(zone))
    locale, day = skeleton_pattern("yMMMEd", language)
    _, clock_time = skeleton_pattern("Hm", language)
    return f"{day.apply(local, locale)}, {clock_time.apply(local, locale)} ({zone})"


@lru_cache(maxsize=64)
def skeleton_pattern(skeleton: str, language: str) -> tuple[Locale, DateTimePattern]:
    """The locale and pattern Babel's format_skeleton finds for a skeleton, found once (its
    search of the locale's skeletons was most of formatting an instant not seen before)."""
    locale = Locale.parse(language)
    if skeleton not in locale.datetime_skeletons:
        skeleton = match_skeleton(skeleton, locale.datetime_skeletons)
    return locale, parse_pattern(locale.datetime_skeletons[skeleton])


def show_range(start: datetime | None, end: datetime | None, zone: str | None = None) -> str:
    """ "Fri 11 Dec 2026, 10:00–11:30 Santiago": a range on the clock of `zone` (the reader's
    by default), written compactly (portal/core/ranges.py)."""
    if start is None or end is None:
        return ""
    if g.get("deferred_times"):
        return _marker("range", start, f"{end.isoformat()}|{zone or ''}")
    clock_zone = zone or select_timezone() or str(get_timezone())
    return compact_range(start, end, clock_zone, current_language())


def show_date(value: date | None) -> str:
    return format_date(value, "long") if value else ""


def month_title(year: int, month: int) -> str:
    """ "Noviembre de 2026" / "November 2026", as the reader's locale writes a month."""
    return format_skeleton("yMMMM", date(year, month, 1), locale=get_locale()).capitalize()


def weekday_name(day: date) -> str:
    return format_date(day, "EEE")


def clock(value: datetime) -> str:
    """The time of day of an instant in the reader's zone ("14:30")."""
    return format_datetime(value, "HH:mm")


def today_or_tomorrow(instant: datetime, now: datetime, zone: str) -> str:
    """Whether an instant within a day falls "today" or "tomorrow" on the clock of `zone`
    (a reminder sent at 09:00 for 15:00 is today's, whatever its 24 hours ahead)."""
    clock = ZoneInfo(zone)
    same_day = instant.astimezone(clock).date() == now.astimezone(clock).date()
    return "today" if same_day else "tomorrow"


def time_of_day(instant: datetime, zone: str, language: str) -> str:
    """ "15:00": an instant on the clock of `zone`, written for `language` (mails for many)."""
    return format_time(instant, "HH:mm", tzinfo=ZoneInfo(zone), locale=language)


def clocks(instant: datetime, zones: list[str], reference_zone: str | None = None) -> str:
    """ "10:00 Santiago (-03) · 14:00 London (BST)": one instant on several parties' clocks.

    The date is added where it differs from the reference zone's (the reader's by default).
    """
    seen = list(dict.fromkeys(zones))
    if g.get("deferred_times"):
        return _marker("clocks", instant, ",".join(seen))
    if reference_zone is None:
        reference_zone = select_timezone()
    return _clocks_text(instant, seen, current_language(), reference_zone)


def _clocks_text(instant: datetime, zones, language: str, reference_zone: str | None) -> str:
    return " · ".join(local_clock(instant, zone, language, reference_zone) for zone in zones)


# Deferred times --------------------------------------------------------------------------
# A page kept for many readers (portal/meetings/page_cache.py) is rendered with its times
# left as slots (portal/core/kept); each reader's copy shows them in that reader's zone.


def _marker(kind: str, instant: datetime, argument: str) -> Markup:
    return HTML_SLOTS.slot(kind, f"{instant.isoformat()}|{argument}")


@contextmanager
def deferred_times() -> Iterator[None]:
    """Render with times left as slots, filled by deferred_time_fillings."""
    previous = g.get("deferred_times", False)
    g.deferred_times = True
    try:
        yield
    finally:
        g.deferred_times = previous


def deferred_time_fillings() -> dict:
    """The fillings of the time slots, in the current reader's zone and language (read once
    for all the slots of a page)."""
    reader_zone = select_timezone()
    zone = reader_zone or str(get_timezone() or "UTC")
    language = current_language()

    def when(argument: str) -> str:
        iso, _, given = argument.partition("|")
        return _datetime_text(datetime.fromisoformat(iso), given or zone, language)

    def clocks_of(argument: str) -> str:
        iso, _, zones = argument.partition("|")
        # The slot holds the zones once each already (clocks).
        return _clocks_text(datetime.fromisoformat(iso), zones.split(","), language, reader_zone)

    def range_of(argument: str) -> str:
        start, _, rest = argument.partition("|")
        end, _, given = rest.partition("|")
        start_at, end_at = datetime.fromisoformat(start), datetime.fromisoformat(end)
        return compact_range(start_at, end_at, given or zone, language)

    return {"when": when, "clocks": clocks_of, "range": range_of}


def _install_template_gettext(app) -> None:
    """The templates' gettext as Flask-Babel's, with the catalogue found once per locale:
    Flask-Babel's own walks the request's globals some ten times per string (a tenth of a
    page's time where a page says a dozen labels). Its catalogues are kept per locale for
    good too, so this answers the same."""
    by_locale: dict = {}

    def translations():
        locale = get_locale()  # a forced or refreshed locale is a new key
        found = by_locale.get(locale)
        if found is None:
            found = get_translations()
            if locale is not None:
                by_locale[locale] = found
        return found

    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )


def register_template_helpers(app) -> None:
    _install_template_gettext(app)
    app.jinja_env.filters["tr"] = localized
    app.jinja_env.filters["when"] = show_datetime
    app.jinja_env.filters["day"] = show_date
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["clocks"] = clocks
    app.jinja_env.globals["time_range"] = show_range
    app.jinja_env.globals["month_title"] = month_title
    app.jinja_env.filters["weekday_name"] = weekday_name
    app.jinja_env.filters["clock"] = clock
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    app.jinja_env.globals["lang_attribute"] = lang_attribute
    bilingual.register_template_helpers(app)

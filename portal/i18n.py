"""Language and time-zone choice, and the template helpers that show text and time."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, request, session
from flask_babel import format_date, format_datetime, get_locale, get_timezone
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def select_locale() -> str | None:
    """The account's language, else the switcher's choice, else the browser's."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated:
        return current_user.language
    chosen = session.get("language")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages)


def select_timezone() -> str | None:
    if current_user and current_user.is_authenticated:
        return current_user.timezone
    return None


def current_language() -> str:
    return str(get_locale() or "en")


def localized(obj: object, field: str) -> str:
    """A bilingual field (`title_en`/`title_es`) in the reader's language, English as fallback."""
    value = getattr(obj, f"{field}_{current_language()}", None)
    return value or getattr(obj, f"{field}_en")


def show_datetime(value: datetime | None, zone: str | None = None) -> str:
    """An instant in the given zone (the reader's by default), always naming that zone."""
    if value is None:
        return ""
    tz = ZoneInfo(zone) if zone else get_timezone()
    local = value.astimezone(tz)
    return (
        f"{format_datetime(local, 'medium', rebase=False)} ({tz.key if hasattr(tz, 'key') else tz})"
    )


def show_date(value: date | None) -> str:
    return format_date(value, "long") if value else ""


def register_template_helpers(app) -> None:
    app.jinja_env.filters["tr"] = localized
    app.jinja_env.filters["when"] = show_datetime
    app.jinja_env.filters["day"] = show_date
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES

"""A person-readable name for the browser a login came from ("Firefox on Windows")."""

from functools import lru_cache

from flask_babel import gettext as _
from ua_parser import parse

UNKNOWN = "Other"  # ua-parser's family for what it does not recognise


@lru_cache(maxsize=512)
def _families(user_agent: str) -> tuple[str | None, str | None]:
    result = parse(user_agent)
    browser = result.user_agent.family if result.user_agent else None
    system = result.os.family if result.os else None
    return (
        browser if browser != UNKNOWN else None,
        system if system != UNKNOWN else None,
    )


def device_name(user_agent: str | None) -> str:
    browser, system = _families(user_agent or "")
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    return browser or system or _("An unknown browser")

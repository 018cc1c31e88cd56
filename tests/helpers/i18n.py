"""Where the translations live."""

from portal import PROJECT_ROOT

# The Spanish catalogue, the one the translators fill.
CATALOGUE = PROJECT_ROOT / "portal" / "translations" / "es" / "LC_MESSAGES" / "messages.po"

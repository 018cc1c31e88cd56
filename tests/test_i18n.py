"""Spanish and English: a complete catalogue, the language the reader asked for, local dates."""

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask_babel import force_locale

from portal import PROJECT_ROOT
from portal.accounts.models import User
from tests.conftest import csrf_token, login
from tests.helpers.i18n import CATALOGUE

KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
}  # as `make i18n-extract`

SPANISH = "es-CL,es;q=0.9"
ENGLISH = "en-GB"


def _catalogue():
    with CATALOGUE.open("rb") as po:
        return read_po(po, locale="es")


def _source_messages() -> dict[tuple[str, str | None], str]:
    """Every translatable string in the code and templates now: (msgid, context) -> where."""
    with (PROJECT_ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, "babel.cfg")
    found = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        PROJECT_ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault((msgid, context), f"{filename}:{lineno}")
    return found


def _untranslated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not all(s and s.strip() for s in strings)


def test_every_message_in_the_catalogue_has_a_spanish_translation():
    catalogue = _catalogue()
    messages = [m for m in catalogue if m.id]
    assert len(messages) > 100  # the real catalogue was read
    problems = [
        f"{'fuzzy' if m.fuzzy else 'empty'}: {m.id!r}"
        for m in messages
        if m.fuzzy or _untranslated(m)
    ]
    assert problems == [], "\n".join(problems)


def test_spanish_translations_keep_the_placeholders():
    catalogue = _catalogue()
    problems = [
        f"{message.id!r}: {'; '.join(str(e) for e in errors)}"
        for message, errors in catalogue.check()
    ]
    assert problems == [], "\n".join(problems)


def test_every_string_in_the_code_is_in_the_catalogue():
    catalogue = _catalogue()
    in_code = _source_messages()
    assert ("Log in", None) in in_code  # the extraction really read the templates
    assert ("The portal is briefly unavailable", None) in in_code  # ...and lazy strings
    missing = [
        f"{where}: {msgid!r}" + (f" (context {context!r})" if context else "")
        for (msgid, context), where in sorted(in_code.items(), key=lambda item: item[1])
        if catalogue.get(msgid, context=context) is None
    ]
    assert missing == [], "not in messages.po (run make i18n-extract):\n" + "\n".join(missing)


# Which language a reader gets ---------------------------------------------------------


def _login_page(client, accept_language: str) -> str:
    return client.get("/auth/login", headers={"Accept-Language": accept_language}).get_data(
        as_text=True
    )


def _switch(client, language: str, accept_language: str, next_path: str = "/auth/login"):
    """Press a button of the language switcher on the page `next_path`."""
    token = csrf_token(client, next_path)
    response = client.post(
        "/language",
        data={"language": language, "next": next_path, "csrf_token": token},
        headers={"Accept-Language": accept_language},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == next_path
    return response


def test_anonymous_visitor_gets_the_browser_language(client):
    spanish = _login_page(client, SPANISH)
    assert '<html lang="es">' in spanish
    assert "Iniciar sesión" in spanish
    english = _login_page(client, ENGLISH)
    assert '<html lang="en">' in english
    assert "Log in" in english
    assert "Iniciar sesión" not in english


def test_templates_follow_a_locale_forced_within_a_request(app):
    """The templates' gettext finds its catalogue per locale (core.i18n): a mail or calendar
    written in its reader's language inside another reader's request is in theirs."""
    template = app.jinja_env.from_string("{{ _('Documents') }}")
    with app.test_request_context(headers={"Accept-Language": ENGLISH}):
        assert template.render() == "Documents"
        with force_locale("es"):
            assert template.render() == "Documentos"
        assert template.render() == "Documents"


def test_switcher_overrides_the_browser_language_for_the_session(app, client):
    _switch(client, "es", ENGLISH)
    page = _login_page(client, ENGLISH)
    assert '<html lang="es">' in page
    assert "Iniciar sesión" in page
    _switch(client, "en", SPANISH)
    page = _login_page(client, SPANISH)
    assert '<html lang="en">' in page
    assert "Log in" in page
    # Another browser, with no choice made, still follows its Accept-Language.
    assert "Iniciar sesión" in _login_page(app.test_client(), SPANISH)


def test_switcher_refuses_other_languages(client):
    response = _switch(client, "fr", ENGLISH)
    page = client.get(response.headers["Location"], headers={"Accept-Language": ENGLISH})
    assert "Choose English or Spanish." in page.get_data(as_text=True)
    assert '<html lang="en">' in page.get_data(as_text=True)


def test_the_account_language_wins_over_the_browser(world, login_as):
    assert world.member_gb.language == "en"
    browser = login_as(world.member_gb)
    page = browser.get("/", headers={"Accept-Language": SPANISH}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Dashboard" in page
    assert "Log out" in page
    assert "Cerrar sesión" not in page


def test_the_account_language_wins_over_a_choice_made_before_logging_in(app, world):
    browser = app.test_client()
    _switch(browser, "es", SPANISH)
    login(browser, world.member_gb)
    page = browser.get("/", headers={"Accept-Language": SPANISH}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Log out" in page


def test_switching_while_logged_in_changes_the_account_language(app, world, login_as, session):
    browser = login_as(world.member_gb)
    _switch(browser, "es", ENGLISH, next_path="/")
    page = browser.get("/", headers={"Accept-Language": ENGLISH}).get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Cerrar sesión" in page
    user = session.get(User, world.member_gb.id)
    session.refresh(user)
    assert user.language == "es"
    # The choice follows the account to a new login on another browser.
    other = login_as(world.member_gb)
    page = other.get("/", headers={"Accept-Language": ENGLISH}).get_data(as_text=True)
    assert "Cerrar sesión" in page


# Dates in the reader's language -------------------------------------------------------


def test_signing_date_is_written_in_the_readers_language(world, login_as):
    path = f"/mous/{world.mou.id}"
    spanish = login_as(world.member_cl).get(path).get_data(as_text=True)
    english = login_as(world.member_gb).get(path).get_data(as_text=True)
    assert "11 de septiembre de 2019" in spanish
    assert "September 11, 2019" not in spanish
    assert "September 11, 2019" in english
    assert "septiembre" not in english


def test_switching_language_rewrites_the_dates(world, login_as):
    path = f"/mous/{world.mou.id}"
    browser = login_as(world.member_cl)
    assert "11 de septiembre de 2019" in browser.get(path).get_data(as_text=True)
    _switch(browser, "en", SPANISH, next_path=path)
    assert "September 11, 2019" in browser.get(path).get_data(as_text=True)

"""The feature registry: each feature says what it adds to the portal, in one place.

A feature package (`portal/<feature>/__init__.py`) defines its blueprint and a `declare()`
function returning a `Feature`: its blueprints and the view modules that put routes on them,
its CLI commands, reminder jobs, mail categories, navigation entries, dashboard panels, what
needs the reader's attention, calendar and search sources, sections of an MoU's report, public
endpoints, demo data, after-commit tasks and before-request hooks. `create_app` lists the
features once and hands their declarations to `init_features`, which registers them and keeps
them in `app.extensions`; the navigation bar, the dashboard, `flask reminders run`, `flask
seed-demo`, the mail categories and the deny-by-default test read them back through the
readers below.

Why a `declare()` function and not a module-level `feature = Feature(...)`: a declaration
names views, jobs and seeders, which import models, forms and other features. Importing a
feature's models runs its `__init__.py`; if that built the declaration, it would import the
views too, and every import of a model would load half the portal (and loop back to itself).
Inside `declare()` those imports run only when `create_app` calls it, once everything is
importable, and they stay real references that ruff and a failing import check at start-up,
where dotted strings would fail late and silently on a typo. View modules are the one list of
dotted names: they are imported only for the routes they add, so there is nothing to refer to.

The order of the features given to `init_features` is the order of their blueprints, their
before-request hooks, their reminder jobs and their mail categories (the preferences page
lists them in it). Navigation entries, dashboard panels and demo seeders carry their own
order, since their sequence crosses features. This module imports no feature, so any
feature package may import it.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module
from typing import Any

import click
from flask import Blueprint, Flask, current_app
from sqlalchemy.orm import Session

from portal.core.mail_values import Deriver, declare_mail_values
from portal.core.readership import Readership
from portal.web.http import AFTER_COMMIT
from portal.web.sources import CalendarSource, ReportSection, SearchSource

# app.extensions key of the declarations, in the order create_app gave them.
FEATURES = "portal.features"
MAIL_SUBJECTS = "portal.mail_subjects"
# app.extensions key: the sets every feature declares a part of, made on first use.
UNIONS = "portal.declared_unions"
MAIL_KINDS = "portal.mail_kinds"
AUDIT_KINDS = "portal.audit_kinds"
AUDIT_OBJECTS = "portal.audit_objects"

# A reminder job queues what is due at `now` and returns how many mails it queued; it records
# what it sent (portal.core.reminder_log), so running it again queues nothing twice.
ReminderJob = Callable[[Session, datetime], int]
# Who sees a navigation entry: a predicate on the logged-in user. The bar is kept per language
# and account (portal.web.navigation), so it may depend only on the role and the account.
Audience = Callable[[Any], bool]


def everyone(user: Any) -> bool:
    return True


@dataclass(frozen=True)
class NavEntry:
    """A link of the navigation bar, or of one of its menus (`menu`), or the toggle of a
    menu (`opens`: the menu's name; the menu opens without script, and `endpoint` names the
    page it stands for)."""

    endpoint: str
    label: str
    order: int
    visible_to: Audience = everyone
    menu: str | None = None
    opens: str | None = None


@dataclass(frozen=True)
class NavLink:
    """What the bar shows one reader: a link, with the links of its menu when it opens one."""

    endpoint: str
    label: str
    children: tuple["NavLink", ...] = ()


@dataclass(frozen=True)
class DashboardPanel:
    """A section of the dashboard: a template partial and the function giving its context
    for a reader; `order` places it among every feature's panels. A context holding `kept`
    (a hashable value naming all the partial shows besides the language and the reader's
    zone) has its rendering kept under it (portal/main/dashboard.py)."""

    template: str
    context: Callable[[Session, Any], dict]
    order: int


@dataclass(frozen=True)
class AttentionItem:
    """One line of the dashboard's "Needs your attention": how many, said in a sentence
    that names nothing the reader may not open, and a link to where it is done."""

    count: int
    text: str
    url: str


@dataclass(frozen=True)
class Attention:
    """What a feature asks of a reader at the top of the dashboard: `items` gives the lines
    for a reader (none when nothing waits), each counted in a constant number of
    statements, since the dashboard is the most opened page; `order` places them. The lines
    are kept with the reader's dashboard (portal/main/dashboard.py) unless `live`: lines
    counting rows written past the ORM, which raise no generation, are counted every time."""

    items: Callable[[Session, Any], Iterable[AttentionItem]]
    order: int
    live: bool = False


@dataclass(frozen=True)
class PagePanel:
    """A section of another feature's page about one object (a working group's page, an
    MoU's): a template partial, the function giving its context for a reader and that object
    (`context(session, reader, subject)`), and `order` among every feature's panels. What a
    panel shows may depend on who reads: a context holding `kept` (a hashable value naming
    all the partial shows besides the object's id, the language and the reader's zone: rows
    as read, links, the reader's buttons) has its rendering kept under it
    (portal/mous/panels.py); without it the partial is rendered for each reader. A panel
    with `read` (reader, object to a `core.together.Read`, or None when there is nothing to
    read) has its rows read in one statement with the other panels' and given to its context
    (`context(session, reader, subject, rows)`)."""

    template: str
    context: Callable[..., dict]
    order: int
    read: Callable[[Any, Any], Any] | None = None


@dataclass(frozen=True)
class MailCategory:
    """What a person may choose how to receive: the mail kinds starting with `prefixes`."""

    name: str
    label: str
    prefixes: tuple[str, ...]


@dataclass
class DemoData:
    """What the demo seeders share while they run, in their order: the accounts seeder
    fills `parties` and `users` for the others; `report` is printed after the commit."""

    password: str
    totp_secret: str | None = None
    parties: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    report: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DemoSeeder:
    """Adds what is missing of a feature's demo data (loading it twice changes nothing)."""

    order: int
    seed: Callable[[Session, DemoData], None]


@dataclass(frozen=True)
class Feature:
    """Everything a feature adds to the portal. Endpoints are named as Flask names them
    ("meetings.feed"); `public_endpoints` are reachable without logging in (each view is
    also marked @public; the deny-by-default test checks the two agree);
    `external_endpoints` are those an external participant may open besides trainings."""

    name: str
    blueprints: tuple[Blueprint, ...] = ()
    view_modules: tuple[str, ...] = ()
    commands: tuple[click.Command, ...] = ()
    reminder_jobs: tuple[tuple[str, ReminderJob], ...] = ()
    mail_categories: tuple[MailCategory, ...] = ()
    # Mails putting an event in a calendar, moving it or taking it out: always sent.
    calendar_kinds: frozenset[str] = frozenset()
    # Other mails nobody can turn off (losing them locks someone out), by kind or prefix.
    mandatory_kinds: frozenset[str] = frozenset()
    mandatory_prefixes: tuple[str, ...] = ()
    navigation: tuple[NavEntry, ...] = ()
    dashboard_panels: tuple[DashboardPanel, ...] = ()
    attention: tuple[Attention, ...] = ()

    # Sections of the working group's page and of the MoU's page (portal.mous renders them).
    group_panels: tuple[PagePanel, ...] = ()
    mou_panels: tuple[PagePanel, ...] = ()
    # What it adds to the month calendar and the private feed (portal.meetings reads them).
    calendar_sources: tuple[CalendarSource, ...] = ()
    # What the search page finds of this feature (portal.search reads them).
    search_sources: tuple[SearchSource, ...] = ()
    # Its sections of an MoU's implementation report (portal.reports composes them).
    report_sections: tuple[ReportSection, ...] = ()
    public_endpoints: frozenset[str] = frozenset()
    external_endpoints: frozenset[str] = frozenset()
    # The kinds of object its mails name, each with the rule re-checked when a mail is sent.
    mail_subjects: Mapping[str, Readership] = field(default_factory=dict)
    # The kinds of mail it queues, each with what the outbox page calls it (a lazy gettext).
    mail_kinds: Mapping[str, Any] = field(default_factory=dict)
    # Values its mails for many carry as what they are made from, derived when read
    # (portal.core.mail_values): kind -> derive(secret_key, value).
    mail_values: Mapping[str, Deriver] = field(default_factory=dict)
    # Work the outbox worker does before it claims any mail, each `step(session) -> int` (how
    # much it did; it commits its own transactions): rows a request left to write after it.
    outbox_steps: tuple[Callable[[Session], int], ...] = ()
    # The audit log's words for the events this feature records (kind -> label) and for the
    # kinds of object they are about (object type -> label, and the page it links to as
    # (endpoint, argument)); the audit feature reads them, so a new feature touches no other.
    audit_kinds: Mapping[str, Any] = field(default_factory=dict)
    audit_objects: Mapping[str, tuple[Any, tuple[str, str] | None]] = field(default_factory=dict)
    demo: DemoSeeder | None = None
    after_commit: tuple[Callable[[], None], ...] = ()
    before_request: tuple[Callable[[], Any], ...] = ()


def init_features(app: Flask, features: Iterable[Feature]) -> None:
    """Register each feature's routes, hooks and commands on `app` and keep the declarations."""
    features = tuple(features)
    names = [feature.name for feature in features]
    if len(set(names)) != len(names):
        raise ValueError(f"a feature is declared twice: {names}")
    for feature in features:
        for module in feature.view_modules:
            import_module(module)  # its routes land on the blueprint before it is registered
        for blueprint in feature.blueprints:
            app.register_blueprint(blueprint)
        for hook in feature.before_request:
            app.before_request(hook)
        for command in feature.commands:
            app.cli.add_command(command)
    after_commit = app.extensions.setdefault(AFTER_COMMIT, [])
    after_commit.extend(task for feature in features for task in feature.after_commit)
    app.extensions[FEATURES] = features
    app.extensions[MAIL_SUBJECTS] = _collect_once(features, "mail_subjects", "mail subject")
    app.extensions[MAIL_KINDS] = _collect_once(features, "mail_kinds", "mail kind")
    derivers = _collect_once(features, "mail_values", "mail value")
    declare_mail_values(derivers, app.config["SECRET_KEY"])
    app.extensions[AUDIT_KINDS] = _collect_once(features, "audit_kinds", "audit kind")
    app.extensions[AUDIT_OBJECTS] = _collect_once(features, "audit_objects", "audit object")
    app.jinja_env.globals["navigation_entries"] = navigation_entries


# Readers ------------------------------------------------------------------------------------


def features_of(app: Flask) -> tuple[Feature, ...]:
    return app.extensions[FEATURES]


def navigation_entries(user: Any) -> list[NavLink]:
    """The links of the current app's bar `user` may see, in order, each menu with its own."""
    entries = [
        entry
        for feature in features_of(current_app)
        for entry in feature.navigation
        if entry.visible_to(user)
    ]
    return [
        NavLink(entry.endpoint, entry.label, _menu_links(entries, entry.opens))
        for entry in sorted(entries, key=lambda entry: entry.order)
        if entry.menu is None
    ]


def _menu_links(entries: list[NavEntry], menu: str | None) -> tuple[NavLink, ...]:
    if menu is None:
        return ()
    inside = sorted((entry for entry in entries if entry.menu == menu), key=lambda e: e.order)
    return tuple(NavLink(entry.endpoint, entry.label) for entry in inside)


def _in_order(app: Flask, attribute: str) -> list:
    """Every feature's declarations named `attribute`, sorted by their `order`."""
    declared = (item for feature in features_of(app) for item in getattr(feature, attribute))
    return sorted(declared, key=lambda item: item.order)


def dashboard_panels(app: Flask) -> list[DashboardPanel]:
    return _in_order(app, "dashboard_panels")


def attentions(app: Flask) -> list[Attention]:
    return _in_order(app, "attention")


def attention_items(app: Flask, session: Session, reader: Any) -> list[AttentionItem]:
    """Every feature's lines for `reader`, in the declared order."""
    return [
        item
        for attention in _in_order(app, "attention")
        for item in attention.items(session, reader)
    ]


def group_panels(app: Flask) -> list[PagePanel]:
    return _in_order(app, "group_panels")


def mou_panels(app: Flask) -> list[PagePanel]:
    return _in_order(app, "mou_panels")


def calendar_sources(app: Flask) -> list[CalendarSource]:
    return _in_order(app, "calendar_sources")


def search_sources(app: Flask) -> list[SearchSource]:
    return _in_order(app, "search_sources")


def report_sections(app: Flask) -> list[ReportSection]:
    return _in_order(app, "report_sections")


def reminder_jobs(app: Flask) -> list[tuple[str, ReminderJob]]:
    return [job for feature in features_of(app) for job in feature.reminder_jobs]


def outbox_steps(app: Flask) -> list[Callable[[Session], int]]:
    return [step for feature in features_of(app) for step in feature.outbox_steps]


def mail_categories(app: Flask) -> list[MailCategory]:
    return [category for feature in features_of(app) for category in feature.mail_categories]


def _union(app: Flask, attribute: str) -> frozenset[str]:
    """The features' sets named `attribute` in one, made once per app: every mail queued asks
    for the mandatory kinds, and the declarations do not change after start-up."""
    unions = app.extensions.setdefault(UNIONS, {})
    if attribute not in unions:
        unions[attribute] = frozenset().union(*(getattr(f, attribute) for f in features_of(app)))
    return unions[attribute]


def calendar_kinds(app: Flask) -> frozenset[str]:
    return _union(app, "calendar_kinds")


def mandatory_kinds(app: Flask) -> frozenset[str]:
    return _union(app, "mandatory_kinds")


def mandatory_prefixes(app: Flask) -> tuple[str, ...]:
    return tuple(prefix for feature in features_of(app) for prefix in feature.mandatory_prefixes)


def public_endpoints(app: Flask) -> frozenset[str]:
    return _union(app, "public_endpoints")


def external_endpoints(app: Flask) -> frozenset[str]:
    return _union(app, "external_endpoints")


def mail_subjects(app: Flask) -> dict[str, Readership]:
    """Every kind of object a mail may name, with its readership rule."""
    return app.extensions[MAIL_SUBJECTS]


def mail_kind_labels(app: Flask) -> dict[str, Any]:
    """Every kind of mail the portal queues, with its label (a lazy gettext)."""
    return app.extensions[MAIL_KINDS]


def audit_kind_labels(app: Flask) -> dict[str, Any]:
    """The audit event kinds features declare, with their labels (lazy gettext)."""
    return app.extensions[AUDIT_KINDS]


def audit_objects(app: Flask) -> dict[str, tuple[Any, tuple[str, str] | None]]:
    """The kinds of audited object features declare: label, and (endpoint, argument) or None."""
    return app.extensions[AUDIT_OBJECTS]


def _collect_once(features: tuple[Feature, ...], attribute: str, what: str) -> dict:
    """The features' mappings named `attribute` in one; a key declared twice stops the app."""
    collected: dict = {}
    for feature in features:
        for key, value in getattr(feature, attribute).items():
            if key in collected:
                raise ValueError(f"{what} {key!r} is declared twice")
            collected[key] = value
    return collected


def demo_seeders(app: Flask) -> list[DemoSeeder]:
    seeders = [feature.demo for feature in features_of(app) if feature.demo is not None]
    return sorted(seeders, key=lambda seeder: seeder.order)

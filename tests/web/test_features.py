"""The feature registry (portal.web.features): what create_app's features declare, read back."""

from types import SimpleNamespace

import pytest
from flask import Blueprint, Flask

from portal.accounts.models import Role
from portal.core.readership import Readership
from portal.notifications.readable import about
from portal.web.features import (
    Feature,
    NavEntry,
    NavLink,
    dashboard_panels,
    demo_seeders,
    external_endpoints,
    features_of,
    init_features,
    mail_categories,
    mail_subjects,
    navigation_entries,
    public_endpoints,
    reminder_jobs,
    search_sources,
)


def test_external_participants_may_open_exactly_the_declared_endpoints(app):
    """Besides their trainings: their own account and mail choices, nothing of a delegation."""
    assert external_endpoints(app) == {
        "main.index",  # sends them on to their trainings
        "main.set_language_choice",
        "accounts.logout",
        "accounts.profile",
        "accounts.change_password",
        "accounts.two_factor_overview",
        "accounts.two_factor_setup",
        "accounts.renew_recovery_codes",
        "accounts.disable_two_factor",
        "accounts.change_email",
        "accounts.confirm_email_change",
        "accounts.sessions",
        "accounts.end_session",
        "accounts.end_other_sessions",
        "notifications.preferences",
    }


def test_every_declared_endpoint_is_a_route(app):
    routes = {rule.endpoint for rule in app.url_map.iter_rules()}
    navigation = {entry.endpoint for feature in features_of(app) for entry in feature.navigation}
    declared = navigation | public_endpoints(app) | external_endpoints(app)
    assert declared - routes == set()


def test_the_features_are_those_create_app_lists_once(app):
    names = [feature.name for feature in features_of(app)]
    assert names == [
        "main",
        "api",
        "accounts",
        "mous",
        "meetings",
        "actions",
        "polls",
        "commitments",
        "documents",
        "trainings",
        "csirt",
        "contacts",
        "notifications",
        "audit",
        "search",
        "reports",
    ]
    assert {blueprint for feature in features_of(app) for blueprint in feature.blueprints} == set(
        app.blueprints.values()
    ) - {app.blueprints["bootstrap"]}


def test_reminder_jobs_run_in_the_order_they_always_did(app):
    names = [name for name, _ in reminder_jobs(app)]
    assert names == [
        "meetings",
        "due_soon",
        "overdue",
        "weekly_summary",
        "trainings",
        "csirt",
        "contact_verification",
    ]


def test_mail_categories_keep_their_order(app):
    names = [category.name for category in mail_categories(app)]
    assert names == [
        "meetings",
        "minutes",
        "actions",
        "polls",
        "documents",
        "trainings",
        "csirt",
        "contacts",
    ]


def test_dashboard_panels_and_demo_seeders_follow_their_declared_order(app):
    templates = [panel.template for panel in dashboard_panels(app)]
    assert templates == [
        "meetings/_dashboard.html",
        "trainings/_dashboard.html",
        "actions/_dashboard.html",
        "mous/_dashboard_groups.html",
        "mous/_dashboard_mous.html",
    ]
    seeders = [seeder.seed.__module__ for seeder in demo_seeders(app)]
    assert seeders[:2] == ["portal.accounts.demo", "portal.mous.demo"]  # the others need them
    assert len(seeders) == 11


def test_every_kind_of_object_a_mail_names_has_one_features_rule(app):
    """The send-time re-check (SECURITY 14) reads each feature's rule; none may be missing."""
    assert set(mail_subjects(app)) == {
        "action",
        "csirt_bulletin",
        "csirt_bulletin_red",
        "document",
        "document_red",
        "meeting",
        "meeting_former_invitee",
        "mou_contacts",
        "poll",
        "training",
        "working_group",
    }
    with app.app_context(), pytest.raises(ValueError, match="no readership rule"):
        about("minutes", 1)


def test_a_kind_of_mail_subject_declared_by_two_features_stops_the_app():
    rule = Readership(object, lambda readers: (), lambda person, thing: True)
    twice = (
        Feature("one", mail_subjects={"thing": rule}),
        Feature("two", mail_subjects={"thing": rule}),
    )
    with pytest.raises(ValueError, match="declared twice"):
        init_features(Flask(__name__), twice)


def _reader(role: Role) -> SimpleNamespace:
    return SimpleNamespace(
        role=role,
        is_admin=role == Role.ADMINISTRATOR,
        is_coordinator=role == Role.COORDINATOR,
    )


def _bar(app, role: Role) -> list:
    with app.app_context():
        return [
            (link.endpoint, [child.endpoint for child in link.children])
            for link in navigation_entries(_reader(role))
        ]


PARTY_PAGES = [
    ("main.index", []),
    ("mous.mou_list", []),
    ("meetings.month", []),
    ("actions.action_list", []),
    ("documents.landing", []),
    ("trainings.training_list", []),
    ("csirt.bulletin_list", []),
    ("search.search", []),
]


@pytest.mark.parametrize(
    ("role", "extra"),
    [
        (Role.MEMBER, []),
        (Role.OBSERVER, []),
        # A coordinator's pages are in the Administration menu, so the bar fits on one line.
        (
            Role.COORDINATOR,
            [
                (
                    "accounts.invitations",
                    ["commitments.my_follow_up", "accounts.invitations", "audit.events"],
                )
            ],
        ),
        (
            Role.ADMINISTRATOR,
            [
                (
                    "accounts.invitations",
                    [
                        "commitments.my_follow_up",
                        "accounts.parties",
                        "accounts.accounts_list",
                        "accounts.invitations",
                        "audit.events",
                        "notifications.outbox",
                    ],
                ),
            ],
        ),
    ],
)
def test_each_role_sees_its_links_in_order(app, role, extra):
    assert _bar(app, role) == PARTY_PAGES + extra


def test_the_search_page_finds_the_kinds_the_features_declare(app):
    assert [source.kind for source in search_sources(app)] == [
        "document",
        "meeting",
        "agenda_item",
        "minutes",
        "action_item",
        "training",
        "csirt_bulletin",
    ]


def test_an_external_participant_sees_the_dashboard_and_trainings(app):
    assert _bar(app, Role.EXTERNAL) == [("main.index", []), ("trainings.training_list", [])]


def test_a_feature_is_declared_once(app):
    twice = (Feature(name="extra"), Feature(name="extra"))
    with pytest.raises(ValueError, match="declared twice"):
        init_features(app, twice)


def test_a_new_feature_adds_its_routes_hooks_and_entries_in_one_declaration():
    extra = Blueprint("extra", __name__)
    seen = []

    @extra.route("/extra")
    def page():
        return "extra"

    declared = Feature(
        name="extra",
        blueprints=(extra,),
        navigation=(NavEntry("extra.page", "Extra", order=65),),
        before_request=(lambda: seen.append("hook"),),
    )
    bare = Flask(__name__)
    init_features(bare, (declared,))
    assert bare.test_client().get("/extra").get_data(as_text=True) == "extra"
    assert seen == ["hook"]
    with bare.app_context():
        assert navigation_entries(_reader(Role.MEMBER)) == [NavLink("extra.page", "Extra")]

"""The dashboard's "Needs your attention": the counts of every role, their links, the empty
line and the Spanish sentences.

One app and one scenario serve the whole module (they are only read): the scenario holds
something to do for each line, and its decoys (declined, cancelled, over, done, already
approved, restricted to the other party, too old). Counts are read through the declared
lines directly; pages through a client logged in once per person, since a login is a visit
and would move "since your last visit" for the next one.
"""

import re
import shutil
from datetime import timedelta

import pytest
from flask_babel import force_locale
from flask_login import login_user
from sqlalchemy import update
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User, UserSession
from portal.actions import summaries
from portal.actions.models import ActionStatus
from portal.core.db import utcnow
from portal.core.extensions import db
from portal.core.tlp import TLP
from portal.documents.models import Document
from portal.meetings.models import (
    MeetingStatus,
    Minutes,
    MinutesApproval,
    MinutesState,
    Reply,
)
from portal.mous.models import Membership
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.trainings.models import RegistrationStatus, TrainingInvitation, TrainingStatus
from portal.web.features import attention_items, features_of
from tests import factories
from tests.conftest import build_app, empty_postgres, login
from tests.helpers.statements import count_statements, tables_raising, tables_read

NOW = utcnow()
# The module's tests share one scenario: under xdist they run together, on one worker.
pytestmark = pytest.mark.xdist_group("attention")


@pytest.fixture(scope="module")
def app(backend, tmp_path_factory):
    """The module's app, on a database of its own (SQLite) or emptied first (PostgreSQL)."""
    folder = tmp_path_factory.mktemp("attention")
    if backend["name"] == "sqlite":
        shutil.copyfile(backend["template"], folder / "portal.sqlite3")
        url = f"sqlite:///{folder / 'portal.sqlite3'}"
    else:
        url = backend["url"]
    app = build_app(url, folder / "instance")
    if backend["name"] == "postgresql":
        with app.app_context():
            empty_postgres()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def w(app):
    with app.app_context():
        engine = db.engine
    with Session(engine, expire_on_commit=False) as session:
        w = factories.make_world(session)
        _people(session, w)
        _minutes(session, w)
        _meetings(session, w)
        _actions(session, w)
        _trainings(session, w)
        _mails(session)
        session.commit()
        _documents(app, session, w)
        session.commit()
        return w


def _people(session, w):
    w.external_gb = factories.make_user(session, w.gb, Role.EXTERNAL)
    w.returning_gb = factories.make_user(session, w.gb, Role.MEMBER, name="Returning GB")
    for membership in w.group.memberships:
        membership.is_co_chair |= membership.user is w.member_gb
    w.group.memberships.append(Membership(user=w.returning_gb, is_co_chair=False))
    # Their last visit was two days ago: an earlier session, then today's.
    session.add_all(
        [
            UserSession(
                user=w.returning_gb,
                token_hash="a" * 64,
                created_at=NOW - timedelta(days=3),
                last_seen_at=NOW - timedelta(days=2),
                ended_at=NOW - timedelta(days=2),
            ),
            UserSession(user=w.returning_gb, token_hash="b" * 64, created_at=NOW, last_seen_at=NOW),
        ]
    )


def _past_meeting(session, w, days_ago: int):
    return factories.make_meeting(session, w.group, NOW - timedelta(days=days_ago))


def _minutes(session, w):
    """Chile approved the first minutes, the UK only an older revision; nobody the second;
    the third are a draft."""
    first, second, draft = (_past_meeting(session, w, days) for days in (9, 8, 7))
    w.minutes_first, w.minutes_second = first, second
    for meeting, state in ((first, MinutesState.CIRCULATED), (second, MinutesState.CIRCULATED)):
        session.add(Minutes(meeting=meeting, state=state, revision_number=1, body_md="Text"))
    session.add(Minutes(meeting=draft, state=MinutesState.DRAFT, revision_number=1, body_md="T"))
    session.flush()
    for party, approver, revision in ((w.cl, w.coordinator_cl, 1), (w.gb, w.coordinator_gb, 0)):
        session.add(
            MinutesApproval(
                minutes=first.minutes,
                party_id=party.id,
                user_id=approver.id,
                revision_number=revision,
            )
        )


def _meetings(session, w):
    """Javiera has not answered the first and must confirm the second (it moved); Emily
    accepted; the observer was invited too. The cancelled and the past ones ask nothing."""
    invited = [w.member_cl, w.member_gb, w.observer_gb]
    w.meeting_to_answer = factories.make_meeting(
        session, w.group, NOW + timedelta(days=2), invitees=invited
    )
    w.meeting_to_answer.invitees[1].reply = Reply.ACCEPTED
    moved = factories.make_meeting(
        session, w.group, NOW + timedelta(days=3), invitees=[w.member_cl]
    )
    moved.invitees[0].reply, moved.invitees[0].reconfirm = Reply.ACCEPTED, True
    cancelled = MeetingStatus.CANCELLED
    factories.make_meeting(
        session, w.group, NOW + timedelta(days=2), invitees=[w.member_cl], status=cancelled
    )
    factories.make_meeting(session, w.group, NOW - timedelta(days=2), invitees=[w.member_cl])


def _actions(session, w):
    today = NOW.date()
    for owner, days, status in (
        (w.member_cl, -3, ActionStatus.OPEN),
        (w.member_cl, 3, ActionStatus.OPEN),
        (w.member_cl, 20, ActionStatus.OPEN),
        (w.member_cl, -5, ActionStatus.DONE),
        (w.member_gb, -2, ActionStatus.IN_PROGRESS),  # overdue on every clock
    ):
        factories.make_action(
            session, w.group, [owner], today + timedelta(days=days), status=status
        )
    factories.make_action(session, w.group_cl_co, [w.coordinator_co], today - timedelta(days=2))


def _trainings(session, w):
    """Registration closes within the week for the first (externals welcome, the Chilean one
    invited), the third (Javiera has a seat) and the last (Emily cancelled hers)."""

    def training(closes_in: timedelta, **fields):
        closes = NOW + closes_in
        return factories.make_training(
            session, w.mou, closes + timedelta(days=1), registration_closes_at=closes, **fields
        )

    w.training_open = training(timedelta(days=4), allow_external=True)
    session.add(TrainingInvitation(training=w.training_open, email=w.external_cl.email))
    training(timedelta(days=19))
    taken = training(timedelta(days=2))
    factories.make_registration(session, taken, w.member_cl)
    training(timedelta(days=3), status=TrainingStatus.CANCELLED)
    training(-timedelta(hours=1))
    left = training(timedelta(days=2))
    factories.make_registration(session, left, w.member_gb, status=RegistrationStatus.CANCELLED)


def _mails(session):
    for number, status in enumerate((OutboxStatus.FAILED, OutboxStatus.FAILED, OutboxStatus.SENT)):
        session.add(
            OutboxMessage(
                kind="meeting_invitation",
                recipient="someone@example.org",
                subject="Subject",
                body_text="Text",
                body_html="<p>Text</p>",
                message_id=f"<attention-{number}@portal.test>",
                status=status,
            )
        )


def _documents(app, session, w):
    """Today: AMBER, AMBER+STRICT of Chile, RED for Javiera alone, all by Chile's coordinator;
    four days ago an AMBER by the UK coordinator; ten days ago one by Emily."""
    group = w.group
    factories.make_document(app, w.coordinator_cl, w.mou, group, tlp=TLP.AMBER)
    factories.make_document(app, w.coordinator_cl, w.mou, group, tlp=TLP.AMBER_STRICT)
    factories.make_document(
        app, w.coordinator_cl, w.mou, group, tlp=TLP.RED, reader_ids=[w.member_cl.id]
    )
    w.document_uk = factories.make_document(app, w.coordinator_gb, w.mou, group, tlp=TLP.AMBER)
    old = factories.make_document(app, w.member_gb, w.mou, group, tlp=TLP.AMBER)
    for document_id, days in ((w.document_uk, 4), (old, 10)):
        session.execute(
            update(Document)
            .where(Document.id == document_id)
            .values(created_at=NOW - timedelta(days=days))
        )


# What each reader is asked ----------------------------------------------------------------------

FIRST_NUMBER = re.compile(r"\d+")
MEETINGS_2 = "2 meetings wait for your reply"
MEETING_1 = "1 meeting waits for your reply"
EXPECTED = {
    "member_cl": [
        MEETINGS_2,
        "1 of your action items is overdue",
        "1 of your action items is due within 7 days",
        "Registration for 2 trainings closes within 7 days",
        "4 documents were shared with you since your last visit",
    ],
    "member_gb": [  # a co-chair
        "2 sets of minutes wait for your delegation's approval",
        "1 of your action items is overdue",
        "2 action items of the groups you look after are overdue",
        "Registration for 3 trainings closes within 7 days",
        "2 documents were shared with you since your last visit",
    ],
    "coordinator_cl": [  # and co-chair
        "1 set of minutes waits for your delegation's approval",
        "3 action items of the groups you look after are overdue",
        "Registration for 3 trainings closes within 7 days",
        "1 document was shared with you since your last visit",
    ],
    "coordinator_gb": [
        "2 sets of minutes wait for your delegation's approval",
        "2 action items of the groups you look after are overdue",
        "Registration for 3 trainings closes within 7 days",
        "1 document was shared with you since your last visit",
    ],
    "coordinator_co": [
        "1 of your action items is overdue",
        "1 action item of the groups you look after is overdue",
    ],
    "observer_gb": [MEETING_1, "2 documents were shared with you since your last visit"],
    "admin": [
        "3 documents were shared with you since your last visit",
        "2 mails could not be sent",
    ],
    "external_cl": ["Registration for 1 training closes within 7 days"],
    "external_gb": [],
    "returning_gb": [
        "Registration for 3 trainings closes within 7 days",
        "1 document was shared with you since your last visit",
    ],
    "member_cl_outside_group": ["Registration for 3 trainings closes within 7 days"],
    "member_co": [],
}


def _items(app, w, name: str):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        reader = db.session.get(User, getattr(w, name).id)
        login_user(reader)  # as on their dashboard: the days in the links are on their clock
        with force_locale("en"):
            return attention_items(app, db.session, reader)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_reader_is_counted_what_waits_for_them(app, w, name):
    items = _items(app, w, name)

    assert [item.text for item in items] == EXPECTED[name]
    assert [item.count for item in items] == [
        int(FIRST_NUMBER.search(t)[0]) for t in EXPECTED[name]
    ]


def test_each_line_costs_at_most_one_statement(app, w):
    declared = sum(len(feature.attention) for feature in features_of(app))
    with count_statements(app) as statements:
        items = _items(app, w, "member_gb")

    assert items
    # Loading the reader is one statement; each declared line one more, at most.
    assert len(statements) <= 1 + declared


@pytest.fixture(scope="module")
def browsers(app, w):
    """One client per person, logged in once (a login is a visit)."""
    clients = {}

    def browser(name: str):
        if name not in clients:
            clients[name] = app.test_client()
            login(clients[name], getattr(w, name))
        return clients[name]

    return browser


@pytest.mark.parametrize(
    "name", ["member_cl", "member_gb", "coordinator_cl", "observer_gb", "admin", "member_co"]
)
def test_the_dashboard_shows_the_lines_and_each_link_opens(app, w, browsers, name):
    expected_links = [item.url for item in _items(app, w, name)]
    browser = browsers(name)

    page = browser.get("/").get_data(as_text=True)

    for url in expected_links:
        assert f'href="{url.replace("&", "&amp;")}"' in page
        assert browser.get(url).status_code == 200, url


def test_an_external_participant_opens_their_training_from_the_line(app, w, browsers):
    [item] = _items(app, w, "external_cl")

    assert item.url == f"/trainings/{w.training_open.id}"
    assert browsers("external_cl").get(item.url).status_code == 200


def test_with_nothing_waiting_the_dashboard_says_so_in_one_line(w, browsers):
    page = browsers("member_co").get("/").get_data(as_text=True)

    assert "Nada requiere su atención." in page  # Colombia reads Spanish


def test_a_line_in_spanish(w, browsers):
    page = browsers("member_cl").get("/").get_data(as_text=True)

    assert "Requiere su atención" in page
    assert "2 reuniones esperan su respuesta" in page
    assert "Se compartieron con usted 4 documentos desde su última visita" in page


def test_the_links_lead_to_the_first_thing_to_do(app, w):
    replies, *_ = _items(app, w, "member_cl")
    minutes, _, overdue, *_ = _items(app, w, "member_gb")
    [*_, document] = _items(app, w, "coordinator_cl")
    [failed] = _items(app, w, "admin")[-1:]

    assert replies.url == f"/meetings/{w.meeting_to_answer.id}"
    assert minutes.url == f"/meetings/{w.minutes_first.id}/minutes"
    assert overdue.url == f"/actions/?group={w.group.id}&overdue=y"
    assert document.url == f"/documents/{w.document_uk}"
    assert failed.url == "/admin/outbox/?status=failed"


@pytest.mark.parametrize("name", ["member_cl", "member_gb", "coordinator_cl", "coordinator_gb"])
def test_action_lines_count_up_to_a_limit_and_say_more_than(app, w, monkeypatch, name):
    counted = _items(app, w, name)
    monkeypatch.setattr(summaries, "ATTENTION_LIMIT", 1)

    capped = _items(app, w, name)

    assert [item.url for item in capped] == [item.url for item in counted]
    for before, after in zip(counted, capped, strict=True):
        if "action item" not in before.text or before.count == 1:
            assert after.text == before.text
        else:
            assert after.count == 1
            assert after.text.startswith("More than 1 ")


# The kept dashboard (portal/main/dashboard.py) --------------------------------------------


# Read for the reader alone (their sessions give the last visit, read in the kept dashboard's
# first statement), the generation itself, and the outbox, whose line is live.
NOT_DECLARED = {"user_sessions", "kept_generations", "outbox_messages"}


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if not n.startswith("external")))
def test_every_table_the_kept_dashboard_reads_raises_its_generation(app, w, name):
    """(An external participant's dashboard is their list of trainings.)"""
    from portal.main import dashboard

    with app.test_request_context(headers={"Accept-Language": "en"}):
        reader = db.session.get(User, getattr(w, name).id)
        declared = dashboard.attentions(app)
        with count_statements(app) as statements:
            dashboard._read(db.session, reader, declared)

    read = tables_read(statements)
    assert read, name
    assert read - tables_raising(dashboard.GENERATION) - NOT_DECLARED == set()

"""Unanswered high-severity alerts are reminded 4 hours after publication and then daily,
through `flask reminders run`, once per period (running it again queues nothing); urgent
alerts reach the other party's CSIRT whatever their preferences, other bulletins follow them."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.core.extensions import db
from portal.core.tlp import TLP
from portal.csirt.models import Acknowledgement, Bulletin, BulletinKind, Severity
from portal.notifications.models import Delivery, NotificationPreference, OutboxMessage
from portal.web.commands import run_reminders


def _mails(session, kind: str) -> list[str]:
    session.rollback()
    return list(session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.kind == kind)))


def _run(app, when) -> int:
    with app.test_request_context():
        return run_reminders(db.session, when)["csirt"]


@pytest.fixture
def alert(csirts, make_bulletin, session):
    bulletin_id = make_bulletin(
        csirts.member_cl,
        mou=csirts.mou,
        tlp=TLP.AMBER,
        kind=BulletinKind.ALERT,
        severity=Severity.CRITICAL,
        mail=False,
    )
    return session.get(Bulletin, bulletin_id)


def test_unanswered_alerts_are_reminded_once_per_period(alert, csirts, app, session):
    published = alert.created_at
    assert _run(app, published + timedelta(hours=3, minutes=59)) == 0
    assert _run(app, published + timedelta(hours=4)) == 1
    assert _run(app, published + timedelta(hours=5)) == 0  # the same period: nothing twice
    assert _run(app, published + timedelta(hours=27, minutes=59)) == 0
    assert _run(app, published + timedelta(hours=28)) == 1  # a day later
    assert _run(app, published + timedelta(hours=28)) == 0
    assert _mails(session, "csirt_urgent_reminder") == [csirts.member_gb.email] * 2


def test_an_answer_stops_the_reminders(alert, csirts, app, session):
    session.add(
        Acknowledgement(
            bulletin_id=alert.id,
            user_id=csirts.member_gb.id,
            party_id=csirts.gb.id,
            answer="acting",
        )
    )
    session.commit()
    assert _run(app, alert.created_at + timedelta(hours=4)) == 0


@pytest.mark.parametrize(
    ("kind", "severity", "label"),
    [
        (BulletinKind.ALERT, Severity.MEDIUM, TLP.AMBER),
        (BulletinKind.ADVISORY, Severity.CRITICAL, TLP.AMBER),
    ],
)
def test_only_high_severity_alerts_are_reminded(
    kind, severity, label, csirts, make_bulletin, app, session
):
    bulletin_id = make_bulletin(
        csirts.member_cl, mou=csirts.mou, tlp=label, kind=kind, severity=severity, mail=False
    )
    created = session.get(Bulletin, bulletin_id).created_at
    assert _run(app, created + timedelta(hours=4)) == 0


def test_urgent_alerts_ignore_preferences_others_follow_them(csirts, make_bulletin, session):
    session.add(
        NotificationPreference(user_id=csirts.member_gb.id, category="csirt", delivery=Delivery.OFF)
    )
    session.commit()
    make_bulletin(
        csirts.member_cl,
        mou=csirts.mou,
        tlp=TLP.GREEN,
        kind=BulletinKind.ALERT,
        severity=Severity.HIGH,
        title="Not urgent: GREEN",
    )
    assert _mails(session, "csirt_bulletin") == []
    make_bulletin(
        csirts.member_cl,
        mou=csirts.mou,
        tlp=TLP.AMBER,
        kind=BulletinKind.ALERT,
        severity=Severity.HIGH,
        title="Urgent: AMBER",
    )
    assert _mails(session, "csirt_urgent_alert") == [csirts.member_gb.email]
    session.rollback()
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_a_mail_is_withdrawn_when_its_reader_may_no_longer_open_the_bulletin(
    csirts, make_bulletin, app, session
):
    from portal.notifications.readable import no_longer_readable

    bulletin_id = make_bulletin(csirts.member_cl, mou=csirts.mou, tlp=TLP.GREEN)
    message = session.scalar(select(OutboxMessage))
    session.get(Bulletin, bulletin_id).tlp = TLP.AMBER_STRICT
    session.commit()
    with app.test_request_context():
        mail = db.session.merge(message)
        stale = no_longer_readable(
            db.session, [mail], lambda item: db.session.get(User, item.recipient_user_id)
        )
    assert stale == [mail]

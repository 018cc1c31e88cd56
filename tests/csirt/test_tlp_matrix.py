"""The TLP matrix of bulletins: for each label, every kind of reader on the bulletin page, its
attachment, its STIX and MISP exports, the list and its count, answering it, seeing the
answers, and the mails queued when it is published.

The bulletin is published by member_cl (a member of Chile's CSIRT) under the Chile–UK MoU;
member_gb and member_co are members of their parties' CSIRTs, member_cl_outside_group is not
a member of Chile's. On TLP:RED it names member_gb. admin is Chilean; admin_gb is an
administrator of the other party.
"""

import pytest
from sqlalchemy import select

from portal.accounts.models import Role
from portal.core.tlp import TLP
from portal.csirt.models import Acknowledgement
from portal.notifications.models import OutboxMessage
from tests import factories
from tests.conftest import csrf_token
from tests.helpers.matrix import LOGIN, outcome

READERS = (
    "anonymous",
    "admin",
    "admin_gb",
    "coordinator_cl",
    "coordinator_gb",
    "member_cl",
    "member_gb",
    "member_cl_outside_group",
    "observer_gb",
    "external_cl",
    "member_co",
    "coordinator_co",
)
# Who may open the bulletin, per label (anonymous visitors are sent to log in first).
# fmt: off
MAY_OPEN = {
    TLP.CLEAR:        (0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1),
    TLP.GREEN:        (0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0),
    TLP.AMBER:        (0, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0),
    TLP.AMBER_STRICT: (0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0),
    TLP.RED:          (0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0),
}
# Who reads the list of bulletins at all.
READS_LIST =          (0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1)
# Who may answer, when they may open it: the receiving party's CSIRT members.
ANSWERS =             (0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0)
# Who sees the receiving parties' answers, when they may open it: the sending party, admins.
SEES_ANSWERS =        (0, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0)
# Who is mailed on publication: the other party's CSIRT members who may open it.
MAILED = {
    TLP.CLEAR:        {"member_gb"},
    TLP.GREEN:        {"member_gb"},
    TLP.AMBER:        {"member_gb"},
    TLP.AMBER_STRICT: set(),
    TLP.RED:          {"member_gb"},
}
# fmt: on
SECRET_WORD = "Quetzalcoatlus"


@pytest.fixture
def admin_gb(world, session):
    user = factories.make_user(session, world.gb, Role.ADMINISTRATOR, email="admin.gb@example.org")
    session.commit()
    return user


def _browser(actor, world, admin_gb, client, login_as):
    if actor == "anonymous":
        return client
    return login_as(admin_gb if actor == "admin_gb" else getattr(world, actor))


@pytest.mark.parametrize("label", list(TLP), ids=lambda t: t.value)
def test_every_reader_gets_what_the_label_allows(
    label, csirts, admin_gb, client, login_as, make_bulletin, session
):
    world = csirts
    bulletin_id = make_bulletin(
        world.member_cl,
        mou=world.mou,
        tlp=label,
        title=f"{SECRET_WORD} campaign",
        readers=[world.member_gb],
        files=[("informe.txt", b"Informe de incidente")],
    )
    session.add(
        Acknowledgement(
            bulletin_id=bulletin_id,
            user_id=world.member_gb.id,
            party_id=world.gb.id,
            answer="received",
            note=f"{SECRET_WORD}-note",
        )
    )
    session.commit()
    attachment = f"/csirt/bulletins/{bulletin_id}/attachments/1"
    results, expected = {}, {}
    for index, actor in enumerate(READERS):
        browser = _browser(actor, world, admin_gb, client, login_as)
        may_open = bool(MAY_OPEN[label][index])
        refused = LOGIN if actor == "anonymous" else 404
        page = browser.get(f"/csirt/bulletins/{bulletin_id}")
        text = page.get_data(as_text=True)
        file = browser.get(attachment.replace("/1", f"/{_attachment_id(session, bulletin_id)}"))
        file.close()
        stix = browser.get(f"/csirt/bulletins/{bulletin_id}/stix.json")
        misp = browser.get(f"/csirt/bulletins/{bulletin_id}/misp.json")
        listing = browser.get("/csirt/bulletins")
        listed = SECRET_WORD in listing.get_data(as_text=True)
        count = '<p class="text-muted" id="bulletin-count">1 ' in listing.get_data(as_text=True)
        reads_list = bool(READS_LIST[index])
        results[actor] = (
            outcome(page),
            outcome(file),
            outcome(stix),
            outcome(misp),
            outcome(listing),
            listed,
            count,
            "Send the answer" in text,
            f"{SECRET_WORD}-note" in text,
        )
        expected[actor] = (
            200 if may_open else refused,
            200 if may_open else refused,
            200 if may_open else refused,
            200 if may_open else refused,
            200 if reads_list else (LOGIN if actor == "anonymous" else 404),
            reads_list and may_open,
            reads_list and may_open,
            may_open and bool(ANSWERS[index]),
            may_open and bool(SEES_ANSWERS[index]),
        )
        if actor != "anonymous":
            answer = browser.post(
                f"/csirt/bulletins/{bulletin_id}/acknowledge",
                data={
                    "csrf_token": csrf_token(browser, "/account/"),
                    "answer": "acting",
                    "note": f"{SECRET_WORD}-note",
                },
            )
            results[actor] += (outcome(answer),)
            allowed = 302 if ANSWERS[index] else 403
            expected[actor] += (allowed if may_open else refused,)
    wrong = {a: (results[a], expected[a]) for a in results if results[a] != expected[a]}
    assert not wrong, repr(wrong)

    mails = session.scalars(select(OutboxMessage).where(OutboxMessage.kind.like("csirt_%")))
    by_recipient = {m.recipient: m for m in mails}
    mailed = {a for a in READERS[1:] if a != "admin_gb" and getattr(world, a).email in by_recipient}
    assert mailed == MAILED[label]
    for message in by_recipient.values():
        assert message.subject.startswith(f"[{label.label}]")
        if label == TLP.RED:
            assert SECRET_WORD not in message.subject + message.body_text + message.body_html
        else:
            assert SECRET_WORD in message.subject


def _attachment_id(session, bulletin_id: int) -> int:
    from portal.csirt.models import Attachment

    return session.scalar(select(Attachment.id).where(Attachment.bulletin_id == bulletin_id))


# The same rule under the Chile–Colombia MoU, the bulletin published by member_co (Colombia's
# CSIRT) and named to member_cl on TLP:RED; observer_cl is a Chilean observer.
CO_READERS = (
    "admin",
    "coordinator_cl",
    "member_cl",
    "member_cl_outside_group",
    "observer_cl",
    "coordinator_co",
    "member_co",
    "coordinator_gb",
    "member_gb",
)
# fmt: off
CO_MAY_OPEN = {
    TLP.CLEAR:        (1, 1, 1, 1, 1, 1, 1, 1, 1),
    TLP.GREEN:        (1, 1, 1, 1, 1, 1, 1, 0, 0),
    TLP.AMBER:        (1, 1, 1, 0, 1, 1, 1, 0, 0),
    TLP.AMBER_STRICT: (0, 0, 0, 0, 0, 1, 1, 0, 0),
    TLP.RED:          (0, 0, 1, 0, 0, 0, 1, 0, 0),
}
CO_MAILED = {
    TLP.CLEAR: {"member_cl"}, TLP.GREEN: {"member_cl"}, TLP.AMBER: {"member_cl"},
    TLP.AMBER_STRICT: set(), TLP.RED: {"member_cl"},
}
# fmt: on


@pytest.mark.parametrize("label", list(TLP), ids=lambda t: t.value)
def test_the_rule_holds_between_chile_and_colombia(label, csirts, login_as, make_bulletin, session):
    world = csirts
    world.observer_cl = factories.make_user(
        session, world.cl, Role.OBSERVER, email="observer.cl@example.org"
    )
    session.commit()
    bulletin_id = make_bulletin(
        world.member_co,
        mou=world.mou_cl_co,
        tlp=label,
        title=f"{SECRET_WORD} en Colombia",
        readers=[world.member_cl],
        files=[("informe.txt", b"Informe")],
    )
    attachment_id = _attachment_id(session, bulletin_id)
    results, expected = {}, {}
    for index, actor in enumerate(CO_READERS):
        browser = login_as(getattr(world, actor))
        may_open = bool(CO_MAY_OPEN[label][index])
        paths = (
            f"/csirt/bulletins/{bulletin_id}",
            f"/csirt/bulletins/{bulletin_id}/attachments/{attachment_id}",
            f"/csirt/bulletins/{bulletin_id}/stix.json",
            f"/csirt/bulletins/{bulletin_id}/misp.json",
        )
        answers = []
        for path in paths:
            response = browser.get(path)
            answers.append(outcome(response))
            response.close()
        listed = SECRET_WORD in browser.get("/csirt/bulletins").get_data(as_text=True)
        results[actor] = (*answers, listed)
        expected[actor] = (*([200 if may_open else 404] * 4), may_open)
    wrong = {a: (results[a], expected[a]) for a in results if results[a] != expected[a]}
    assert not wrong, repr(wrong)
    mails = session.scalars(
        select(OutboxMessage.recipient).where(OutboxMessage.kind.like("csirt_%"))
    )
    recipients = set(mails)
    assert {a for a in CO_READERS if getattr(world, a).email in recipients} == CO_MAILED[label]

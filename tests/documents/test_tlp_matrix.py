"""The TLP matrix: for each label, every kind of reader on the document page, each download,
search, the library list and its count, and the mails queued when it is shared.

The document belongs to the Chile–UK working group, owned by Chile (uploaded by member_cl).
On TLP:RED it names member_gb (and its author). admin is Chilean; admin_gb is an
administrator of the other party.
"""

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select

from portal.accounts.models import Role
from portal.core.tlp import TLP
from portal.documents.models import agenda_item_documents
from portal.meetings.models import AgendaItem
from portal.notifications.models import OutboxMessage
from tests import factories
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

# Who may open the document, per label; "member_gb" is the named person on TLP:RED.
# Columns in the order of READERS.
# fmt: off
MAY_OPEN = {
    TLP.CLEAR:        (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1),
    TLP.GREEN:        (0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0),
    TLP.AMBER:        (0, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0),
    TLP.AMBER_STRICT: (0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0),
    TLP.RED:          (0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0),
}
# Who reads the MoU's library at all (others get 404, anonymous the login page).
READS_LIBRARY =       (0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0)
# Who sees the meeting (of the same group) that the document is attached to.
READS_MEETING =       (0, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0)
# Who is mailed when the document is shared with the group (its members but the author).
MAILED = {
    TLP.CLEAR:        {"coordinator_cl", "coordinator_gb", "member_gb"},
    TLP.GREEN:        {"coordinator_cl", "coordinator_gb", "member_gb"},
    TLP.AMBER:        {"coordinator_cl", "coordinator_gb", "member_gb"},
    TLP.AMBER_STRICT: {"coordinator_cl"},
    TLP.RED:          {"member_gb"},
}
# fmt: on

SECRET_WORD = "Quetzalcoatlus"


@pytest.fixture
def admin_gb(world, session):
    user = factories.make_user(session, world.gb, Role.ADMINISTRATOR, email="admin.gb@example.org")
    session.commit()
    return user


def _meeting_with_the_document(world, session, document_id: int) -> int:
    meeting = factories.make_meeting(
        session, world.group, datetime(2027, 3, 1, 13, tzinfo=UTC), tlp=TLP.CLEAR
    )
    item = AgendaItem(position=1, title="Exchange of protocols")
    meeting.agenda.append(item)
    session.flush()
    # Set up directly: on TLP:RED no coordinator is named, so none could attach it.
    session.execute(
        insert(agenda_item_documents).values(agenda_item_id=item.id, document_id=document_id)
    )
    session.commit()
    return meeting.id


def _browser(actor, world, admin_gb, client, login_as):
    if actor == "anonymous":
        return client
    return login_as(admin_gb if actor == "admin_gb" else getattr(world, actor))


@pytest.mark.parametrize("label", list(TLP), ids=lambda t: t.value)
def test_every_reader_gets_what_the_label_allows(
    label, world, admin_gb, client, login_as, make_document, session
):
    document_id = make_document(
        world.member_cl,
        mou=world.mou,
        group=world.group,
        tlp=label,
        title=f"{SECRET_WORD} exchange protocol",
        content=f"{SECRET_WORD} indicators are shared between CSIRTs.".encode(),
        readers=[world.member_gb],
    )
    meeting_id = _meeting_with_the_document(world, session, document_id)
    results, expected = {}, {}
    for index, actor in enumerate(READERS):
        browser = _browser(actor, world, admin_gb, client, login_as)
        may_open = bool(MAY_OPEN[label][index])
        refused = LOGIN if actor == "anonymous" else 404

        page = browser.get(f"/documents/{document_id}")
        download = browser.get(f"/documents/{document_id}/versions/1/download")
        download.close()
        search = browser.get(f"/documents/search?q={SECRET_WORD.lower()}")
        library = browser.get(f"/mous/{world.mou.id}/documents")
        listed = SECRET_WORD in library.get_data(as_text=True)
        found = f"/documents/{document_id}" in search.get_data(as_text=True)
        count = "1 document" in library.get_data(as_text=True)

        results[actor] = (outcome(page), outcome(download), outcome(search), found)
        # External participants reach no document search (only their trainings' materials).
        searches = actor not in ("anonymous", "external_cl")
        expected[actor] = (
            200 if may_open else refused,
            200 if may_open else refused,
            LOGIN if actor == "anonymous" else (200 if searches else 404),
            may_open and searches,
        )
        reads_library = bool(READS_LIBRARY[index])
        results[actor] += (outcome(library), listed, count)
        expected[actor] += (
            200 if reads_library else refused,
            reads_library and may_open,
            reads_library and may_open,
        )
        meeting = browser.get(f"/meetings/{meeting_id}")
        attached = f"/documents/{document_id}" in meeting.get_data(as_text=True)
        reads_meeting = bool(READS_MEETING[index])
        results[actor] += (outcome(meeting), attached)
        expected[actor] += (200 if reads_meeting else refused, reads_meeting and may_open)
    assert results == expected

    mails = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "document_shared"))
    by_recipient = {m.recipient: m for m in mails}
    mailed = {a for a in READERS[1:] if a != "admin_gb" and getattr(world, a).email in by_recipient}
    assert mailed == MAILED[label]
    for message in by_recipient.values():
        assert message.subject.startswith(f"[{label.label}]")
        if label == TLP.RED:
            assert SECRET_WORD not in message.subject + message.body_text + message.body_html
        else:
            assert SECRET_WORD in message.subject

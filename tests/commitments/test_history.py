"""What happens to a commitment is kept: its history and notes on its page (never deleted),
the audit log, removal of a link only after asking, and the MoU page's panel by line."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.commitments.models import Commitment, CommitmentChange, CommitmentStatus
from tests.conftest import post
from tests.factories import make_meeting


def _events(session, commitment_id: int) -> list[str]:
    session.rollback()
    return list(
        session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "commitment")
            .where(AuditEvent.object_id == str(commitment_id))
            .order_by(AuditEvent.id)
        )
    )


def test_a_commitments_life_is_kept(world, session, login_as):
    meeting = make_meeting(session, world.group, datetime.now(UTC) + timedelta(days=4))
    session.commit()
    browser = login_as(world.coordinator_gb)
    line = world.mou.lines[0]
    target = date.today() + timedelta(days=40)
    data = {
        "title_en": "Run a joint incident drill",
        "title_es": "",
        "line_id": str(line.id),
        "party_ids": [str(world.gb.id)],
        "target_on": target.isoformat(),
    }
    path = f"/mous/{world.mou.id}/commitments/new"
    assert post(browser, path, data, token_from=path).status_code == 302
    commitment = session.scalar(select(Commitment))
    assert commitment.status == CommitmentStatus.PLANNED
    assert [p.code for p in commitment.parties] == ["GB"]
    page = f"/commitments/{commitment.id}"

    edit = {
        **data,
        "title_es": "Realizar un ejercicio conjunto",
        "party_ids": [str(world.cl.id), str(world.gb.id)],
        "line_id": str(line.id),
    }
    assert post(browser, f"{page}/edit", edit, token_from=f"{page}/edit").status_code == 302
    for status, reason in (
        ("in_progress", ""),
        ("dropped", "Replaced by a regional drill."),
        ("planned", ""),
    ):
        answer = post(browser, f"{page}/status", {"status": status, "reason": reason})
        assert answer.status_code == 302
    note = {"noted_on": (date.today() - timedelta(days=1)).isoformat(), "body": "Scenario agreed."}
    assert post(browser, f"{page}/notes/new", note, token_from=page).status_code == 302
    link = f"{page}/links/meeting/new"
    assert post(browser, link, {"target": str(meeting.id)}, token_from=link).status_code == 302

    # Taking a link back asks first, then keeps it in the history.
    remove = f"{page}/links/meeting/{meeting.id}/remove"
    asked = browser.get(remove).get_data(as_text=True)
    assert "Remove the link?" in asked
    assert post(browser, remove).status_code == 200
    assert f'href="/meetings/{meeting.id}"' in browser.get(page).get_data(as_text=True)
    assert post(browser, remove, {"confirmed": "1"}).status_code == 302

    session.rollback()
    changes = session.scalars(
        select(CommitmentChange)
        .where(CommitmentChange.commitment_id == commitment.id)
        .order_by(CommitmentChange.id)
    ).all()
    assert [(c.field, c.before, c.after) for c in changes] == [
        ("created", "", "Run a joint incident drill"),
        ("title_es", "", "Realizar un ejercicio conjunto"),
        ("party_ids", "GB", "CL, GB"),
        ("status", "planned", "in_progress"),
        ("status", "in_progress", "dropped"),
        ("drop_reason", "", "Replaced by a regional drill."),
        ("status", "dropped", "planned"),
        ("drop_reason", "Replaced by a regional drill.", ""),
        ("linked", "", f"meeting:{meeting.id}"),
        ("unlinked", f"meeting:{meeting.id}", ""),
    ]
    assert all(c.actor_id == world.coordinator_gb.id for c in changes)
    assert _events(session, commitment.id) == [
        "commitment.created",
        "commitment.updated",
        "commitment.status_changed",
        "commitment.status_changed",
        "commitment.status_changed",
        "commitment.note_added",
        "commitment.linked",
        "commitment.unlinked",
    ]
    shown = browser.get(page).get_data(as_text=True)
    assert "Scenario agreed." in shown
    assert "In progress → Dropped" in shown and "Dropped → Planned" in shown
    assert "Replaced by a regional drill. → —" in shown
    assert f'href="/meetings/{meeting.id}"' not in shown

    # The MoU's page shows it under its line, with the line's counts; in Spanish, the title
    # the Spanish reader can read.
    mou_page = login_as(world.coordinator_cl).get(f"/mous/{world.mou.id}").get_data(as_text=True)
    assert "Realizar un ejercicio conjunto" in mou_page
    assert f'href="/commitments/{commitment.id}"' in mou_page
    assert "Colaboración CSIRT" in mou_page

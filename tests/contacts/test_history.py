"""What happens to a point of contact is kept: its history on its page, the audit log, and
removal only after asking."""

from datetime import date, timedelta

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.contacts.models import ContactChange, PointOfContact
from portal.core.clock import day_in
from tests.conftest import post


def _events(session, contact_id: int) -> list[str]:
    session.rollback()
    return list(
        session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "point_of_contact")
            .where(AuditEvent.object_id == str(contact_id))
            .order_by(AuditEvent.id)
        )
    )


def test_adding_editing_and_verifying_write_the_history(world, session, login_as):
    browser = login_as(world.coordinator_gb)
    path = f"/mous/{world.mou.id}/parties/{world.gb.id}/contacts/new"
    data = {
        "kind": "csirt",
        "given_name": "Daniel",
        "family_name": "Okafor",
        "role": "Incident management lead",
        "organisation": "NCSC",
        "email": "Incidents@NCSC.example.uk",
        "phone": "+44 20 7946 0777",
        "availability": "always",
        "timezone": "Europe/London",
        "pgp_fingerprint": "7f3a 9c21 0b4e 5d6f 8a1b 2c3d 4e5f 6071 8293 a4b5",
        "last_verified_on": (date.today() - timedelta(days=3)).isoformat(),
    }
    response = post(browser, path, data, token_from=path)
    assert response.status_code == 302
    contact = session.scalar(select(PointOfContact))
    assert (contact.email, contact.phone) == ("incidents@ncsc.example.uk", "+442079460777")
    assert contact.pgp_fingerprint == "7F3A9C210B4E5D6F8A1B2C3D4E5F60718293A4B5"
    assert contact.created_by_id == world.coordinator_gb.id

    edit = f"/contacts/{contact.id}/edit"
    changed = {
        **data,
        "role": "Head of incident management",
        "phone": "+44 20 7946 0321",
        "kind": "mou",
        "availability": "office_hours",
        "office_days": ["0", "1"],
        "office_start": "08:30",
        "office_end": "16:00",
    }
    assert post(browser, edit, changed, token_from=edit).status_code == 302
    assert post(browser, f"/contacts/{contact.id}/verified").status_code == 302

    session.rollback()
    changes = session.scalars(
        select(ContactChange).where(ContactChange.contact_id == contact.id).order_by("id")
    ).all()
    assert [(c.field, c.before, c.after) for c in changes] == [
        ("created", "", "Daniel Okafor"),
        ("kind", "csirt", "mou"),
        ("role", "Incident management lead", "Head of incident management"),
        ("phone", "+442079460777", "+442079460321"),
        ("availability", "always", "office_hours"),
        ("office_days", "", "01"),
        ("office_start", "", "08:30"),
        ("office_end", "", "16:00"),
        # Verified today: on the British coordinator's clock.
        ("last_verified_on", data["last_verified_on"], day_in("Europe/London").isoformat()),
    ]
    assert _events(session, contact.id) == [
        "contact.created",
        "contact.updated",
        "contact.verified",
    ]
    page = browser.get(f"/contacts/{contact.id}").get_data(as_text=True)
    assert "Head of incident management" in page
    assert "+44 20 7946 0321" in page
    assert "7F3A 9C21 0B4E 5D6F 8A1B 2C3D 4E5F 6071 8293 A4B5" in page
    assert "Incident management lead → Head of incident management" in page
    assert "+44 20 7946 0777 → +44 20 7946 0321" in page
    assert "CSIRT contact → MoU contact" in page
    assert "24/7 → Office hours" in page
    assert "— → Monday, Tuesday" in page


def test_removing_asks_first_and_changes_nothing_until_confirmed(
    world, session, login_as, contact_of
):
    contact = contact_of(session, world.mou, world.cl)
    session.commit()
    browser = login_as(world.coordinator_cl)  # reads in Spanish
    path = f"/contacts/{contact.id}/remove"
    page = browser.get(path).get_data(as_text=True)
    assert "¿Quitar el punto de contacto?" in page
    assert "Matías Contreras Vidal dejará de figurar como punto de contacto de País CL." in page
    assert post(browser, path).status_code == 200  # no "Yes": the same page again
    session.rollback()
    assert session.get(PointOfContact, contact.id).removed_at is None
    assert _events(session, contact.id) == []

    assert post(browser, path, {"confirmed": "1"}).status_code == 302
    assert _events(session, contact.id) == ["contact.removed"]
    listing = browser.get(f"/mous/{world.mou.id}/contacts").get_data(as_text=True)
    assert "Aún no hay puntos de contacto." in listing

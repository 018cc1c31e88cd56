"""Points of contact: per party and MoU, whom to call (the MoU's contacts and the CSIRT's),
when they answer on both clocks, their PGP key, vCards, and a yearly check of the details."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.web.features import DemoSeeder, Feature, MailCategory, PagePanel

bp = Blueprint("contacts", __name__)


def declare() -> Feature:
    """What contacts adds to the portal (portal.web.features says why a function)."""
    from portal.contacts import reminders
    from portal.contacts.access import MAIL_READERSHIP, can_view_contacts, editable_parties
    from portal.contacts.demo import seed_demo_contacts
    from portal.contacts.forms import AUDIT_KINDS, AUDIT_OBJECTS
    from portal.contacts.notifications import MAIL_KINDS
    from portal.contacts.queries import contact_counts

    def contacts_read(reader, mou):
        return contact_counts(reader, mou) if can_view_contacts(reader, mou) else None

    def mou_contacts_panel(session, reader, mou, rows) -> dict:
        if not can_view_contacts(reader, mou):
            return {"mou": None}
        counts = dict(rows)
        editable = tuple(party.id for party in editable_parties(reader, mou))
        parties = tuple((p.id, p.code, p.name_en, p.name_es) for p in mou.parties)
        return {
            "mou": mou,
            "counts": counts,
            "editable": editable,
            # What the panel shows (portal/mous/panels.py keeps it under that).
            "kept": (parties, tuple(sorted(counts.items())), editable),
        }

    return Feature(
        name="contacts",
        mail_subjects=MAIL_READERSHIP,
        mail_kinds=MAIL_KINDS,
        audit_kinds=AUDIT_KINDS,
        audit_objects=AUDIT_OBJECTS,
        blueprints=(bp,),
        view_modules=("portal.contacts.views",),
        mou_panels=(
            PagePanel("contacts/_mou_panel.html", mou_contacts_panel, order=40, read=contacts_read),
        ),
        reminder_jobs=(
            (
                "contact_verification",
                lambda session, now: reminders.verification_due(session, now.date()),
            ),
        ),
        mail_categories=(MailCategory("contacts", _l("Points of contact"), ("contact_",)),),
        demo=DemoSeeder(order=80, seed=seed_demo_contacts),
    )

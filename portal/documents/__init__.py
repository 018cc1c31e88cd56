"""Documents: uploads with a TLP label, versions, search, attachments and integrity checks."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.web.features import DemoSeeder, Feature, MailCategory, NavEntry

bp = Blueprint("documents", __name__)


def declare() -> Feature:
    """What documents adds to the portal (portal.web.features says why a function)."""
    from portal.accounts import audiences
    from portal.documents.access import MAIL_READERSHIP
    from portal.documents.demo import seed_demo_documents
    from portal.documents.integrity import documents_cli
    from portal.documents.notifications import MAIL_KINDS

    return Feature(
        name="documents",
        mail_subjects=MAIL_READERSHIP,
        mail_kinds=MAIL_KINDS,
        blueprints=(bp,),
        view_modules=("portal.documents.views",),
        commands=(documents_cli,),
        mail_categories=(MailCategory("documents", _l("Documents"), ("document_",)),),
        navigation=(
            NavEntry(
                "documents.search",
                _l("Documents"),
                order=50,
                visible_to=audiences.delegation_members,
            ),
        ),
        public_endpoints=frozenset(
            {
                # TLP:CLEAR documents are public; anonymous visitors of others log in.
                "documents.detail",
                "documents.download",  # as documents.detail
            }
        ),
        demo=DemoSeeder(
            order=60, seed=lambda session, demo: seed_demo_documents(session, demo.users)
        ),
    )

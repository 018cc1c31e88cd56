"""Documents: uploads with a TLP label, versions, search, attachments and integrity checks."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.web.features import DemoSeeder, Feature, MailCategory, NavEntry, PagePanel
from portal.web.sources import SearchSource

bp = Blueprint("documents", __name__)


def declare() -> Feature:
    """What documents adds to the portal (portal.web.features says why a function)."""
    from flask import url_for

    from portal.accounts import audiences
    from portal.documents import report as documents_report
    from portal.documents import versions  # noqa: F401 - declares what raises its versions
    from portal.documents.access import MAIL_READERSHIP, can_upload_document
    from portal.documents.attention import ATTENTION
    from portal.documents.demo import seed_demo_documents
    from portal.documents.integrity import documents_cli
    from portal.documents.notifications import MAIL_KINDS
    from portal.documents.search import document_hits, matching_documents
    from portal.documents.summaries import recent_group_documents, recent_mou_documents
    from portal.documents.wording import template_labels

    def recent_panel(documents, library_url: str, upload_url: str | None, width: str) -> dict:
        return {
            "kept": (documents, library_url, upload_url, width),
            "documents": documents,
            "library_url": library_url,
            "upload_url": upload_url,
            "width": width,
            **template_labels(),
        }

    def group_documents_panel(session, reader, group, documents) -> dict:
        upload = url_for("documents.upload_to_group", group_id=group.id)
        return recent_panel(
            documents,
            url_for("documents.group_library", group_id=group.id),
            upload if can_upload_document(reader, group.mou, group) else None,
            "col-12",
        )

    def mou_documents_panel(session, reader, mou, documents) -> dict:
        upload = url_for("documents.upload_to_mou", mou_id=mou.id)
        return recent_panel(
            documents,
            url_for("documents.mou_library", mou_id=mou.id),
            upload if can_upload_document(reader, mou, None) else None,
            "col-lg-6",
        )

    return Feature(
        name="documents",
        report_sections=(documents_report.SECTION,),
        search_sources=(
            SearchSource(
                "document", _l("Document"), document_hits, order=10, counted=matching_documents
            ),
        ),
        mail_subjects=MAIL_READERSHIP,
        mail_kinds=MAIL_KINDS,
        blueprints=(bp,),
        group_panels=(
            PagePanel(
                "documents/_recent_panel.html",
                group_documents_panel,
                order=40,
                read=recent_group_documents,
            ),
        ),
        mou_panels=(
            PagePanel(
                "documents/_recent_panel.html",
                mou_documents_panel,
                order=25,
                read=recent_mou_documents,
            ),
        ),
        view_modules=("portal.documents.views", "portal.documents.library_views"),
        commands=(documents_cli,),
        mail_categories=(MailCategory("documents", _l("Documents"), ("document_",)),),
        navigation=(
            NavEntry(
                "documents.landing",
                _l("Documents"),
                order=50,
                visible_to=audiences.delegation_members,
            ),
        ),
        attention=ATTENTION,
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

from flask import Blueprint

bp = Blueprint("documents", __name__)


@bp.app_context_processor
def _agenda_documents_helper() -> dict:
    """The meeting page's include asks for the documents attached to its agenda items."""
    from portal.documents.attachments import agenda_documents_for_page  # needs the blueprint

    return {"agenda_documents": agenda_documents_for_page}

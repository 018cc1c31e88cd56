"""The versions of what the library keeps, and what raises them (portal/core/kept).

- `Mou.library_version`: the library's list (/documents/) shows the documents of the reader's
  MoUs with their titles, labels, MoU, working group and uploader. It is kept per reader's
  rights and filters under the versions of the reader's MoUs (library_views.py), raised by
  every change of a document of the MoU (created, changed, moved, deleted; its named readers,
  who decide who sees a TLP:RED one), a rename of the MoU or of one of its groups, and a
  rename of a person who uploaded one of its documents.
- `Document.page_version`: the document page (page.py) is kept per document and language
  under it, raised by every change of the document, its versions and tags, and of the MoU, group,
  parties and people it names.

Readers read the version before the data, so output kept under a version is never older
than that version.
"""

from sqlalchemy import select, true, union

from portal.accounts.models import Party, User
from portal.core.kept import ProcessStore, Raises, declare, old_and_new
from portal.documents.models import Document, DocumentTag, DocumentVersion, document_readers
from portal.mous.models import Mou, WorkingGroup

# The kept list rows, pagers and filter selects of the library (the document pages are kept in
# the database: page.py).
LIBRARY = ProcessStore("library", size=1024)


def _ids(objects, attribute: str = "id") -> set[int]:
    return {getattr(obj, attribute) for obj in objects}


def _documents_naming(people):
    """Documents whose page names one of these people: uploader, uploader of a version, a
    person named on it."""
    ids = _ids(people)
    return union(
        select(Document.id).where(Document.created_by_id.in_(ids)),
        select(DocumentVersion.document_id).where(DocumentVersion.uploaded_by_id.in_(ids)),
        select(document_readers.c.document_id).where(document_readers.c.user_id.in_(ids)),
    )


LIBRARY_VERSION = declare(
    Mou.library_version,
    Raises(Document, lambda documents: Mou.id.in_(old_and_new(documents, "mou_id"))),
    Raises(
        WorkingGroup,
        lambda groups: Mou.id.in_(old_and_new(groups, "mou_id")),
        fields=("name_en", "name_es", "mou_id"),
    ),
    Raises(Mou, lambda mous: Mou.id.in_(_ids(mous)), fields=("title_en", "title_es")),
    Raises(
        User,
        lambda people: Mou.id.in_(
            select(Document.mou_id).where(Document.created_by_id.in_(_ids(people)))
        ),
        fields=("name",),
    ),
)

PAGE_VERSION = declare(
    Document.page_version,
    Raises(Document, lambda documents: Document.id.in_(_ids(documents))),
    Raises(
        (DocumentVersion, DocumentTag),
        lambda rows: Document.id.in_(_ids(rows, "document_id")),
    ),
    Raises(
        Mou,
        lambda mous: Document.mou_id.in_(_ids(mous)),
        fields=("title_en", "title_es", "parties"),
    ),
    Raises(
        WorkingGroup,
        lambda groups: Document.working_group_id.in_(_ids(groups)),
        fields=("name_en", "name_es", "mou_id"),
    ),
    Raises(Party, lambda parties: true(), fields=("code", "name_en", "name_es")),
    Raises(User, lambda people: Document.id.in_(_documents_naming(people)), fields=("name",)),
)

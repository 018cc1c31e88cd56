"""Documents of an MoU's library (perhaps of one working group), their versions and readers."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    false,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import Party, User, enum_column
from portal.core.bilingual import either_language
from portal.core.db import UTCDateTime, utcnow
from portal.core.extensions import db
from portal.core.kept import StoredPage
from portal.core.tlp import TLP
from portal.mous.models import Mou, WorkingGroup


class DocumentCategory(StrEnum):
    BEST_PRACTICE = "best_practice"
    NATIONAL_STRATEGY = "national_strategy"
    LEGISLATION = "legislation"
    PROTOCOL = "protocol"
    HUMAN_CAPITAL = "human_capital"
    TRAINING_MATERIAL = "training_material"
    MOU_TEXT = "mou_text"
    OTHER = "other"


class DocumentLanguage(StrEnum):
    SPANISH = "es"
    ENGLISH = "en"
    OTHER = "other"


# The people named on a TLP:RED document: the only ones who may open it.
document_readers = Table(
    "document_readers",
    db.metadata,
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
)

document_followers = Table(
    "document_followers",
    db.metadata,
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
)


class Document(db.Model):
    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_mou_updated", "mou_id", "updated_at"),
        # The dashboard's documents added since the reader's last visit, and a working
        # group's latest documents on its page, without sorting all of them (0028).
        Index("ix_documents_created_at", "created_at"),
        Index("ix_documents_group_updated", "working_group_id", "updated_at"),
        # The search page reads the documents newest first when a word is common (0034;
        # portal/documents/search.py): partial, so no other page's plan changes.
        Index(
            "ix_documents_searchable_updated",
            "updated_at",
            "id",
            postgresql_where=text("search_terms <> ''"),
            sqlite_where=text("search_terms <> ''"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mou_id: Mapped[int] = mapped_column(ForeignKey("mous.id"))
    working_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("working_groups.id"), index=True
    )
    title_en: Mapped[str] = mapped_column(String(300), default="")
    title_es: Mapped[str] = mapped_column(String(300), default="", server_default="")
    description_md_en: Mapped[str] = mapped_column(Text, default="")
    description_md_es: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_html_en: Mapped[str] = mapped_column(Text, default="")
    description_html_es: Mapped[str] = mapped_column(Text, default="", server_default="")
    title = either_language("title")
    description_md = either_language("description_md")
    description_html = either_language("description_html")
    language: Mapped[DocumentLanguage] = mapped_column(
        enum_column(DocumentLanguage, "document_language")
    )
    category: Mapped[DocumentCategory] = mapped_column(
        enum_column(DocumentCategory, "document_category")
    )
    tlp: Mapped[TLP] = mapped_column(enum_column(TLP, "tlp"))
    owning_party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # On PostgreSQL, what search matches (portal/documents/search.py): the document's
    # distinct folded, stemmed words (title, description and text), through the GIN index
    # below. Kept on this row so a search reads one table: the match, the TLP rule's columns
    # and the order, without a join per match. Deferred: nothing else loads it. Empty on
    # SQLite, whose FTS5 table `document_fts` (made by the migration) is the index there.
    search_terms: Mapped[str | None] = mapped_column(Text, deferred=True)
    # Raised by every change the document page shows (portal/documents/versions.py): a kept
    # page of an older version is never served.
    page_version: Mapped[int] = mapped_column(default=1, server_default="1")

    mou: Mapped[Mou] = relationship()
    working_group: Mapped[WorkingGroup | None] = relationship()
    owning_party: Mapped[Party] = relationship()
    created_by: Mapped[User] = relationship()
    versions: Mapped[list["DocumentVersion"]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        order_by="DocumentVersion.number",
    )
    tags: Mapped[list["DocumentTag"]] = relationship(
        cascade="all, delete-orphan", order_by="DocumentTag.tag"
    )
    readers: Mapped[list[User]] = relationship(secondary=document_readers, order_by=User.name)
    followers: Mapped[list[User]] = relationship(secondary=document_followers)

    @property
    def current_version(self) -> "DocumentVersion | None":
        return self.versions[-1] if self.versions else None

    @property
    def tag_names(self) -> list[str]:
        return [t.tag for t in self.tags]

    @property
    def reader_ids(self) -> set[int]:
        return {u.id for u in self.readers}


class DocumentTag(db.Model):
    __tablename__ = "document_tags"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class DocumentVersion(db.Model):
    __tablename__ = "document_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    file_name: Mapped[str] = mapped_column(String(255))  # as the uploader named it: data only
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(120))
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(100), unique=True)
    change_note: Mapped[str] = mapped_column(String(500), default="")
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The file has text that was not read (beyond the parsing bounds, malformed or too
    # large): the version is kept, its document found by title and description only.
    text_skipped: Mapped[bool] = mapped_column(default=False, server_default=false())

    document: Mapped[Document] = relationship(back_populates="versions")
    uploaded_by: Mapped[User] = relationship()


class DocumentText(db.Model):
    """The current version's text: what search's snippets are cut from."""

    __tablename__ = "document_texts"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    content: Mapped[str] = mapped_column(Text, default="")


# An expression index rather than one on a stored tsvector column: PostgreSQL's planner
# does not count the cost of reading a large (TOASTed) tsvector, so it scanned every row's
# vector instead of this index (~45 ms a query over 10,000 documents against ~1.5 ms);
# to_tsvector's declared cost makes the index the only cheap way to match.
SEARCH_CONFIGURATION = text("'simple'::regconfig")
SEARCH_VECTOR = func.to_tsvector(SEARCH_CONFIGURATION, Document.__table__.c.search_terms)
Index("ix_documents_search_terms", SEARCH_VECTOR, postgresql_using="gin").ddl_if(
    dialect="postgresql"
)


# Documents attached to meeting agenda items (the meeting page lists those its reader may open).
agenda_item_documents = Table(
    "agenda_item_documents",
    db.metadata,
    Column("agenda_item_id", ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_agenda_item_documents_document_id", "document_id"),
)


class DocumentPage(StoredPage, db.Model):
    """The document page's body as its signed-in readers see it, rendered in one language
    (portal/documents/page.py): shared by every server and process, served while its version
    is the document's `page_version`. What differs per reader (the buttons, the form token,
    the times) is a slot."""

    __tablename__ = "document_pages"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, sort_order=-1
    )

"""Action items of working groups: owners, workflow, history and comments."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import Party, User, enum_column
from portal.core.bilingual import both, columns, either_language
from portal.core.db import UTCDateTime, utcnow
from portal.core.extensions import db
from portal.core.search import entry_index, keep_terms, scope_terms
from portal.meetings.models import Meeting
from portal.mous.models import LineOfCooperation, WorkingGroup


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


# Sort order for "priority": high first.
PRIORITY_RANK = {Priority.HIGH: 0, Priority.NORMAL: 1, Priority.LOW: 2}
ACTIVE_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
# The same, as the condition of the partial index of active items (migration 0030).
ACTIVE_ITEM = text("status IN ('open', 'in_progress')")

action_owners = Table(
    "action_item_owners",
    db.metadata,
    Column("action_item_id", ForeignKey("action_items.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
    # A person's items from the index alone (the lists' visibility clause reads it).
    Index("ix_action_item_owners_user_item", "user_id", "action_item_id"),
)


class ActionItem(db.Model):
    __tablename__ = "action_items"
    __table_args__ = (
        # The list's usual filters (one group, overdue) and the chart's months.
        Index("ix_action_items_group_status_due", "working_group_id", "status", "due_on"),
        Index("ix_action_items_due_status", "due_on", "status"),
        # One group's list in due-date order (the list's default sort).
        Index("ix_action_items_group_due", "working_group_id", "due_on", "priority_rank", "id"),
        # The open items alone (a few in a hundred) in due-date order: the dashboard's
        # previews and counts of a person's items, and the overdue ones.
        Index(
            "ix_action_items_active_due",
            "due_on",
            "id",
            postgresql_where=ACTIVE_ITEM,
            sqlite_where=ACTIVE_ITEM,
        ),
        # The open items in id order with their group and date: joined with a person's owned
        # items (the owners' index), the dashboard's preview and counts of their items.
        Index(
            "ix_action_items_active_id",
            "id",
            "working_group_id",
            "due_on",
            postgresql_where=ACTIVE_ITEM,
            sqlite_where=ACTIVE_ITEM,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    working_group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    line_id: Mapped[int | None] = mapped_column(ForeignKey("lines_of_cooperation.id"))
    responsible_party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    title_es: Mapped[str] = mapped_column(String(200), default="", server_default="")
    description_md_en: Mapped[str] = mapped_column(Text, default="")
    description_md_es: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_html_en: Mapped[str] = mapped_column(Text, default="")
    description_html_es: Mapped[str] = mapped_column(Text, default="", server_default="")
    title = either_language("title")
    description_md = either_language("description_md")
    description_html = either_language("description_html")
    due_on: Mapped[date]
    priority: Mapped[Priority] = mapped_column(
        enum_column(Priority, "action_priority"), default=Priority.NORMAL
    )
    # 0 high, 1 normal, 2 low: sorting by it in SQL needs no CASE.
    priority_rank: Mapped[int] = mapped_column(default=1)
    status: Mapped[ActionStatus] = mapped_column(
        enum_column(ActionStatus, "action_status"), default=ActionStatus.OPEN
    )
    cancel_reason: Mapped[str] = mapped_column(String(500), default="")
    completed_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    working_group: Mapped[WorkingGroup] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    line: Mapped[LineOfCooperation | None] = relationship()
    responsible_party: Mapped[Party] = relationship()
    created_by: Mapped[User | None] = relationship()
    owners: Mapped[list[User]] = relationship(secondary=action_owners, order_by=User.name)
    history: Mapped[list["ActionHistory"]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="ActionHistory.id"
    )
    comments: Mapped[list["ActionComment"]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="ActionComment.id"
    )

    def is_overdue(self, today: date) -> bool:
        return self.status in ACTIVE_STATUSES and self.due_on < today


class ActionHistory(db.Model):
    """One change of an item: who, when, which field, the value before and after."""

    __tablename__ = "action_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_item_id: Mapped[int] = mapped_column(
        ForeignKey("action_items.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    field: Mapped[str] = mapped_column(String(32))
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")

    item: Mapped[ActionItem] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship()


class ActionComment(db.Model):
    __tablename__ = "action_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_item_id: Mapped[int] = mapped_column(
        ForeignKey("action_items.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)

    item: Mapped[ActionItem] = relationship(back_populates="comments")
    author: Mapped[User] = relationship()


# Search (portal/core/search.py, portal/actions/search.py): each item's terms, rewritten when
# its title or description changes, matched through a GIN index of their own.
# Its scope: its group's token and its owners' (see visible_actions_clause), rewritten when
# the item moves to another group or its owners change.
SEARCH_INDEX = entry_index("action_item", scoped=True)
ACTION_TERMS = keep_terms(
    ActionItem,
    "action_item",
    lambda item: both(item, "title", "description_md"),
    (*columns("title", "description_md"), "working_group_id", "working_group", "owners"),
    scope_of=lambda item: scope_terms(
        groups=[item.working_group_id], people=[owner.id for owner in item.owners]
    ),
)

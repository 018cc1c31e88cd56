"""FIRST TLP 2.0 labels. The labels themselves are never translated; their descriptions are."""

from collections.abc import Callable
from enum import StrEnum

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, or_

from portal.core.access import same_party


class TLP(StrEnum):
    CLEAR = "clear"
    GREEN = "green"
    AMBER = "amber"
    AMBER_STRICT = "amber_strict"
    RED = "red"

    @property
    def label(self) -> str:
        return "TLP:" + self.value.upper().replace("_", "+")

    @property
    def rank(self) -> int:
        """Higher is more restricted."""
        return list(TLP).index(self)


TLP_DESCRIPTIONS = {
    TLP.CLEAR: _l("Anyone may see it."),
    TLP.GREEN: _l("Every account of the MoU's parties."),
    TLP.AMBER: _l("The members of the working group, of both parties."),
    TLP.AMBER_STRICT: _l("Only the owning party's delegation."),
    TLP.RED: _l("Only the people named."),
}


def choice_label(label: TLP) -> LazyString:
    """ "TLP:AMBER · <its description>", put together when shown, in the reader's language
    (an f-string at import would fix the description in English for everybody)."""
    return LazyString(lambda: f"{label.label} · {TLP_DESCRIPTIONS[label]}")


# The ladder --------------------------------------------------------------------------------
# Documents and CSIRT bulletins share one rule and differ only in who forms the AMBER circle
# (a working group's readers; both parties' CSIRTs). Each feature's access.py states its
# circle and calls these, in Python for one object and in SQL for lists, counts and search.


def tlp_allows(
    label: TLP,
    user,
    owning_party_id: int | None,
    *,
    named: Callable[[], bool],
    mou_reader: Callable[[], bool],
    circle: Callable[[], bool],
) -> bool:
    """Whether the user may open an object with this label. The callables answer "is the user
    named on it", "does the user read its MoU" and "is the user in its AMBER circle"; each is
    asked only when the label needs it."""
    if label == TLP.CLEAR:
        return True
    if not user.is_authenticated:
        return False
    if label == TLP.RED:
        return named()
    if label == TLP.GREEN:
        return mou_reader()
    if not circle():
        return False
    return label == TLP.AMBER or same_party(user.party_id, owning_party_id)


def tlp_clause(
    label: ColumnElement,
    owning_party_id: ColumnElement,
    user,
    *,
    named: Callable[[], ColumnElement[bool]],
    mou_reader: Callable[[], ColumnElement[bool]],
    circle: Callable[[], ColumnElement[bool]],
) -> ColumnElement[bool]:
    """tlp_allows as a WHERE clause on the object's columns; the callables build the clauses
    (called only for a signed-in user)."""
    clear = label == TLP.CLEAR
    if not user.is_authenticated:
        return clear
    in_circle = circle()
    return or_(
        clear,
        and_(label == TLP.GREEN, mou_reader()),
        and_(label == TLP.AMBER, in_circle),
        and_(label == TLP.AMBER_STRICT, owning_party_id == user.party_id, in_circle),
        and_(label == TLP.RED, named()),
    )

"""FIRST TLP 2.0 labels. The labels themselves are never translated; their descriptions are."""

from enum import StrEnum

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


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

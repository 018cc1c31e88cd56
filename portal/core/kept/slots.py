"""Slots: text rendered once for many readers, with the places where each reader's own
values go (a form token, their reply, times in their zone, their name in a mail).

A slot is an HTML comment, `<!--name-->` or `<!--name:argument-->`. Escaped text never
contains `<` and sanitised Markdown keeps no comments, so no user's text can stand for a
slot in HTML. Text that is not escaped (plain-text mail) uses slots with a random token
(`Slots.private()`), which nobody can guess.
"""

import re
import secrets
from collections.abc import Callable, Mapping

from markupsafe import Markup, escape

_NAME = r"[A-Za-z0-9_.]+(?::[A-Za-z0-9_/+,.:|-]*)?"

Filling = str | Callable[[str], str]


class Slots:
    def __init__(self, token: str = "") -> None:
        self.prefix = f"{token}:" if token else ""
        self.pattern = re.compile(f"<!--{re.escape(self.prefix)}({_NAME})-->")
        self.token = token

    @classmethod
    def private(cls) -> "Slots":
        """Slots no text can contain by chance, for text that is not escaped."""
        return cls(secrets.token_hex(8))

    def slot(self, name: str, argument: str | None = None) -> Markup:
        """The place of a value (`name`, or `name:argument` for one of many)."""
        marker = f"<!--{self.prefix}{name}{'' if argument is None else ':' + argument}-->"
        if not self.pattern.fullmatch(marker):
            raise ValueError(f"not a slot: {marker!r}")
        return Markup(marker)  # noqa: S704 - checked against the pattern  # nosec B704

    def split(self, rendered: str) -> list[str]:
        """Text and slot names, alternating; refused if a private slot was changed by a filter."""
        parts = self.pattern.split(rendered)
        if self.token and any(self.token in text for text in parts[::2]):
            raise RuntimeError("a personal value was transformed in the template")
        return parts

    def fill(
        self, rendered: str | list[str], fillings: Mapping[str, Filling], *, html: bool = True
    ) -> str:
        """The text with each slot filled: `fillings[name]` is the value, or a function of the
        argument. In HTML a plain string is escaped and Markup kept as it is."""
        parts = self.split(rendered) if isinstance(rendered, str) else list(rendered)
        for index in range(1, len(parts), 2):
            name, _, argument = parts[index].partition(":")
            filling = fillings[name]
            value = filling(argument) if callable(filling) else filling
            parts[index] = str(escape(value)) if html else value
        filled = "".join(parts)
        return Markup(filled) if html else filled  # noqa: S704 - fillings escaped  # nosec B704


# Slots in HTML rendered by our templates, kept in the database or the process.
HTML_SLOTS = Slots()

"""Markdown to HTML, sanitised: what people type never runs in another person's browser."""

import nh3
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def render_markdown(text: str) -> str:
    """Render once, at save time; the stored HTML is what pages show."""
    html = _parser.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def markdown_to_text(text: str) -> str:
    """Markdown as plain text (a mail's text part, an iCalendar DESCRIPTION): no `**`, `#` or
    `[..](..)` shown raw; a link keeps its address in brackets, list items a dash."""
    lines: list[str] = []
    prefix: list[str] = []
    for token in _parser.parse(text or ""):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            prefix.append("- " if token.type == "bullet_list_open" else "1. ")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            prefix.pop()
            lines.append("")
        elif token.type in ("inline", "code_block", "fence"):
            body = _inline_text(token) if token.type == "inline" else token.content.rstrip("\n")
            lines.append(("  " * (len(prefix) - 1) + prefix[-1] if prefix else "") + body)
        elif token.type in ("paragraph_close", "heading_close") and not prefix:
            lines.append("")
    return "\n".join(lines).strip()


def _inline_text(token) -> str:
    parts: list[str] = []
    href = None
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "link_open":
            href = child.attrs.get("href")
            start = len(parts)
        elif child.type == "link_close" and href:
            label = "".join(parts[start:])
            if label != href:
                parts.append(f" ({href})")
            href = None
    return "".join(parts)

"""Snippets of search hits: a short passage around the first match, every match in <mark>,
the rest escaped (the search page's hits and the documents' search)."""

import re

from markupsafe import Markup, escape

from portal.core.search import CONFIGURATIONS, SearchQuery, fold, stem

SNIPPET_BEFORE, SNIPPET_AFTER = 80, 200


def highlight(source: str, query: SearchQuery) -> Markup:
    """A short passage of `source` around its first match, every match in <mark>, the rest
    escaped; the start of `source` when nothing in it matches."""
    stems = query.stems()
    folded = fold_keeping_length(source)
    prefixes = sorted({s[:3] for s in stems if s}, key=len, reverse=True)
    spans = []
    if prefixes:
        candidate = re.compile(r"\b(?:" + "|".join(map(re.escape, prefixes)) + r")\w*")
        for found in candidate.finditer(folded):
            if any(stem(found.group(), c) in stems for c in CONFIGURATIONS):
                spans.append(found.span())
                if spans[0][0] + SNIPPET_AFTER < found.start():
                    break
    if not spans:
        end = SNIPPET_BEFORE + SNIPPET_AFTER
        return escape(source[:end]) + (escape(" …") if len(source) > end else "")
    return highlight_spans(source, spans)


def highlight_spans(source: str, spans: list[tuple[int, int]]) -> Markup:
    start = max(0, spans[0][0] - SNIPPET_BEFORE)
    end = min(len(source), spans[0][0] + SNIPPET_AFTER)
    parts, position = [], start
    for span_start, span_end in spans:
        if span_end > end:
            break
        parts.append(escape(source[position:span_start]))
        parts.append(Markup("<mark>%s</mark>") % source[span_start:span_end])
        position = span_end
    parts.append(escape(source[position:end]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(source) else ""
    return escape(prefix) + Markup("").join(parts) + escape(suffix)


def fold_keeping_length(source: str) -> str:
    """Folded text with the same length as the source, so spans point into both."""
    folded = source.lower()
    if len(folded) != len(source):
        folded = source
    if folded.isascii():
        return folded
    # Only the few letters outside ASCII are looked up (str.translate looks up every one).
    return _NOT_ASCII.sub(lambda letter: _ACCENT_TABLE.get(letter[0], letter[0]), folded)


def _build_accent_table() -> dict[str, str]:
    table_ = {}
    for code in range(0xC0, 0x250):
        base = fold(chr(code))
        if len(base) == 1 and base != chr(code):
            table_[chr(code)] = base
    return table_


_ACCENT_TABLE = _build_accent_table()
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")

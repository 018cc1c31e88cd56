"""CSV that is safe to open in a spreadsheet: no cell is ever read as a formula."""

import csv
import io
from collections.abc import Iterable

# A spreadsheet reads a cell starting with these as a formula (tab and CR too, after trimming).
# Some spreadsheets fold the full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20) to their ASCII
# twins before parsing, so they start a formula too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: object) -> str:
    """The cell as text; a leading quote makes a would-be formula plain text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """The rows (the header first) as CSV text, every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(safe_cell(value) for value in row)
    return out.getvalue()

"""CSV cells a spreadsheet could read as a formula are quoted, full-width forms included."""

import csv
import io

import pytest

from portal.core.spreadsheet import csv_text, safe_cell

FULL_WIDTH_TWINS = {"＝": "=", "＋": "+", "－": "-", "＠": "@"}


@pytest.mark.parametrize(("full_width", "ascii_twin"), FULL_WIDTH_TWINS.items())
def test_a_full_width_formula_start_is_quoted_like_its_ascii_twin(full_width, ascii_twin):
    assert safe_cell(f"{ascii_twin}HYPERLINK(x)") == f"'{ascii_twin}HYPERLINK(x)"
    assert safe_cell(f"{full_width}HYPERLINK(x)") == f"'{full_width}HYPERLINK(x)"


def test_full_width_signs_inside_a_cell_are_left_alone():
    assert safe_cell("Reunión ＝ acuerdo") == "Reunión ＝ acuerdo"


def test_a_csv_of_full_width_formulas_reads_back_as_text():
    text = csv_text([["Title"], ["＝1+1"], ["＠SUM(A1)"], ["＋cmd"], ["－2"]])
    rows = list(csv.reader(io.StringIO(text)))
    assert [row[0] for row in rows[1:]] == ["'＝1+1", "'＠SUM(A1)", "'＋cmd", "'－2"]

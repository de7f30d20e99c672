"""The streamed XLSX writer, read back by an independent reader (openpyxl)."""

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from app.domain import xlsx


def read_back(data: bytes) -> tuple[list[str], list[list]]:
    workbook = load_workbook(io.BytesIO(data))  # the full reader: it checks the cells' references
    sheet = workbook.worksheets[0]
    return workbook.sheetnames, [[cell.value for cell in row] for row in sheet.iter_rows()]


def written(rows, name="sheet") -> bytes:
    buffer = io.BytesIO()
    xlsx.write(rows, name, buffer)
    return buffer.getvalue()


def test_numbers_stay_numbers_text_stays_text_and_blanks_stay_blank():
    rows = [
        ("email", "score", "level"),
        ("ana@banco.es", 72.5, "Avanzado"),
        ("luis@banco.es", 40, ""),
        ("=SUM(A1)", -0.25, None),
        ("  espacios  ", 1e-05, True),
        ("a & b < c > d \"e\" 'f'", 12345678901234, "ñ Ü €"),
    ]
    names, back = read_back(written(rows, "scores"))
    assert names == ["scores"]
    assert back == [
        ["email", "score", "level"],
        ["ana@banco.es", 72.5, "Avanzado"],
        ["luis@banco.es", 40, None],
        ["=SUM(A1)", -0.25, None],  # text, never a formula: it is written as a string
        ["  espacios  ", 1e-05, True],
        ["a & b < c > d \"e\" 'f'", 12345678901234, "ñ Ü €"],
    ]
    sheet = zipfile.ZipFile(io.BytesIO(written(rows))).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no formula element anywhere


def test_characters_xml_cannot_hold_are_dropped_not_fatal():
    _names, back = read_back(written([("tab\there", "bell\x07 and nul\x00", "line\nbreak")]))
    assert back == [["tab\there", "bell and nul", "line\nbreak"]]


def test_a_number_a_sheet_cannot_hold_is_refused_with_where_it_was():
    with pytest.raises(ValueError, match="row 2, column B"):
        written([("a", "b"), ("x", float("nan"))])


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (7, "H"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_column_letters(index, letters):
    assert xlsx.column_letter(index) == letters


@pytest.mark.parametrize(
    ("name", "expected"),
    [("scores", "scores"), ("a/b:c*d?[e]", "a_b_c_d__e_"), ("", "Sheet1"), ("x" * 40, "x" * 31)],
)
def test_sheet_names_are_ones_excel_accepts(name, expected):
    assert xlsx.sheet_name(name) == expected
    assert read_back(written([("a",)], name))[0] == [expected]


def test_an_empty_export_is_still_a_file_a_spreadsheet_opens():
    assert xlsx.write([], "empty", io.BytesIO()) == 0
    assert read_back(written([]))[1] in ([], [[None]])


cells = st.one_of(
    st.none(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=30),
    st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cells, min_size=1, max_size=30), max_size=12))
def test_any_rows_come_back_as_written(rows):
    """Whatever the values, the reader sees each cell as written: numbers exact, text without only
    the characters XML cannot hold, blanks blank."""

    def expected(value):
        if isinstance(value, str):
            value = xlsx._ILLEGAL.sub("", value)
            return value or None
        return value

    sheet = load_workbook(io.BytesIO(written(rows))).worksheets[0]
    back = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row if c.value is not None}
    want = {
        (r, c): expected(value)
        for r, row in enumerate(rows, start=1)
        for c, value in enumerate(row, start=1)
        if expected(value) is not None
    }
    assert back == want

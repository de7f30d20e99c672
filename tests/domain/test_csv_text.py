"""The exports' CSV lines are what `csv.writer` writes, for any cells."""

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from app.domain import csv_text

cell = st.text(alphabet=st.sampled_from(["a", "é", " ", ",", ";", '"', "'", "\r", "\n", "=", "1", "."]), max_size=6)


@given(rows=st.lists(st.lists(cell, max_size=5), max_size=5), delimiter=st.sampled_from([",", ";"]))
def test_lines_are_what_the_csv_writer_writes(rows, delimiter):
    expected = io.StringIO()
    csv.writer(expected, delimiter=delimiter).writerows(rows)
    written = "".join(csv_text.line([csv_text.quoted(c, delimiter) for c in row], delimiter) for row in rows)
    assert written == expected.getvalue()


def test_a_cell_with_the_delimiter_a_quote_or_a_line_break_is_quoted_and_nothing_else():
    assert csv_text.quoted("Pérez; Ana", ";") == '"Pérez; Ana"'
    assert csv_text.quoted("Pérez, Ana", ";") == "Pérez, Ana"
    assert csv_text.quoted('say "hi"', ",") == '"say ""hi"""'
    assert csv_text.quoted("two\nlines", ",") == '"two\nlines"'
    assert csv_text.line([""], ",") == '""\r\n'

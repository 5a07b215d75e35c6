"""Reading the business's own files: encodings, separators, dates, columns, and every bad input
named by file, row and column."""

from __future__ import annotations

import re
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from estimator.model.own_data import tables as own_data
from estimator.model.own_data.cells import parse_dates, parse_number, parse_stars, parse_yes_no
from estimator.model.own_data.tables import MAX_OWN_DATA_BYTES, OwnDataError, Table, read_table
from estimator.model.own_data.records import read_complaints, read_reviews, read_survey

REVIEWS = [("2026-01-05", 5), ("2026-01-20", 4), ("2026-02-11", 1), ("2026-03-02", 4), ("2026-03-30", 2)]


def _csv(rows: list[tuple[str, ...]], sep: str = ",") -> str:
    return "\n".join(sep.join(row) for row in rows) + "\n"


def _reviews_text(sep: str = ",", header: tuple[str, str] = ("date", "stars")) -> str:
    return _csv([header, *[(d, str(s)) for d, s in REVIEWS]], sep)


def _names(message: str, file: str, row: int, column: str | None = None) -> None:
    """The message names the file, the row and (where there is one) the column."""
    assert message.startswith(file), message
    assert re.search(rf"\brow {row:,}\b", message), message
    if column is not None:
        assert f"column '{column}'" in message, message
    assert len(message) <= 500 and "\n" not in message


def _error(reader, data: bytes, name: str = "r.csv") -> str:
    with pytest.raises(OwnDataError) as info:
        reader(data, name)
    return str(info.value)


# --- what a good file gives ------------------------------------------------------------------------

def test_a_reviews_file_gives_exactly_its_stars_dates_and_count():
    r = read_reviews(_reviews_text().encode(), "r.csv")
    assert r.stars.tolist() == [float(s) for _, s in REVIEWS]
    assert [date.fromordinal(int(d)).isoformat() for d in r.days] == [d for d, _ in REVIEWS]
    assert r.info.rows == len(REVIEWS) and r.info.period == "2026-01-05 to 2026-03-30"
    assert r.info.columns == {"date": "date", "stars": "stars"}


@pytest.mark.parametrize("encoding, label", [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 with byte-order mark"),
                                             ("utf-16", "UTF-16"), ("cp1252", "Windows-1252")])
def test_every_encoding_gives_the_same_reviews_and_says_which_it_was(encoding, label):
    text = _reviews_text(";", ("päivämäärä", "tähdet"))
    r = read_reviews(text.encode(encoding), "r.csv")
    assert r.info.encoding == label
    assert r.stars.tolist() == [float(s) for _, s in REVIEWS]
    assert r.info.columns == {"date": "päivämäärä", "stars": "tähdet"}


def test_a_byte_that_is_text_in_no_encoding_is_named():
    data = "date,stars,text\n2026-01-05,4,caf\xe9\x81\n".encode("latin-1")  # 0x81: a control code in Latin-1
    message = _error(read_reviews, data)
    _names(message, "r.csv", 2, "text")
    assert "0x81" in message


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_each_separator_is_found_and_named(sep):
    r = read_reviews(_reviews_text(sep).encode(), "r.csv")
    assert r.info.separator == {",": "comma", ";": "semicolon", "\t": "tab"}[sep]
    assert r.stars.tolist() == [float(s) for _, s in REVIEWS]


def test_semicolon_files_read_a_decimal_comma_and_comma_files_quote_their_text():
    semi = read_reviews(b"Date;Rating\n2026-01-05;4,5\n2026-01-06;3\n", "r.csv")
    assert semi.stars.tolist() == [4.5, 3.0] and semi.info.decimal_comma
    comma = read_reviews(b'date,stars,text\n2026-01-05,4,"Good, quick"\n', "r.csv")
    assert comma.stars.tolist() == [4.0] and not comma.info.decimal_comma


def test_common_export_column_names_are_found_and_reported():
    r = read_reviews(b"Reviewer,Star rating,Published at,Text\nA,5,2026-01-05,x\n", "r.csv")
    assert r.info.columns == {"date": "Published at", "stars": "Star rating"}


@pytest.mark.parametrize("text, expected", [
    ("2026-01-31", date(2026, 1, 31)), ("2026-01-31T10:00:00Z", date(2026, 1, 31)),
    ("2026-01-31 23:59:59+02:00", date(2026, 1, 31)), ("31.1.2026", date(2026, 1, 31)),
    ("31.1.2026 klo 10.00", date(2026, 1, 31)), ("2026/01/31", date(2026, 1, 31)),
    ("31 Jan 2026", date(2026, 1, 31)), ("January 31, 2026", date(2026, 1, 31)),
    ("1769817600", date(2026, 1, 31)), ("1769817600000", date(2026, 1, 31))])
def test_common_date_formats(text, expected):
    table = Table("r.csv", "UTF-8", ",", ("date",), ((text,),), (2,))
    assert parse_dates(table, 0)[0] == [expected]


def test_slashed_dates_are_day_first_unless_the_column_proves_month_first():
    def read(*cells: str) -> tuple[list[date], str]:
        return parse_dates(Table("r.csv", "UTF-8", ",", ("date",), tuple((c,) for c in cells),
                                 tuple(range(2, len(cells) + 2))), 0)

    dates, note = read("01/02/2026", "03/04/2026")
    assert dates == [date(2026, 2, 1), date(2026, 4, 3)] and "no part above 12" in note
    dates, note = read("01/02/2026", "01/31/2026")
    assert dates == [date(2026, 1, 2), date(2026, 1, 31)] and "month/day/year (row 3" in note
    dates, note = read("31/01/2026", "01/02/2026")
    assert dates == [date(2026, 1, 31), date(2026, 2, 1)] and "day/month/year (row 2" in note
    with pytest.raises(OwnDataError) as info:
        read("31/01/2026", "01/31/2026")
    _names(str(info.value), "r.csv", 3, "date")


@given(st.dates(date(1995, 1, 1), date(2090, 12, 31)), st.sampled_from(["iso", "fi", "iso_t", "epoch", "words"]))
def test_any_date_written_any_known_way_reads_back_as_itself(day, style):
    text = {"iso": day.isoformat(), "fi": f"{day.day}.{day.month}.{day.year}",
            "iso_t": f"{day.isoformat()}T12:00:00Z", "words": day.strftime("%d %b %Y"),
            "epoch": str(int((day - date(1970, 1, 1)).days * 86400 + 43200))}[style]
    assert parse_dates(Table("r.csv", "UTF-8", ",", ("date",), ((text,),), (2,)), 0)[0] == [day]


def test_numbers_stars_and_answers():
    assert parse_number("1 234,5", True) == 1234.5 and parse_number("1.234,5", True) == 1234.5
    assert parse_stars("★★☆☆☆", False) == 2 and parse_stars("5 stars", False) == 5 and parse_stars("3/5", False) == 3
    for yes in ("Yes", "resolved", "Ratkaistu", "kyllä", "TRUE", "1", "Closed - resolved"):
        assert parse_yes_no(yes) is True, yes
    for no in ("no", "Unresolved", "ratkaisematta", "ei", "false", "0", "not resolved"):
        assert parse_yes_no(no) is False, no
    for unknown in ("", "open", "pending", "kesken"):
        assert parse_yes_no(unknown) is None


def test_a_complaint_log_counts_outcomes_in_every_spelling():
    log = read_complaints("date,status\n2026-01-02,resolved\n2026-01-03,Yes\n2026-01-04,ratkaistu\n"
                          "2026-01-05,no\n2026-01-06,ratkaisematta\n2026-01-07,open\n2026-01-08,\n".encode(), "c.csv")
    assert (log.resolved, log.unresolved, log.unknown) == (3, 2, 2)
    no_outcome = read_complaints(b"date\n2026-01-02\n2026-01-09\n", "c.csv")
    assert (no_outcome.resolved, no_outcome.unresolved, no_outcome.unknown) == (0, 0, 2)
    assert "outcome" not in no_outcome.info.columns


def test_survey_layouts_counts_respondents_and_nps():
    counts = read_survey(b"answer;count\nrespondents;400\ndissatisfied;20\ncomplained;5\nunresolved;4\n", "s.csv")
    assert (counts.respondents, counts.bad, counts.complaint_answers, counts.complained) == (400, 20, 20, 5)
    assert (counts.resolution_answers, counts.resolved) == (5, 1)
    rows = read_survey(b"satisfied,complained,resolved\nyes,,\nno,yes,no\nno,no,\nno,yes,yes\n,,\nyes,yes,\n", "s.csv")
    assert (rows.respondents, rows.bad, rows.complaint_answers, rows.complained) == (5, 3, 3, 2)
    assert (rows.resolution_answers, rows.resolved) == (2, 1)
    assert rows.ignored == {"complained without a bad experience": 1}
    nps = read_survey(b"nps\n" + b"\n".join(str(s).encode() for s in range(11)) + b"\n", "n.csv")
    assert (nps.layout, nps.respondents, nps.bad, nps.nps_bad_max) == ("nps", 11, 7, 6)
    assert any("assumption" in note for note in nps.info.notes)


# --- every bad input: file, row and column ---------------------------------------------------------

def test_wrong_columns_name_the_file_the_header_row_and_what_was_found():
    message = _error(read_reviews, b"when,how many\n2026-01-05,4\n")
    _names(message, "r.csv", 1)
    assert "no date column" in message and "'when', 'how many'" in message


def test_stars_outside_one_to_five_name_row_and_column():
    message = _error(read_reviews, b"date,Rating\n2026-01-05,4\n2026-01-06,0\n")
    _names(message, "r.csv", 3, "Rating")
    assert "outside 1 to 5" in message
    assert "1-10 score" in _error(read_reviews, b"date,Rating\n2026-01-05,8\n")


def test_unparseable_dates_name_row_and_column():
    message = _error(read_reviews, b"date,stars\n2026-01-05,4\n\nyesterday,4\n")
    _names(message, "r.csv", 4, "date")  # blank row 3 still counts, as a spreadsheet shows it
    _names(_error(read_reviews, b"date,stars\n2026-02-30,4\n"), "r.csv", 2, "date")
    assert "outside 1990-2100" in _error(read_reviews, b"date,stars\n100000000,4\n")  # 1973
    assert "export absolute dates" in _error(read_reviews, b"date,stars\n2 months ago,4\n")


def test_empty_files_and_header_only_files():
    for data in (b"", b"\n\n  \n", b"\xef\xbb\xbf"):
        message = _error(read_reviews, data)
        _names(message, "r.csv", 1)
        assert "empty" in message and "date, stars" in message
    _names(_error(read_reviews, b"date,stars\n"), "r.csv", 2)


def test_a_file_over_ten_megabytes_is_refused_naming_the_row_where_the_limit_falls():
    line = b"2026-01-05,4," + b"x" * 1000 + b"\n"
    data = b"date,stars,text\n" + line * (MAX_OWN_DATA_BYTES // len(line) + 2)
    assert len(data) > MAX_OWN_DATA_BYTES
    message = _error(read_reviews, data)
    expected_row = data.count(b"\n", 0, MAX_OWN_DATA_BYTES) + 1
    _names(message, "r.csv", expected_row)
    assert "10 MB" in message


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(own_data, "MAX_ROWS", 3)
    _names(_error(read_reviews, _reviews_text().encode()), "r.csv", 5)


def test_mixed_encodings_name_the_row_and_column_of_the_first_foreign_byte():
    data = "date;stars;text\n2026-01-05;4;hyvä\n".encode("utf-8") + "2026-01-06;5;kahvi ä\n".encode("cp1252")
    message = _error(read_reviews, data)
    _names(message, "r.csv", 3, "text")
    assert "mixed encodings" in message and "row 2 is UTF-8" in message


def test_binary_junk_is_refused_with_row_and_column():
    _names(_error(read_reviews, b"date,stars\n2026-01-05,4\x00\n"), "r.csv", 2, "stars")
    message = _error(read_reviews, b"date,stars\nPK\x03\x04\x14\x00\x06\x00binary")
    _names(message, "r.csv", 2)
    assert "binary" in message


@pytest.mark.parametrize("start, kind", [(b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook (.xlsx)"),
                                         (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Excel workbook (.xls)"),
                                         (b"\x1f\x8b\x08\x00", "gzip archive"), (b"\x89PNG\r\n\x1a\n", "PNG image"),
                                         (b"%PDF-1.7\n", "PDF document")])
def test_a_file_of_another_kind_is_named_for_what_it_is(start, kind):
    """A workbook, archive, image or PDF saved as .csv is told what it is (not "mixed encodings")."""
    message = _error(read_reviews, start + bytes(range(256)) * 4)
    assert kind in message and "not a CSV file" in message and "mixed" not in message


def test_utf16_without_a_byte_order_mark_is_read():
    text = "date;stars\n2026-01-05;4\n2026-01-06;5\n"
    for codec in ("utf-16-le", "utf-16-be"):
        reviews = read_reviews(text.encode(codec), "r.csv")
        assert reviews.info.encoding == "UTF-16 (no byte-order mark)" and reviews.info.rows == 2


def test_mixed_separators_name_the_row_and_the_missing_column():
    message = _error(read_reviews, b"date;stars\n2026-01-05;4\n2026-01-06,5\n")
    _names(message, "r.csv", 3, "stars")
    assert "mixed separators" in message
    _names(_error(read_reviews, b"date;stars,text\n"), "r.csv", 1)


def test_a_decimal_comma_in_a_comma_file_is_named():
    message = _error(read_reviews, b"date,stars\n2026-01-05,4,5\n")
    _names(message, "r.csv", 2)
    assert "column 3 (after 'stars')" in message and "decimal comma" in message
    message = _error(read_reviews, b'date,stars\n2026-01-05,"4,5"\n')
    _names(message, "r.csv", 2, "stars")
    assert "write 4.5" in message


def test_bad_outcomes_and_survey_answers_name_row_and_column():
    _names(_error(read_complaints, b"date,outcome\n2026-01-05,maybe\n", "c.csv"), "c.csv", 2, "outcome")
    _names(_error(read_survey, b"nps\n9\n11\n", "s.csv"), "s.csv", 3, "nps")
    _names(_error(read_survey, b"answer,count\nrespondents,10\ndissatisfied,12\n", "s.csv"), "s.csv", 3, "count")
    _names(_error(read_survey, b"answer,count\nrespondents,10\nangry,2\n", "s.csv"), "s.csv", 3, "answer")
    _names(_error(read_survey, b"colour,size\nred,3\n", "s.csv"), "s.csv", 1)
    _names(_error(read_survey, b"answer,count\nrespondents,0\ndissatisfied,0\n", "s.csv"), "s.csv", 2, "count")


def test_messages_are_capped_and_on_one_line():
    header = "x" * 5000
    message = _error(read_reviews, f"{header},stars\n2026-01-05,4\n".encode())
    assert len(message) <= 500 and "\n" not in message


def test_read_table_keeps_quoted_fields_and_skips_blank_rows():
    table = read_table(b'a,b\n"1,5","line\nbreak"\n\n2,3\n', "t.csv")
    assert table.rows == (("1,5", "line\nbreak"), ("2", "3")) and table.row_numbers == (2, 4)
    assert np.array_equal(read_reviews(b"date,stars,\n2026-01-05,4,\n", "r.csv").stars, [4.0])  # trailing separator


def test_dates_are_sorted_and_the_period_is_first_to_last():
    days = [date(2026, 3, 1) - timedelta(d) for d in (0, 40, 10)]
    r = read_reviews(_csv([("date", "stars"), *[(d.isoformat(), "3") for d in days]]).encode(), "r.csv")
    assert list(r.days) == sorted(d.toordinal() for d in days)
    assert (r.info.first, r.info.last) == (min(days), max(days))


_CELLS = st.sampled_from(["2026-01-05", "31.1.2026", "01/31/2026", "4", "4,5", "", "yes", "ratkaistu", "x",
                          '"a,b"', '"', "ä", "\x00", "\ufeff", "10", "-1", "1e400", "nan", "★★"])


@given(st.one_of(st.binary(max_size=400),
                 st.lists(st.lists(_CELLS, max_size=5), max_size=8).map(
                     lambda rows: "\n".join(",".join(r) for r in [["date", "stars", "outcome", "nps"], *rows]).encode()),
                 st.lists(st.lists(_CELLS, max_size=4), max_size=8).map(
                     lambda rows: "\n".join(";".join(r) for r in [["answer", "count"], *rows]).encode())))
def test_any_bytes_give_records_or_one_named_error(data):
    for reader in (read_reviews, read_complaints, read_survey):
        try:
            reader(data, "f.csv")
        except OwnDataError as exc:
            assert str(exc).startswith("f.csv") and len(str(exc)) <= 500 and "\n" not in str(exc)

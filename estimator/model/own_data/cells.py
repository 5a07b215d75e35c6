"""Cells of a business's own data files: numbers, stars, yes/no answers and dates.

Numbers: ``4.5``; ``4,5`` where a decimal comma is read (separator ``;`` or tab), never in a
comma-separated file; thousands written ``1 200`` or ``1,200``. Stars: 1 to 5, written ``4``,
``4,0``, ``4/5``, ``4 stars`` or ``★★★★☆``. Yes/no: English and Finnish spellings, blank or
"open" for not known.

Dates: ISO (``2026-01-31``, ``2026-01-31T10:00:00Z``, ``2026/01/31``), day-first with dots
(``31.1.2026``, Finnish and German), ``31 Jan 2026`` / ``Jan 31, 2026``, Unix epoch seconds
(9-10 digits) or milliseconds (12-13 digits), and slashes. Slashed dates are read day first
(``31/01/2026``) unless some date in the same column can only be month first (a second part
above 12, as in ``01/31/2026``); a column with both kinds is refused. The date is taken as
written: times and time zones are ignored. Years outside 1990-2100 are refused as misread.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from ..inputs.text import Text
from ..scenarios import file_texts as texts
from .tables import Table, problem_of
from .tables import short_text as _short

#: Dates outside these years are refused as misread (an epoch of 0 is 1970).
FIRST_YEAR, LAST_YEAR = 1990, 2100


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")


def parse_number(text: str, decimal_comma: bool) -> float:
    """A finite number from a cell: ``4.5``, ``4,5`` (where a decimal comma is read),
    ``1 200`` or ``1,200`` (thousands), or ``ValueError``.

    >>> parse_number("4,5", True), parse_number("1 200", False), parse_number("1,200", False)
    (4.5, 1200.0, 1200.0)
    >>> parse_number("4,5", False)
    Traceback (most recent call last):
    ...
    ValueError: '4,5' has a decimal comma in a comma-separated file; write 4.5
    """
    s = re.sub(r"[\s\u00a0\u202f']", "", text)
    if decimal_comma and "," in s:
        s = s.replace(".", "").replace(",", ".") if "." in s else s.replace(",", ".")
    elif "," in s:
        if not _THOUSANDS.fullmatch(s.lstrip("+-")):
            raise ValueError(Text(texts.DECIMAL_COMMA, text=_short(text, 20), number=s.replace(",", ".")))
        s = s.replace(",", "")
    if not _NUMBER.fullmatch(s):
        raise ValueError(Text(texts.CELL_NOT_A_NUMBER, text=_short(text, 20)))
    return float(s)


_STAR_WORDS = re.compile(r"\s*(/\s*5|stars?|tähteä|tähti|tähdet|★)\s*$", re.IGNORECASE)


def parse_stars(text: str, decimal_comma: bool) -> float:
    """Stars from a cell: ``4``, ``4,0``, ``4/5``, ``4 stars``, ``★★★★☆``; 1 to 5 or ``ValueError``.

    >>> parse_stars("★★★★☆", False), parse_stars("4/5", False), parse_stars("4,5", True)
    (4.0, 4.0, 4.5)
    """
    s = text.strip()
    if s and set(s) <= {"★", "☆", " "}:
        value = float(s.count("★"))
    else:
        value = parse_number(_STAR_WORDS.sub("", s), decimal_comma)
    if not 1 <= value <= 5:
        raise ValueError(Text(texts.NOT_STARS_SCORE if 5 < value <= 10 else texts.NOT_STARS, value=value))
    return value


YES = frozenset(
    {"yes", "y", "true", "1", "x", "resolved", "solved", "fixed", "ratkaistu", "ratkesi", "kyllä", "kylla", "k", "joo"}
)
NO = frozenset(
    {
        "no",
        "n",
        "false",
        "0",
        "unresolved",
        "not resolved",
        "unsolved",
        "ratkaisematta",
        "ei ratkaistu",
        "ei ratkennut",
        "ei",
    }
)
UNKNOWN = frozenset({"", "open", "pending", "in progress", "unknown", "n/a", "na", "kesken", "avoin", "ei tiedossa"})


def parse_yes_no(text: str) -> bool | None:
    """True (yes, resolved, ratkaistu, kyllä...), False (no, unresolved, ratkaisematta, ei...),
    None (blank, open, pending, kesken), or ``ValueError``.

    >>> parse_yes_no("Ratkaistu"), parse_yes_no("ei"), parse_yes_no(" "), parse_yes_no("closed - unresolved")
    (True, False, None, False)
    """
    s = " ".join(text.casefold().replace("_", " ").split())
    s = re.sub(r"^(closed|suljettu)\s*[-:–]?\s*", "", s)
    if s in YES:
        return True
    if s in NO:
        return False
    if s in UNKNOWN:
        return None
    raise ValueError(Text(texts.NOT_YES_NO, text=_short(text, 30)))


_MONTHS = {
    m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))
}
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[ t]\d)")
_DOTS = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:$|\s)")
_SLASH = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:$|[\s,t])")
_DAY_MON = re.compile(r"(\d{1,2})\.?\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})")
_MON_DAY = re.compile(r"([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_EPOCH = re.compile(r"\d{9,10}(\.\d+)?|\d{12,13}")


def _cell_date(text: str) -> tuple[int, int, int] | tuple[str, int, int, int]:
    """(year, month, day), or ("slash", a, b, year) for a slashed date decided per column."""
    s = text.strip().casefold()
    if _EPOCH.fullmatch(s):
        seconds = float(s) / (1000.0 if len(s.split(".")[0]) >= 12 else 1.0)
        moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
        return moment.year, moment.month, moment.day
    for pattern, order in ((_ISO, "ymd"), (_DOTS, "dmy")):
        match = pattern.match(s)
        if match:
            parts = dict(zip(order, map(int, match.groups())))
            return parts["y"], parts["m"], parts["d"]
    match = _SLASH.match(s)
    if match:
        a, b, year = map(int, match.groups())
        return "slash", a, b, year
    match = _DAY_MON.match(s)
    if match and match.group(2) in _MONTHS:
        return int(match.group(3)), _MONTHS[match.group(2)], int(match.group(1))
    match = _MON_DAY.match(s)
    if match and match.group(1) in _MONTHS:
        return int(match.group(3)), _MONTHS[match.group(1)], int(match.group(2))
    ago = re.search(r"\bago\b|sitten", s)
    raise ValueError(Text(texts.NOT_A_DATE_AGO if ago else texts.NOT_A_DATE, text=_short(text, 30)))


def parse_dates(table: Table, column: int) -> tuple[list[date], str]:
    """The dates in ``column`` and a note on how slashed dates were read (see the module).

    >>> t = Table("r.csv", "UTF-8", ",", ("date",), (("01/02/2026",), ("01/31/2026",)), (2, 3))
    >>> parse_dates(t, 0)
    ([datetime.date(2026, 1, 2), datetime.date(2026, 1, 31)], 'slashed dates read as month/day/year (row 3 has 31 as its second part)')
    """
    raw = []
    for i, row in enumerate(table.rows):
        try:
            raw.append(_cell_date(row[column]))
        except ValueError as exc:
            raise table.error(i, column, problem_of(exc)) from None
    slashed = [(i, r) for i, r in enumerate(raw) if r[0] == "slash"]
    day_first = next((i for i, r in slashed if r[1] > 12), None)
    month_first = next((i for i, r in slashed if r[2] > 12), None)
    note = ""
    if day_first is not None and month_first is not None:
        raise table.error(
            max(day_first, month_first),
            column,
            Text(texts.BOTH_ORDERS, day_first=table.row_numbers[day_first], month_first=table.row_numbers[month_first]),
        )
    if month_first is not None:
        note = Text(texts.READ_MONTH_FIRST, row=table.row_numbers[month_first], part=raw[month_first][2])
    elif day_first is not None:
        note = Text(texts.READ_DAY_FIRST, row=table.row_numbers[day_first], part=raw[day_first][1])
    elif slashed:
        note = Text(texts.READ_DAY_FIRST_UNSURE)
    dates = []
    for i, r in enumerate(raw):
        if r[0] == "slash":
            r = (r[3], r[1], r[2]) if month_first is not None else (r[3], r[2], r[1])
        try:
            day = date(*r)
        except ValueError:
            raise table.error(i, column, Text(texts.NOT_A_REAL_DATE, text=_short(table.rows[i][column], 30))) from None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise table.error(
                i,
                column,
                Text(
                    texts.DATE_OUTSIDE,
                    text=_short(table.rows[i][column], 30),
                    date=day.isoformat(),
                    first=FIRST_YEAR,
                    last=LAST_YEAR,
                ),
            )
        dates.append(day)
    return dates, note

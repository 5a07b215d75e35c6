"""Reading a business's own data files: bytes in, a checked table of text cells out.

The files come from review sites, complaint logs and survey tools, saved by spreadsheets in
whatever encoding and separator the machine used. Reading is defensive and says what it did:

- **Size**: at most ``MAX_OWN_DATA_BYTES`` (10 MiB) and ``MAX_ROWS`` data rows.
- **Encoding**: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, else
  Windows-1252 (Excel's Western European default; it is Latin-1 with printable characters where
  Latin-1 has control codes, so a byte neither reads as text is refused). A file that is partly UTF-8
  and partly something else (two exports pasted together) is refused at the first byte that
  does not fit; so is binary data (a workbook, an image).
- **Separator**: whichever of ``,`` ``;`` and tab the header row uses; every row must have as
  many fields as the header (a row separated differently is named). A decimal comma (``4,5``)
  is read where the separator is ``;`` or tab, never where it is ``,``.

Cells (numbers, stars, dates, yes/no) are read by ``own_cells``.

Every problem is an ``OwnDataError`` naming the file, the row (as a spreadsheet numbers it: the
header is row 1) and the column. The reader is pure: it takes bytes, never a path.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from typing import Literal, overload

from ..inputs.text import Text
from ..scenarios import file_texts as texts
from ..scenarios.scenario_files import ScenarioError

#: Largest file read, in bytes (10 MiB: about 100 000 reviews with their text).
MAX_OWN_DATA_BYTES = 10 * 1024 * 1024

#: Most data rows read from one file.
MAX_ROWS = 200_000

#: Candidate separators, in the order a tie is NOT resolved (a tie is an error).
SEPARATORS = (",", ";", "\t")


class OwnDataError(ScenarioError):
    """A data file that cannot be used; the message names the file, row and column (one line,
    at most 500 characters).

    >>> str(OwnDataError(where("r.csv", 3, "stars") + ": 7 is outside 1 to 5"))
    "r.csv, row 3, column 'stars': 7 is outside 1 to 5"
    """


def where(name: str, row: int | None = None, column: str | None = None) -> str:
    """How a message places a problem: ``"reviews.csv, row 7, column 'stars'"`` (a ``Text``)."""
    if column is not None:
        column = short_text(column, 40)
        if row is None:
            return Text(texts.COLUMN, name=name, column=column)
        return Text(texts.ROW_COLUMN, name=name, row=row, column=column)
    return name if row is None else Text(texts.ROW, name=name, row=row)


def problem_of(exc: Exception) -> str:
    """What an exception says, as the ``Text`` it was raised with where there is one (so another
    language can say it), else as its English.

    >>> problem_of(ValueError(Text("'{text}' is not a number", text="x"))).template
    "'{text}' is not a number"
    """
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if getattr(first, "template", None) is not None and first == str(exc) else str(exc)


def short_text(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


@dataclass(frozen=True)
class Table:
    """A decoded, split CSV file: header, data rows of text cells, and how it was read.

    ``row_numbers[i]`` is the spreadsheet row of ``rows[i]`` (the header is row 1 when it is
    the first line); blank rows are skipped but counted.
    """

    name: str
    encoding: str
    separator: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_numbers: tuple[int, ...]
    header_row: int = 1

    @property
    def decimal_comma(self) -> bool:
        """Whether ``4,5`` means 4.5 (separator ``;`` or tab)."""
        return self.separator != ","

    @property
    def separator_name(self) -> str:
        return {",": "comma", ";": "semicolon", "\t": "tab"}[self.separator]

    def error(self, index: int | None, column: int | str | None, problem: str) -> OwnDataError:
        """An error at data row ``index`` (None: the header) and ``column`` (index or name)."""
        row = self.header_row if index is None else self.row_numbers[index]
        name = self.header[column] if isinstance(column, int) else column
        return OwnDataError(Text(texts.PLACED, where=where(self.name, row, name), problem=problem))


def _line_and_column(text: str, offset: int, separator: str | None) -> tuple[int, str]:
    """Spreadsheet row (line) and a column label for a character offset in ``text``."""
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    header = text.split("\n", 1)[0].strip("\r\ufeff")
    index = text.count(separator, start, offset) if separator else 0
    names = header.split(separator) if separator else [header]
    label = names[index].strip().strip('"') if index < len(names) and line > 1 else f"{index + 1}"
    return line, label or f"{index + 1}"


def _sniff_separator(first_line: str) -> str | None:
    counts = {sep: _count_outside_quotes(first_line, sep) for sep in SEPARATORS}
    best = max(counts.values())
    if best == 0:
        return None
    winners = [sep for sep, n in counts.items() if n == best]
    return winners[0] if len(winners) == 1 else "tie:" + "".join(winners)


def _count_outside_quotes(line: str, sep: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            count += 1
    return count


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


#: The first bytes of files that are not text, and what each is (said in the message).
SIGNATURES: dict[bytes, str] = {b"PK\x03\x04": texts.KIND_ZIP, b"\xd0\xcf\x11\xe0": texts.KIND_XLS,
                                b"\x1f\x8b": texts.KIND_GZIP, b"\x89PNG": texts.KIND_PNG, b"\xff\xd8\xff": texts.KIND_JPEG,
                                b"%PDF": texts.KIND_PDF}


def _utf16_without_mark(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` for UTF-16 text saved without a byte-order mark (every other byte
    of Latin text is zero), else None.

    >>> _utf16_without_mark("date;stars".encode("utf-16-le")), _utf16_without_mark(b"date;stars")
    ('utf-16-le', None)
    """
    sample = data[:4096]
    sample = sample[:len(sample) - len(sample) % 2]
    pairs = len(sample) // 2
    if pairs < 2 or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.3 * pairs and even <= 0.02 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.02 * pairs:
        return "utf-16-be"
    return None


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The text of a data file and the encoding it was read as.

    Examples
    --------
    >>> decode("päivämäärä;tähdet\\n".encode("cp1252"), "r.csv")
    ('päivämäärä;tähdet\\n', 'Windows-1252')
    >>> decode(b"\\xef\\xbb\\xbfdate,stars\\n", "r.csv")
    ('date,stars\\n', 'UTF-8 with byte-order mark')
    """
    for signature, kind in SIGNATURES.items():  # a file of another kind, named .csv: say what it is
        if data.startswith(signature):
            raise OwnDataError(Text(texts.NOT_CSV_KIND, name=name, kind=Text(kind)))
    unmarked = _utf16_without_mark(data)
    if unmarked is not None:
        try:
            return data.decode(unmarked), "UTF-16 (no byte-order mark)"
        except UnicodeDecodeError as exc:
            raise OwnDataError(Text(texts.NOT_UTF16, name=name, byte=exc.start)) from None
    if data.startswith(b"\xef\xbb\xbf"):
        body, label = data[3:], "UTF-8 with byte-order mark"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise OwnDataError(Text(texts.NOT_UTF16, name=name, byte=exc.start)) from None
    else:
        body, label = data, "UTF-8"
    try:
        return body.decode("utf-8"), label
    except UnicodeDecodeError as exc:
        bad = exc.start
    first = _UTF8_SEQUENCE.search(body)
    if first is not None or label != "UTF-8":
        # Valid UTF-8 letters before or after a byte that is not: two encodings in one file.
        text = body.decode("latin-1")
        sep = _sniff_separator(text.split("\n", 1)[0])
        row, column = _line_and_column(text, bad, sep if sep in SEPARATORS else None)
        place = where(name, row, column)
        raise OwnDataError(Text(texts.MIXED_AFTER_ROW, where=place, row=text.count(chr(10), 0, first.start()) + 1,
                                byte=body[bad]) if first is not None else
                           Text(texts.MIXED_AFTER_MARK, where=place, byte=body[bad]))
    try:
        return body.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        # Latin-1 would read these five bytes as control characters: not text either way.
        text = body.decode("latin-1")
        sep = _sniff_separator(text.split("\n", 1)[0])
        row, column = _line_and_column(text, exc.start, sep if sep in SEPARATORS else None)
        raise OwnDataError(Text(texts.NOT_TEXT_BYTE, where=where(name, row, column), byte=body[exc.start])) from None


#: Control characters (Unicode category Cc) other than tab and line breaks: binary data, not text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _check_text(text: str, name: str) -> None:
    """Refuse binary data: control characters other than tab and line breaks (one search at C speed,
    not a loop over the characters of a 10 MB file)."""
    found = _CONTROL.search(text)
    if found is None:
        return
    sep = _sniff_separator(text.split("\n", 1)[0])
    row, column = _line_and_column(text, found.start(), sep if sep in SEPARATORS else None)
    raise OwnDataError(Text(texts.BINARY_ZIP if text.startswith("PK") else texts.BINARY,
                            where=where(name, row, column), code=ord(found.group())))


#: Most lines a data file may have: 200,000 rows with room for texts over several lines and blank lines;
#: a 10 MB file of more lines is mostly blank lines.
MAX_LINES = 1_000_000

#: One line of text with its line break (``\r\n``, ``\r`` or ``\n``), or the last line without one.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str):  # noqa: ANN202 (an iterator of str)
    """The lines of ``text`` one at a time, with their line breaks (as the csv module reads a file opened
    with ``newline=""``), without a list of them all or a copy of the text in memory."""
    return (match.group() for match in _LINE.finditer(text))


def read_table(data: bytes, name: str, expected: str = "", keep: tuple[str, ...] | None = None) -> Table:
    """Decode, split and check a CSV file's bytes (see the module's docstring for the rules).

    Parameters
    ----------
    data : bytes
        The file's content, at most ``MAX_OWN_DATA_BYTES``.
    name : str
        The file's name, used in every message.
    expected : str
        The columns the caller needs, named in the message for an empty file.
    keep : tuple of str, optional
        The headers the caller may read (as ``find_column`` compares them). Every other column's
        cells are checked like the rest and then kept as "": a 10 MB export's free-text columns
        would otherwise hold most of the table's memory. All columns are kept by default.

    Raises
    ------
    OwnDataError
        Naming the file, row and column of the first problem.

    Examples
    --------
    >>> t = read_table(b"date;stars\\n2026-01-31;4,5\\n\\n31.1.2026;5\\n", "r.csv")
    >>> t.header, t.rows, t.row_numbers, t.separator_name, t.decimal_comma
    (('date', 'stars'), (('2026-01-31', '4,5'), ('31.1.2026', '5')), (2, 4), 'semicolon', True)
    >>> read_table(b"date;stars\\n2026-01-31,4\\n", "r.csv")
    Traceback (most recent call last):
    ...
    estimator.model.own_data.tables.OwnDataError: r.csv, row 2, column 'stars': the row has 1 field where the header has 2; it seems separated by ',' while the header uses ';' (mixed separators)
    """
    name = short_text(name, 80) or Text(texts.DATA_FILE)
    if len(data) > MAX_OWN_DATA_BYTES:
        row = data.count(b"\n", 0, MAX_OWN_DATA_BYTES) + 1
        raise OwnDataError(Text(texts.OVER_SIZE, where=where(name, row), limit=MAX_OWN_DATA_BYTES, row=row))
    text, encoding = decode(data, name)
    _check_text(text, name)
    line_count = text.count("\n")
    if line_count > MAX_LINES:  # a file of blank lines would hold a visitor's computing slot for seconds
        raise OwnDataError(Text(texts.TOO_MANY_LINES, where=name, lines=line_count, limit=MAX_LINES))
    start, first_line = next(((i, line) for i, line in enumerate(_lines(text)) if line.strip(" ,;\t\ufeff\r\n")),
                             (None, ""))
    if start is None:
        raise OwnDataError(Text(texts.EMPTY_EXPECTED, where=where(name, 1), columns=expected) if expected else
                           Text(texts.EMPTY, where=where(name, 1)))
    separator = _sniff_separator(first_line.rstrip("\r\n"))
    if separator is not None and separator.startswith("tie:"):
        shown = [repr(s) for s in separator[4:]]
        both = shown[-1]
        for one in reversed(shown[:-1]):
            both = Text(texts.BOTH, first=one, rest=both)
        raise OwnDataError(Text(texts.SEPARATOR_TIE, where=where(name, start + 1), separators=both))
    separator = separator or ","
    reader = csv.reader(_lines(text), delimiter=separator, quotechar='"', strict=True)
    header: tuple[str, ...] | None = None
    rows: list[tuple[str, ...]] = []
    numbers: list[int] = []
    record = 0
    kept: frozenset[int] | None = None
    table = Table(name, encoding, separator, (), (), ())
    try:
        for fields in reader:
            record += 1
            if not any(field.strip() for field in fields):
                continue
            cells = tuple(field.strip() for field in fields)
            if header is None:
                header = tuple(cell.strip('"\ufeff ') for cell in cells)
                table = Table(name, encoding, separator, header, (), (), header_row=record)
                kept = None if keep is None else _kept(header, keep)
                continue
            cells = _fit_row(table, cells, record, text)
            if kept is not None:
                cells = tuple(cell if i in kept else "" for i, cell in enumerate(cells))
            if len(rows) >= MAX_ROWS:
                raise OwnDataError(Text(texts.TOO_MANY_ROWS, where=where(name, record), limit=MAX_ROWS))
            rows.append(cells)
            numbers.append(record)
    except csv.Error as exc:
        raise OwnDataError(Text(texts.CANNOT_SPLIT, where=where(name, record + 1),
                                detail=short_text(str(exc), 80))) from None
    if header is None or not rows:
        raise OwnDataError(Text(texts.NO_DATA, where=where(name, table.header_row + 1)))
    return Table(name, encoding, separator, header, tuple(rows), tuple(numbers), header_row=table.header_row)


def _kept(header: tuple[str, ...], keep: tuple[str, ...]) -> frozenset[int]:
    """The positions of the headers that are one of ``keep`` (compared as ``find_column`` does)."""
    wanted = {_normal(name) for name in keep}
    return frozenset(i for i, heading in enumerate(header) if _normal(heading) in wanted)


def _fit_row(table: Table, cells: tuple[str, ...], record: int, text: str) -> tuple[str, ...]:
    """The row's cells, as many as the header's, or an error saying why they are not."""
    width = len(table.header)
    while len(cells) > width and cells[-1] == "":
        cells = cells[:-1]  # trailing separators, as spreadsheets write them
    if len(cells) == width:
        return cells
    if len(cells) < width:
        column = table.header[len(cells)]
        joined = table.separator.join(cells)
        others = [sep for sep in SEPARATORS if sep != table.separator and joined.count(sep) == width - 1]
        numbers = {"where": where(table.name, record, column), "count": len(cells), "width": width}
        if others:
            raise OwnDataError(Text(texts.FEWER_FIELD_MIXED if len(cells) == 1 else texts.FEWER_FIELDS_MIXED, **numbers,
                                    other=repr(others[0]), separator=repr(table.separator)))
        raise OwnDataError(Text(texts.FEWER_FIELD if len(cells) == 1 else texts.FEWER_FIELDS, **numbers))
    column = Text(texts.AFTER, number=width + 1, header=short_text(table.header[-1], 30))
    raise OwnDataError(Text(texts.MORE_FIELDS_COMMA if table.separator == "," else texts.MORE_FIELDS,
                            where=where(table.name, record), column=column, count=len(cells), width=width))


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[_\-./]+", " ", text.casefold().strip(' "\ufeff')).split())


@overload
def find_column(table: Table, role: str, aliases: tuple[str, ...], required: Literal[True] = True) -> int: ...
@overload
def find_column(table: Table, role: str, aliases: tuple[str, ...], required: bool) -> int | None: ...
def find_column(table: Table, role: str, aliases: tuple[str, ...], required: bool = True) -> int | None:
    """Index of the first header that is one of ``aliases`` (case, spaces, ``_`` and ``-``
    ignored; earlier aliases win), or None when not ``required``.

    >>> t = Table("r.csv", "UTF-8", ",", ("Review Date", "Star_Rating"), (), ())
    >>> find_column(t, "stars", ("stars", "star rating"))
    1
    """
    normal = [_normal(h) for h in table.header]
    for alias in aliases:
        if _normal(alias) in normal:
            return normal.index(_normal(alias))
    if not required:
        return None
    found = ", ".join(f"'{short_text(h, 30)}'" for h in table.header[:12]) or "none"
    template = {"date": texts.NO_DATE_COLUMN, "stars": texts.NO_STARS_COLUMN}.get(role, texts.NO_COLUMN)
    values = {} if role in ("date", "stars") else {"role": role}
    raise OwnDataError(Text(template, where=where(table.name, table.header_row), found=found,
                            names=", ".join(aliases[:10]), **values))

"""The business's own files as records: a reviews export, a complaint log, a customer survey.

Each reader takes a file's bytes and name (``own_data.read_table`` decodes and splits them),
finds its columns by the names common exports use (English and Finnish; which ones were used
is recorded) and returns the records with a ``FileInfo`` preview: encoding, separator, rows,
columns, period and notes. Every problem is an ``OwnDataError`` naming file, row and column.

- **Reviews**: a date and a stars column (1 to 5).
- **Complaint log**: a date column and, optionally, an outcome column (resolved / unresolved in
  several spellings; blank or "open" is not known).
- **Survey**, in one of three layouts: *counts* (a label and a count column; rows such as
  respondents, satisfied, dissatisfied, complained, resolved, unresolved); *one row per
  respondent* (a bad-experience, dissatisfied or satisfied yes/no column, optional complained
  and resolved columns); or an *NPS export* (a 0-10 score column, read as a bad experience at
  ``nps_bad_max`` or below: an assumption, recorded in the notes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from ..inputs.text import Text
from ..scenarios import file_texts as texts
from .cells import parse_dates, parse_number, parse_stars, parse_yes_no
from .tables import OwnDataError, Table, find_column, problem_of, read_table

DATE_NAMES = ("date", "review date", "date of review", "published", "published at", "publish date", "created",
              "created at", "creation date", "time", "timestamp", "datetime", "submitted", "submitted at", "posted",
              "received", "reported", "päivämäärä", "päiväys", "pvm", "aika", "julkaistu", "luotu",
              "vastaanotettu", "ajankohta")
STAR_NAMES = ("stars", "star rating", "rating", "review rating", "rating value", "overall rating", "score",
              "review score", "tähdet", "tähtiä", "arvosana", "arvio", "pisteet")
OUTCOME_NAMES = ("outcome", "resolved", "resolution", "status", "result", "solved", "ratkaistu", "ratkaisu",
                 "tila", "tulos", "lopputulos")
LABEL_NAMES = ("answer", "question", "item", "category", "response", "label", "group", "vastaus", "kysymys",
               "luokka", "ryhmä")
COUNT_NAMES = ("count", "n", "number", "respondents", "responses", "total", "lukumäärä", "määrä", "kpl",
               "vastaajia", "vastauksia")
BAD_NAMES = ("bad experience", "bad visit", "dissatisfied", "unhappy", "problem", "had a problem",
             "huono kokemus", "tyytymätön", "ongelma")
SATISFIED_NAMES = ("satisfied", "happy", "visit ok", "tyytyväinen")
EXPERIENCE_NAMES = ("experience", "visit", "kokemus", "käynti")
COMPLAINED_NAMES = ("complained", "complaint", "made a complaint", "valitti", "valitus", "reklamoi", "reklamaatio")
RESOLVED_NAMES = ("resolved", "complaint resolved", "solved", "ratkaistu", "ratkesi")
NPS_NAMES = ("nps", "nps score", "score", "recommend", "likelihood to recommend", "how likely", "suosittelu",
             "suosittelisitko", "pisteet")
#: Every column a survey may be read from; the others (free text, ids) are not kept in memory.
SURVEY_NAMES = (LABEL_NAMES + COUNT_NAMES + BAD_NAMES + SATISFIED_NAMES + EXPERIENCE_NAMES + COMPLAINED_NAMES
                + RESOLVED_NAMES + NPS_NAMES + DATE_NAMES)

#: Labels of a counts survey (normalised: lower case, single spaces) and the count each is.
COUNT_LABELS = {
    "respondents": ("respondents", "responses", "total", "answers", "vastaajat", "vastaajia", "vastaukset", "yhteensä"),
    "satisfied": ("satisfied", "good", "ok", "happy", "tyytyväinen", "tyytyväisiä", "hyvä"),
    "bad": ("dissatisfied", "bad experience", "bad", "unhappy", "problem", "tyytymätön", "tyytymättömiä", "huono"),
    "complained": ("complained", "complaints", "complaint", "valitti", "valittaneita", "valituksia"),
    "resolved": ("resolved", "ratkaistu", "ratkaistuja", "ratkesi"),
    "unresolved": ("unresolved", "not resolved", "ratkaisematta", "ratkaisemattomia"),
}
GOOD_WORDS = frozenset({"good", "ok", "fine", "satisfied", "happy", "hyvä", "tyytyväinen", "positive"})
BAD_WORDS = frozenset({"bad", "poor", "dissatisfied", "unhappy", "problem", "huono", "tyytymätön", "negative"})


#: The rows a survey may leave out of its counts, and the note that says how many it did.
_NOT_COUNTED = {"complained without a bad experience": texts.COMPLAINED_NOT_COUNTED,
                "resolved without a complaint": texts.RESOLVED_NOT_COUNTED}


#: Most answers a survey's count may give: more than any survey asks (a country's whole population).
MAX_SURVEY_COUNT = 100_000_000

def _word(text: str) -> str:
    """A word of a file's preview that another language says its own way (``comma``), as a ``Text``."""
    return Text(text) if text in texts.SEPARATOR_WORDS or text in texts.ENCODING_WORDS else text


@dataclass(frozen=True)
class FileInfo:
    """What a file said and how it was read: the preview a page or a report shows."""

    kind: str                       # reviews, complaints or survey
    name: str
    encoding: str
    separator: str                  # comma, semicolon or tab
    decimal_comma: bool
    rows: int
    columns: dict[str, str]         # role -> the header used
    first: date | None = None
    last: date | None = None
    notes: tuple[str, ...] = ()
    summary: str = ""

    @property
    def period(self) -> str:
        """``2025-01-03 to 2026-10-30``, or an empty string."""
        if not (self.first and self.last):
            return ""
        return Text(texts.PERIOD, first=self.first.isoformat(), last=self.last.isoformat())

    def describe(self) -> str:
        """One line: name, rows, period, columns used, encoding and separator."""
        columns = ", ".join(f"{role} = '{header}'" for role, header in self.columns.items())
        values = {"name": self.name, "rows": self.rows, "columns": columns, "encoding": _word(self.encoding),
                  "separator": _word(self.separator)}
        if self.period:
            template = texts.DESCRIBE_PERIOD_COMMA if self.decimal_comma else texts.DESCRIBE_PERIOD
            return Text(template, period=self.period, **values)
        return Text(texts.DESCRIBE_COMMA if self.decimal_comma else texts.DESCRIBE, **values)


def _info(kind: str, table: Table, columns: dict[str, int], dates: list[date] | None,
          notes: list[str], summary: str) -> FileInfo:
    return FileInfo(kind, table.name, table.encoding, table.separator_name, table.decimal_comma, len(table.rows),
                    {role: table.header[i] for role, i in columns.items()},
                    min(dates) if dates else None, max(dates) if dates else None,
                    tuple(n for n in notes if n), summary)


@dataclass(frozen=True)
class Reviews:
    """A reviews export: one date (ordinal day) and stars per review, oldest first."""

    info: FileInfo
    days: np.ndarray     # date.toordinal() of each review
    stars: np.ndarray    # 1 to 5


def read_reviews(data: bytes, name: str) -> Reviews:
    """Reviews from a CSV export with a date and a stars column.

    Examples
    --------
    >>> r = read_reviews(b"Date;Rating\\n31.1.2026;4\\n2026-02-01;2,5\\n", "r.csv")
    >>> r.stars.tolist(), r.info.columns, r.info.period
    ([4.0, 2.5], {'date': 'Date', 'stars': 'Rating'}, '2026-01-31 to 2026-02-01')
    """
    table = read_table(data, name, Text(texts.EXPECTED_REVIEWS), keep=DATE_NAMES + STAR_NAMES)
    columns = {"date": find_column(table, "date", DATE_NAMES), "stars": find_column(table, "stars", STAR_NAMES)}
    dates, note = parse_dates(table, columns["date"])
    stars = []
    for i, row in enumerate(table.rows):
        try:
            stars.append(parse_stars(row[columns["stars"]], table.decimal_comma))
        except ValueError as exc:
            raise table.error(i, columns["stars"], problem_of(exc)) from None
    order = np.argsort([d.toordinal() for d in dates], kind="stable")
    days = np.array([d.toordinal() for d in dates], dtype=np.int64)[order]
    values = np.array(stars, dtype=float)[order]
    summary = Text(texts.REVIEWS_SUMMARY, count=len(values), mean=values.mean())
    return Reviews(_info("reviews", table, columns, dates, [note], summary), days, values)


@dataclass(frozen=True)
class ComplaintLog:
    """A complaint log: the date of each complaint and how many were resolved, unresolved or not known."""

    info: FileInfo
    days: np.ndarray
    resolved: int
    unresolved: int
    unknown: int


def read_complaints(data: bytes, name: str) -> ComplaintLog:
    """Complaints from a log with a date column and an optional outcome column.

    Examples
    --------
    >>> log = read_complaints(b"pvm;tila\\n2.1.2026;ratkaistu\\n9.1.2026;ratkaisematta\\n10.1.2026;\\n", "c.csv")
    >>> log.resolved, log.unresolved, log.unknown, log.info.columns
    (1, 1, 1, {'date': 'pvm', 'outcome': 'tila'})
    """
    table = read_table(data, name, Text(texts.EXPECTED_COMPLAINTS), keep=DATE_NAMES + OUTCOME_NAMES)
    columns = {"date": find_column(table, "date", DATE_NAMES)}
    outcome = find_column(table, "outcome", OUTCOME_NAMES, required=False)
    if outcome is not None:
        columns["outcome"] = outcome
    dates, note = parse_dates(table, columns["date"])
    answers = [_yes_no(table, i, outcome) for i in range(len(table.rows))] if outcome is not None else []
    resolved, unresolved = answers.count(True), answers.count(False)
    unknown = len(table.rows) - resolved - unresolved
    notes = [note, Text(texts.NO_OUTCOME) if outcome is None else ""]
    summary = (Text(texts.COMPLAINTS_SUMMARY, count=len(table.rows)) if outcome is None else
               Text(texts.COMPLAINTS_OUTCOME_SUMMARY, count=len(table.rows), resolved=resolved, unresolved=unresolved,
                    unknown=unknown))
    days = np.sort(np.array([d.toordinal() for d in dates], dtype=np.int64))
    return ComplaintLog(_info("complaints", table, columns, dates, notes, summary), days,
                        resolved, unresolved, unknown)


def _yes_no(table: Table, index: int, column: int) -> bool | None:
    try:
        return parse_yes_no(table.rows[index][column])
    except ValueError as exc:
        raise table.error(index, column, problem_of(exc)) from None


@dataclass(frozen=True)
class Survey:
    """What a survey says: respondents, bad experiences, and among them complaints and resolutions.

    ``complaint_answers`` respondents with a bad experience answered whether they complained
    (``complained`` said yes); ``resolution_answers`` complainers answered whether it was
    resolved (``resolved`` said yes). ``layout`` is counts, respondents or nps; ``nps_bad_max``
    is the highest NPS score read as a bad experience (None unless an NPS export).
    """

    info: FileInfo
    layout: str
    respondents: int
    bad: int
    complaint_answers: int = 0
    complained: int = 0
    resolution_answers: int = 0
    resolved: int = 0
    nps_bad_max: int | None = None
    ignored: dict[str, int] = field(default_factory=dict)


def read_survey(data: bytes, name: str, nps_bad_max: int = 6) -> Survey:
    """A survey in one of three layouts (see the module): counts, one row per respondent, NPS.

    Examples
    --------
    >>> s = read_survey(b"answer,count\\nsatisfied,1188\\ndissatisfied,12\\ncomplained,2\\nresolved,1\\n", "s.csv")
    >>> s.layout, s.respondents, s.bad, s.complained, s.resolved
    ('counts', 1200, 12, 2, 1)
    >>> s = read_survey(b"nps\\n10\\n9\\n3\\n7\\n", "nps.csv")
    >>> s.layout, s.respondents, s.bad, s.nps_bad_max
    ('nps', 4, 1, 6)
    """
    table = read_table(data, name, Text(texts.EXPECTED_SURVEY), keep=SURVEY_NAMES)
    label = find_column(table, "label", LABEL_NAMES, required=False)
    count = find_column(table, "count", COUNT_NAMES, required=False)
    if label is not None and count is not None:
        return _counts_survey(table, label, count)
    bad = find_column(table, "bad experience", BAD_NAMES, required=False)
    satisfied = find_column(table, "satisfied", SATISFIED_NAMES, required=False)
    experience = find_column(table, "experience", EXPERIENCE_NAMES, required=False)
    score = find_column(table, "NPS score", NPS_NAMES, required=False)
    if bad is None and satisfied is None and experience is None and score is None:
        found = ", ".join(f"'{h[:30]}'" for h in table.header[:12])
        raise OwnDataError(Text(texts.NOT_A_SURVEY, name=table.name, row=table.header_row, found=found))
    return _respondent_survey(table, bad, satisfied, experience, score, nps_bad_max)


def _counts_survey(table: Table, label: int, count: int) -> Survey:
    counts: dict[str, int] = {}
    for i, row in enumerate(table.rows):
        key = " ".join(row[label].casefold().replace("_", " ").split())
        kind = next((k for k, names in COUNT_LABELS.items() if key in names), None)
        if kind is None:
            raise table.error(i, label, Text(texts.UNKNOWN_COUNT, label=row[label][:30]))
        if kind in counts:
            raise table.error(i, label, Text(texts.COUNT_TWICE, label=row[label][:30]))
        try:
            value = parse_number(row[count], table.decimal_comma)
        except ValueError as exc:
            raise table.error(i, count, problem_of(exc)) from None
        if value < 0 or not value.is_integer():
            raise table.error(i, count, Text(texts.NOT_A_COUNT, value=value))
        if value > MAX_SURVEY_COUNT:  # 1e308 answers would overflow the posteriors; no survey has a billion
            raise table.error(i, count, Text(texts.COUNT_TOO_LARGE, value=value, limit=MAX_SURVEY_COUNT))
        counts[kind] = int(value)
    rows = {kind: next(i for i, row in enumerate(table.rows)
                       if " ".join(row[label].casefold().replace("_", " ").split()) in COUNT_LABELS[kind])
            for kind in counts}
    if "bad" not in counts:
        raise table.error(None, table.header[label], Text(texts.NO_DISSATISFIED))
    if "respondents" in counts:
        respondents = counts["respondents"]
    elif "satisfied" in counts:
        respondents = counts["satisfied"] + counts["bad"]
    else:
        raise table.error(rows["bad"], label, Text(texts.NO_RESPONDENTS_ROW))
    if respondents < 1:
        raise table.error(rows.get("respondents", rows["bad"]), count, Text(texts.NO_RESPONDENTS))
    complained = counts.get("complained", 0)
    if "resolved" in counts and "unresolved" in counts:
        resolved, answers = counts["resolved"], counts["resolved"] + counts["unresolved"]
    elif "resolved" in counts or "unresolved" in counts:
        answers = complained  # every complainer counted as one or the other
        resolved = counts.get("resolved", complained - counts.get("unresolved", 0))
    else:
        resolved = answers = 0
    checks = (("dissatisfied", counts["bad"], "respondents", respondents, "bad"),
              ("complained", complained, "dissatisfied", counts["bad"], "complained"),
              ("resolved and unresolved", answers, "complained", complained, "resolved"),
              ("resolved", resolved, "complained", complained, "resolved"))
    for what, value, of, limit, kind in checks:
        if not 0 <= value <= limit:
            at = rows.get(kind, rows.get("unresolved", rows["bad"]))
            raise table.error(at, count, Text(texts.MORE_THAN, what=what, value=value, of=of, limit=limit))
    info = _info("survey", table, {"label": label, "count": count}, None, [],
                 Text(texts.COUNTS_SUMMARY, respondents=respondents, bad=counts["bad"], complained=complained,
                      resolved=resolved))
    return Survey(info, "counts", respondents, counts["bad"], counts["bad"] if "complained" in counts else 0,
                  complained, answers, resolved)


def _respondent_survey(table: Table, bad_col: int | None, satisfied_col: int | None, experience_col: int | None,
                       score_col: int | None, nps_bad_max: int) -> Survey:
    complained_col = find_column(table, "complained", COMPLAINED_NAMES, required=False)
    resolved_col = find_column(table, "resolved", RESOLVED_NAMES, required=False)
    columns: dict[str, int] = {}
    layout = "respondents"
    notes: list[str] = []
    bad_flags: list[bool | None] = []
    for i, _row in enumerate(table.rows):
        if bad_col is not None:
            columns["bad experience"] = bad_col
            bad_flags.append(_yes_no(table, i, bad_col))
        elif satisfied_col is not None:
            columns["satisfied"] = satisfied_col
            answer = _yes_no(table, i, satisfied_col)
            bad_flags.append(None if answer is None else not answer)
        elif experience_col is not None:
            columns["experience"] = experience_col
            bad_flags.append(_experience(table, i, experience_col))
        elif score_col is not None:  # (one of the four is there: read_survey checked)
            layout, columns["NPS score"] = "nps", score_col
            bad_flags.append(_nps_bad(table, i, score_col, nps_bad_max))
    if layout == "nps":
        notes.append(Text(texts.NPS_ASSUMED, most=nps_bad_max))
    complained = [_yes_no(table, i, complained_col) if complained_col is not None else None
                  for i in range(len(table.rows))]
    resolved = [_yes_no(table, i, resolved_col) if resolved_col is not None else None for i in range(len(table.rows))]
    ignored = {"complained without a bad experience": sum(1 for b, c in zip(bad_flags, complained) if c and not b),
               "resolved without a complaint": sum(1 for b, c, r in zip(bad_flags, complained, resolved)
                                                   if r is not None and not (b and c))}
    for role, col in (("complained", complained_col), ("resolved", resolved_col)):
        if col is not None:
            columns[role] = col
    for what, n in ignored.items():
        if n:
            notes.append(Text(_NOT_COUNTED[what], count=n))
    answered = [b for b in bad_flags if b is not None]
    complaint_answers = sum(1 for b, c in zip(bad_flags, complained) if b and c is not None)
    n_complained = sum(1 for b, c in zip(bad_flags, complained) if b and c)
    resolution_answers = sum(1 for b, c, r in zip(bad_flags, complained, resolved) if b and c and r is not None)
    n_resolved = sum(1 for b, c, r in zip(bad_flags, complained, resolved) if b and c and r)
    if not answered:
        col = next(iter(columns.values()))
        raise table.error(None, col, Text(texts.NO_ANSWER))
    date_col = find_column(table, "date", DATE_NAMES, required=False)
    dates = None
    if date_col is not None:
        columns["date"] = date_col
        dates, note = parse_dates(table, date_col)
        notes.append(note)
    info = _info("survey", table, columns, dates, notes,
                 Text(texts.RESPONDENTS_SUMMARY, respondents=len(answered), bad=sum(answered), complained=n_complained,
                      resolved=n_resolved))
    return Survey(info, layout, len(answered), sum(answered), complaint_answers, n_complained, resolution_answers,
                  n_resolved, nps_bad_max if layout == "nps" else None,
                  {k: v for k, v in ignored.items() if v})


def _experience(table: Table, index: int, column: int) -> bool | None:
    word = " ".join(table.rows[index][column].casefold().split())
    if word in GOOD_WORDS:
        return False
    if word in BAD_WORDS:
        return True
    if word == "":
        return None
    raise table.error(index, column, Text(texts.NEITHER_GOOD_NOR_BAD, word=word[:30]))


def _nps_bad(table: Table, index: int, column: int, bad_max: int) -> bool | None:
    text = table.rows[index][column]
    if not text.strip():
        return None
    try:
        value = parse_number(text, table.decimal_comma)
    except ValueError as exc:
        raise table.error(index, column, problem_of(exc)) from None
    if not (0 <= value <= 10 and value.is_integer()):
        raise table.error(index, column, Text(texts.NOT_NPS, value=value))
    return value <= bad_max

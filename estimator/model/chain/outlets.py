"""A chain of outlets: one table of outlets read into one scenario per outlet (MODEL.md §23).

A chain scenario is the chain's behavioural assumptions (a preset or a scenario file: bad-visit
rate, churn, word of mouth, the fix) plus a table with one row per outlet: ``id``, optional
``name`` and ``region``, and any of the outlet's business facts. Each outlet's scenario is the
chain's with the outlet's facts put in:

- **Business facts** (customers, capacity, market, visits, spend, margin, rating, reviews, the
  fix's costs) are known: they replace the chain's value and lose its range.
- **Service rates written as values** (``bad_visit_rate``, ``complaint_rate``) replace the chain's
  most likely value; the chain's range moves with it (its relative width kept), as a slider does.
- **Counts** calibrate a rate the way a survey does (``posteriors.beta_share``: the posterior mode
  and P5-P95 of a uniform prior): ``bad_visits`` of ``visits_checked`` (a mystery-shopper or survey
  sample) give the bad-visit rate, ``complained`` of ``unhappy_asked`` the complaint rate.

A blank cell keeps the chain's value. A row that cannot be used is left out with a message naming
its row and column; the other rows are used. The table is CSV (any encoding and separator the own
data reader takes, ``own_data.read_table``) or an Excel workbook's first sheet, read by the
presentation layer (``present.chain_files``) into the same table of text cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..inputs.catalogue import SPECS
from ..inputs.params import Params, check_value, shift_range
from ..inputs.text import Text
from ..own_data.cells import parse_number
from ..own_data.posteriors import beta_share
from ..own_data.tables import OwnDataError, Table, _normal, problem_of, read_table, short_text, where

#: Most outlets one chain may have.
MAX_OUTLETS = 20_000

#: Columns naming an outlet (English and Finnish headers; case, spaces and ``_`` ignored).
ID_ALIASES = ("id", "outlet id", "station id", "store id", "code", "tunnus", "toimipaikka id")
NAME_ALIASES = ("name", "outlet", "station", "store", "nimi", "toimipaikka", "asema")
REGION_ALIASES = ("region", "area", "alue", "maakunta")

#: Business facts an outlet may give: known for the outlet (no range).
FACT_ALIASES: dict[str, tuple[str, ...]] = {
    "customers": ("customers", "regular customers", "asiakkaat", "kanta-asiakkaat"),
    "max_customers": ("max customers", "capacity", "kapasiteetti"),
    "market_size": ("market size", "market", "catchment", "markkina", "markkinan koko"),
    "visits_per_month": ("visits per month", "visits per customer per month", "käynnit kuukaudessa"),
    "spend_per_visit": ("spend per visit", "average spend", "keskiostos", "ostos per käynti"),
    "gross_margin": ("gross margin", "margin", "kate", "myyntikate"),
    "initial_rating": ("rating", "stars", "initial rating", "arvosana", "tähdet"),
    "initial_reviews": ("reviews", "review count", "initial reviews", "arvostelut", "arvosteluja"),
    "fix_cost_once": ("fix cost once", "one-off cost", "kertakustannus"),
    "fix_cost_per_month": ("fix cost per month", "monthly cost", "kuukausikustannus"),
}
#: Service rates an outlet may give as values: its most likely value; the chain's range moves with it.
RATE_ALIASES: dict[str, tuple[str, ...]] = {
    "bad_visit_rate": ("bad visit rate", "bad experience rate", "huonojen käyntien osuus"),
    "complaint_rate": ("complaint rate", "valitusosuus"),
}
#: Counts that calibrate a rate: (successes column, trials column) -> the rate.
COUNT_ALIASES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bad_visit_rate": (("bad visits", "huonot käynnit"), ("visits checked", "visits surveyed", "tarkistetut käynnit")),
    "complaint_rate": (("complained", "valittaneet"), ("unhappy asked", "tyytymättömiä kysytty")),
}
#: Settings written as a share that a sheet may also write in per cent (``35 %``).
SHARES = ("gross_margin", "bad_visit_rate", "complaint_rate")

NO_ID_COLUMN = "{where}: no column names the outlets; name one 'id' (found: {found})"
NO_OUTLETS = "{where}: no outlet could be used: {first}"
TOO_MANY_OUTLETS = "{where}: more than {limit:,} outlets; split the chain"
BLANK_ID = "the outlet has no id"
SAME_ID = "the id '{id}' is also on row {row:,}; give each outlet its own id"
COUNTS_NOT_WHOLE = "'{column}' must be a whole number of visits or people, got {value:g}"
COUNTS_ABOVE_TRIALS = "{successes:g} is more than the {trials:g} of '{column}'"
COUNT_PAIR = "'{given}' needs '{missing}' beside it"
NOT_A_BUSINESS = "the outlet's facts do not make a business: {problem}"
MEASURED = "Measured at this outlet: {successes:,} of {trials:,} ({column}); posterior mode and P5-P95"
NOT_A_WORKBOOK = "{where}: not a readable Excel workbook ({problem}); save it again as .xlsx or export it as CSV"
TEXTS: tuple[str, ...] = (
    NO_ID_COLUMN,
    NO_OUTLETS,
    TOO_MANY_OUTLETS,
    BLANK_ID,
    SAME_ID,
    COUNTS_NOT_WHOLE,
    COUNTS_ABOVE_TRIALS,
    COUNT_PAIR,
    NOT_A_BUSINESS,
    MEASURED,
    NOT_A_WORKBOOK,
)


@dataclass(frozen=True)
class Outlet:
    """One outlet of a chain: who it is and its own scenario (the chain's with its facts put in)."""

    id: str
    name: str
    region: str
    row: int
    params: Params

    @property
    def revenue_per_month(self) -> float:
        """Its revenue today at the modes: customers x visits a month x spend a visit (its size)."""
        p = self.params
        return float(p.customers) * float(p.visits_per_month) * float(p.spend_per_visit)


@dataclass(frozen=True)
class ChainTable:
    """The outlets read from a table, the rows left out (each with a message) and the columns read."""

    name: str
    outlets: tuple[Outlet, ...]
    problems: tuple[str, ...]
    columns: tuple[str, ...]


def read_outlets(data: bytes | Table, name: str, base: Params) -> ChainTable:
    """The chain's outlets from a CSV file's bytes, or from a table already read (an Excel workbook's
    first sheet: ``present.chain_files.read_outlets`` reads workbooks, with a library the model does not
    import).

    Parameters
    ----------
    data : bytes or Table
        The CSV file's content (at most ``own_data.MAX_OWN_DATA_BYTES``), or its cells.
    name : str
        The file's name, used in every message.
    base : Params
        The chain's behavioural assumptions; each outlet's scenario is this one with its facts.

    Returns
    -------
    ChainTable
        The usable outlets in table order, and a message for each row left out.

    Raises
    ------
    OwnDataError
        When the file cannot be read, has no id column or no usable row.

    Examples
    --------
    >>> from estimator import load_preset
    >>> t = read_outlets(b"id;name;customers;margin\\nA1;Keskusta;3 000;30 %\\nA2;;x;0,3\\n", "o.csv",
    ...                  load_preset("gas_station"))
    >>> [(o.id, o.name, o.params.customers, o.params.gross_margin) for o in t.outlets]
    [('A1', 'Keskusta', 3000.0, 0.3)]
    >>> t.problems
    ("o.csv, row 3, column 'customers': 'x' is not a number",)
    """
    table = data if isinstance(data, Table) else read_table(data, name, "id, name, ...")
    if len(table.rows) > MAX_OUTLETS:
        raise OwnDataError(
            Text(TOO_MANY_OUTLETS, where=where(table.name, table.row_numbers[MAX_OUTLETS]), limit=MAX_OUTLETS)
        )
    columns = _columns(table)
    template = base.model_dump()
    outlets: list[Outlet] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, cells in enumerate(table.rows):
        try:
            outlet = _outlet(table, index, cells, columns, template, seen)
        except OwnDataError as exc:
            problems.append(problem_of(exc))  # the Text itself: a page says it in its reader's language
            continue
        seen[outlet.id] = outlet.row
        outlets.append(outlet)
    if not outlets:
        raise OwnDataError(Text(NO_OUTLETS, where=table.name, first=problems[0] if problems else ""))
    used = tuple(table.header[i] for i in sorted({i for i in columns.values() if i is not None}))
    return ChainTable(table.name, tuple(outlets), tuple(problems), used)


def _columns(table: Table) -> dict[str, int | None]:
    """Index of each column the table has, by role (``id``, ``name``, ``region``, a setting,
    ``count:<setting>``/``trials:<setting>``)."""
    normal = [_normal(h) for h in table.header]

    def find(aliases: tuple[str, ...]) -> int | None:
        for alias in aliases:
            if _normal(alias) in normal:
                return normal.index(_normal(alias))
        return None

    found: dict[str, int | None] = {"id": find(ID_ALIASES), "name": find(NAME_ALIASES), "region": find(REGION_ALIASES)}
    if found["id"] is None:
        shown = ", ".join(f"'{short_text(h, 30)}'" for h in table.header[:12]) or "none"
        raise OwnDataError(Text(NO_ID_COLUMN, where=where(table.name, table.header_row), found=shown))
    for setting, aliases in {**FACT_ALIASES, **RATE_ALIASES}.items():
        found[setting] = find((setting, *aliases))
    for setting, (counts, trials) in COUNT_ALIASES.items():
        found[f"count:{setting}"], found[f"trials:{setting}"] = find(counts), find(trials)
    return found


def _outlet(
    table: Table,
    index: int,
    cells: tuple[str, ...],
    columns: dict[str, int | None],
    template: dict[str, Any],
    seen: dict[str, int],
) -> Outlet:
    """One row's outlet, or an ``OwnDataError`` naming the row and column."""

    def cell(role: str) -> str:
        column = columns.get(role)
        return cells[column].strip() if column is not None else ""

    outlet_id = short_text(cell("id"), 60)
    if not outlet_id:
        raise table.error(index, columns["id"], Text(BLANK_ID))
    if outlet_id in seen:
        raise table.error(index, columns["id"], Text(SAME_ID, id=outlet_id, row=seen[outlet_id]))
    data = dict(template)
    ranges, sources, grades = dict(data["ranges"]), dict(data["sources"]), dict(data["grades"])
    for setting in FACT_ALIASES:
        value = _number(table, index, columns[setting], cell(setting), setting)
        if value is not None:
            data[setting] = value
            ranges.pop(setting, None)
            grades[setting] = "measured"
    for setting in RATE_ALIASES:
        value = _number(table, index, columns[setting], cell(setting), setting)
        if value is not None:
            if setting in ranges:
                ranges[setting] = shift_range(SPECS[setting], float(data[setting]), value, ranges[setting])
            data[setting] = value
    for setting in COUNT_ALIASES:
        measured = _counted(table, index, columns, cell, setting)
        if measured is not None:
            estimate, column = measured
            data[setting] = estimate.mode
            ranges[setting] = (min(estimate.low, estimate.mode), max(estimate.high, estimate.mode))
            sources[setting], grades[setting] = Text(MEASURED, **column), "measured"
    data.update(ranges=ranges, sources=sources, grades=grades)
    try:
        params = Params.model_validate(data)
    except ValidationError as exc:
        problem = "; ".join(
            short_text(str(error.get("msg", "")).removeprefix("Value error, "), 200) for error in exc.errors()[:2]
        )
        column = columns.get("market_size") if "market" in problem else columns.get("customers")
        raise table.error(
            index, column if column is not None else columns["id"], Text(NOT_A_BUSINESS, problem=problem)
        ) from None
    return Outlet(
        outlet_id,
        short_text(cell("name"), 80) or outlet_id,
        short_text(cell("region"), 60),
        table.row_numbers[index],
        params,
    )


def _number(table: Table, index: int, column: int | None, text: str, setting: str) -> float | None:
    """A setting's value from its cell (``None`` when blank), checked against its allowed range."""
    if column is None or not text:
        return None
    try:
        share = setting in SHARES and text.rstrip().endswith("%")
        value = parse_number(text.rstrip().removesuffix("%"), table.decimal_comma) / (100.0 if share else 1.0)
        check_value(SPECS[setting], value)
    except ValueError as exc:
        raise table.error(index, column, str(exc)) from None
    return value


def _counted(table: Table, index: int, columns: dict[str, int | None], cell, setting: str):  # noqa: ANN001
    """The posterior of a rate from an outlet's counts, with the words that say where it comes from,
    or ``None`` when the row gives no counts for it."""
    count_column, trials_column = columns[f"count:{setting}"], columns[f"trials:{setting}"]
    count_text, trials_text = cell(f"count:{setting}"), cell(f"trials:{setting}")
    if not count_text and not trials_text:
        return None
    if not count_text or not trials_text:
        given, missing = (count_column, trials_column) if count_text else (trials_column, count_column)
        assert given is not None  # its cell has text, so the table has its column
        names = COUNT_ALIASES[setting][0 if missing == count_column else 1]
        raise table.error(
            index,
            given,
            Text(
                COUNT_PAIR,
                given=table.header[given],
                missing=table.header[missing] if missing is not None else names[0],
            ),
        )
    assert count_column is not None and trials_column is not None  # both cells have text
    counts = []
    for column, text in ((count_column, count_text), (trials_column, trials_text)):
        try:
            value = parse_number(text, table.decimal_comma)
        except ValueError as exc:
            raise table.error(index, column, str(exc)) from None
        if value < 0 or value != int(value) or value > 1e9:
            raise table.error(index, column, Text(COUNTS_NOT_WHOLE, column=table.header[column], value=value))
        counts.append(int(value))
    successes, trials = counts
    if trials < 1 or successes > trials:
        raise table.error(
            index,
            count_column,
            Text(COUNTS_ABOVE_TRIALS, successes=successes, trials=trials, column=table.header[trials_column]),
        )
    estimate = beta_share(successes, trials)
    return estimate, {"successes": successes, "trials": trials, "column": table.header[count_column]}

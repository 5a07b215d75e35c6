"""One number per quantity, on every surface, for every preset, in English and Finnish (MODEL.md §16, issue 23).

Every figure a surface shows as *the* value of a quantity is its mean over the Monte Carlo draws
(``report.mc.value``), with P10–P90 from the same draws; the median may appear only inside a band
label, and the run at the most likely values (``report.det``) never; the payback month and the
break-even cost are read off the mean curves, so no surface gives a payback month when the mean NPV
does not pay back. For each preset and language this collects what each surface shows (the page,
headless; the presenter's steps; the deck; the workbook; the command line's text and JSON), and holds it
to the report's one number per quantity, after the rounding each surface uses:

(a) everywhere: no quantity's median (outside a band label) or value at the most likely values, as the
    surface would write it, unless it reads the same as a figure the surface may show
    (``tests/surfaces.py``: ``sweep``, ``number_problems``); and a payback month only the mean curve's,
    none when it does not pay back (``payback_problems``);
(b) where a surface names a quantity, its one number: the cards by their labels, the decision's answer,
    the presenter's business and fix steps, the deck's title and fix slides, the workbook's headline
    values (as numbers), the command line's headline rows and JSON (the rules below).

A failure lists every figure that is not the one number: where (surface, card, slide, sheet, row),
which quantity, what it shows (and why that is wrong: the median, or the run at the most likely
values) and what it should show.
"""

from __future__ import annotations

import re

import pytest

from estimator import Report, list_presets, load_preset, scenario_to_yaml
from estimator.model.engine.runs import HEADLINE_LABELS
from estimator.present import i18n
from estimator.present.formatting import money, month
from estimator.present.i18n import known, say, t
from tests import surfaces as S
from tests.conftest import ROOT
from tests.surfaces import (AT_MODES, KINDS, P50, PAYBACK, PAYBACK_WORDS, Card, Expected, Piece, Problem, Surface,
                            close, finite, fmt, forms, in_spans, last_points, months_in, num, number,
                            occurrences, payback_problems, snippet, states, sweep)

APP = str(ROOT / "dashboard.py")
PRESETS = tuple(list_presets())
LANGS = ("en", "fi")
CASES = [pytest.param(preset, lang, id=f"{preset}-{lang}") for preset in PRESETS for lang in LANGS]


# --- (b) What each surface must show where it names a quantity ---------------------------------------------------

#: Card labels (English; said in the reader's language) and the quantity each card shows. A card
#: whose label is not here is recognised by its value (the canonical or a wrong figure of one quantity).
CARD_LABELS: dict[str, str | None] = {
    "Revenue lost": "pv_revenue_loss", "Profit lost": "pv_profit_loss", "Customers lost": "customers_lost",
    "Unhappy customer": "cost_per_unhappy_customer", "Net value of the fix": "npv_fix",
    "Net present value": "npv_fix", "Profit brought back": "pv_profit_loss",
    "Cost of the fix": "pv_fix_cost", "Pays back": PAYBACK,
    "Break-even cost": "break_even_cost_per_month", "Chance it pays off": None,
}


#: The cards each card row must have (by quantity).
REQUIRED_CARDS = {"headline": ("pv_revenue_loss", "pv_profit_loss", "customers_lost", "npv_fix"),
                  "decision": ("pv_profit_loss", "pv_fix_cost", "npv_fix", PAYBACK, "break_even_cost_per_month")}


def card_quantity(card: Card, expected: Expected) -> str | None:
    """The quantity a card shows: by its label, else by its value."""
    labels = {known(label): key for label, key in CARD_LABELS.items()}
    labels.update({say(HEADLINE_LABELS[key][0]): key for key in KINDS})
    if card.label in labels:
        return labels[card.label]
    matches = set()
    for q in expected.quantities.values():
        values = [q.value, *q.wrong.values()]
        if any(card.value in forms(q.kind, v, "compact", expected.currency) for v in values):
            matches.add(q.key)
    if months_in(card.value) and PAYBACK_WORDS.search(card.label):
        matches.add(PAYBACK)
    return matches.pop() if len(matches) == 1 else None


def check_cards(surface: Surface, expected: Expected) -> list[Problem]:
    """(b) Each card shows its quantity's canonical figure, and each card row has the cards it must."""
    problems = []
    shown: dict[str, set[str]] = {row: set() for row in REQUIRED_CARDS}
    for card in surface.cards:
        key = card_quantity(card, expected)
        if key is None:
            continue
        shown.setdefault(card.row, set()).add(key)
        where = f"page {card.row} card «{card.label}»"
        if key == PAYBACK:
            stated = [m for _, m in months_in(card.value)]
            if expected.payback is not None and stated != [expected.payback]:
                problems.append(Problem(where, PAYBACK, card.value or "nothing", month(expected.payback)))
            continue
        q = expected.quantities[key]
        canonical = forms(q.kind, q.value, "compact", expected.currency)
        if key == "break_even_cost_per_month" and q.value <= 0:
            canonical |= {t("none"), t("never"), "—", "–"}
        if card.value not in canonical:
            why = next((w for w, v in q.wrong.items() if card.value in forms(q.kind, v, "compact", expected.currency)),
                       "")
            problems.append(Problem(where, key, card.value or "nothing", fmt(q.kind, q.value, "compact",
                                                                             expected.currency), why))
    for row, keys in REQUIRED_CARDS.items():
        if not surface.cards:
            break
        for key in keys:
            if key not in shown.get(row, set()):
                problems.append(Problem(f"page {row} cards", key, "no card", expected.canonical(key)))
    if not surface.cards:
        problems.append(Problem("page", "cards", "no cards", "the headline and decision cards"))
    return problems


def check_answer(surface: Surface, expected: Expected) -> list[Problem]:
    """(b) The decision's answer states the mean NPV."""
    where = f"page «{t('Fix it?')}» answer"
    if surface.answer is None:
        return [Problem(where, "npv_fix", "no answer", expected.canonical("npv_fix"))]
    q = expected.quantities["npv_fix"]
    if not any(occurrences(s, surface.answer, "money") for s in forms("money", q.value, "compact", expected.currency)):
        return [Problem(where, "npv_fix", "no mean NPV", expected.canonical("npv_fix"), "",
                        snippet(surface.answer, 0, 200))]
    return []


def check_loss_curve(surface: Surface, expected: Expected, where: str) -> list[Problem]:
    """(b) The loss over time is the mean curve: a drawn line ends at the headline's mean loss."""
    q = expected.quantities["pv_revenue_loss"]
    drawn = surface.charts.get(where)
    if not drawn:
        return [Problem(where, "pv_revenue_loss", "no chart", "the cumulative loss, ending at the mean")]
    ends = [v for _, series in drawn for v in last_points([s for s in series if s.where.endswith(" y")])]
    if not any(close(v, q.value) for v in ends):
        return [Problem(where, "pv_revenue_loss", "lines ending at " + ", ".join(f"{v:,.0f}" for v in ends),
                        f"a line ending at the mean, {q.value:,.0f}")]
    return []


def check_presenter(surface: Surface, expected: Expected) -> list[Problem]:
    """(b) The business step states the mean revenue and profit lost; the fix step states the mean of what it
    names among profit brought back, cost and NPV (at least one)."""
    problems = []
    business, fix = surface.steps.get("business"), surface.steps.get("fix")
    for step, keys, needed in ((business, ("pv_revenue_loss", "pv_profit_loss"), "all"),
                               (fix, ("pv_profit_loss", "pv_fix_cost", "npv_fix"), "any")):
        if step is None:
            problems.append(Problem("presenter", "steps", "no such step", "the business and fix steps"))
            continue
        sentence, where = step["sentence"], f"{step['where']} sentence"
        stated = [key for key in keys if states(sentence, expected, key)]
        if needed == "all":
            problems += [Problem(where, key, "no mean", expected.canonical(key), "", snippet(sentence, 0, 200))
                         for key in keys if key not in stated]
        elif not stated:
            problems.append(Problem(where, "/".join(keys), "none of their means",
                                    " or ".join(expected.canonical(k) for k in keys), "", snippet(sentence, 0, 200)))
    first = surface.steps.get("which_first")
    best = expected.report.menu.best if expected.report.params.menu else None
    if expected.report.params.menu and first is None:
        problems.append(Problem("presenter", "steps", "no such step", "the which-fix-first step"))
    elif best is not None:
        wanted = forms("money", best.npv.mean, "compact", expected.currency)
        if not any(occurrences(w, first["sentence"], "money") for w in wanted):
            problems.append(Problem(f"{first['where']} sentence", "menu best npv", "no mean NPV of the best",
                                    fmt("money", best.npv.mean, "compact", expected.currency), "",
                                    snippet(first["sentence"], 0, 200)))
    return problems


def check_deck(surface: Surface, expected: Expected) -> list[Problem]:
    """(b) The title slide states the mean revenue and profit lost and the mean NPV; the fix slide's title
    states the mean NPV; the loss-over-time line ends at the mean."""
    problems = []
    if not surface.slides:
        return [Problem("deck", "slides", "no slides", "a deck")]
    first = surface.slides[0]
    text = first["title"] + "\n" + first["body"]
    for key in ("pv_revenue_loss", "pv_profit_loss", "npv_fix"):
        if not states(text, expected, key):
            problems.append(Problem(f"{first['where']} text", key, "no mean", expected.canonical(key), "",
                                    snippet(text, 0, 240)))
    npv = expected.quantities["npv_fix"]
    all_npv = set().union(*(forms("money", v, "compact", expected.currency) for v in (npv.value, *npv.wrong.values())))
    fix_slides = [s for s in surface.slides[1:] if any(occurrences(f, s["title"], "money") for f in all_npv)]
    if not fix_slides:
        problems.append(Problem("deck", "npv_fix", "no slide title with the fix's NPV",
                                f"a fix slide titled with {expected.canonical('npv_fix')}"))
    for slide in fix_slides[:1]:
        if not states(slide["title"], expected, "npv_fix"):
            problems.append(Problem(f"{slide['where']} title", "npv_fix", "no mean NPV",
                                    expected.canonical("npv_fix"), "", slide["title"]))
    loss = expected.quantities["pv_revenue_loss"]
    ends = [s.values[-1] for slide in surface.slides for is_line, s in slide["lines"]
            if is_line and s.values and not s.band]
    if not any(close(v, loss.value) for v in ends):
        problems.append(Problem("deck line charts", "pv_revenue_loss",
                                ("lines ending at " + ", ".join(f"{v:,.0f}" for v in ends)) if ends else "no line",
                                f"the loss over time ending at the mean, {loss.value:,.0f}"))
    return problems


def _is_p50_header(header: str) -> bool:
    return bool(re.search(r"p50|median|mediaani", header, re.I))


def _is_band_header(header: str) -> bool:
    return bool(re.search(r"p10|p90|p50", header, re.I))


def _value_column(header: list[str]) -> int | None:
    """The column that holds a row's one number: headed value (or mean), in the reader's language or English."""
    lowered = [h.lower() for h in header]
    return next((lowered.index(name.lower()) for name in (t("value"), "value", t("mean"), "mean")
                 if name.lower() in lowered), None)


def check_workbook(surface: Surface, expected: Expected) -> list[Problem]:
    """(b) The headline sheet's value (or mean) column holds each quantity's one number; (a) no cell of a
    headline or fix row, and no monthly column's last value, is a P50 outside a P50 column or a value at the
    modes; the payback month is the mean curve's, or absent (no month anywhere) when it does not pay back."""
    problems = []
    sheets = surface.workbook
    headline_name, fix_name, monthly_name = (t(name)[:31] for name in ("Headline", "Fix", "Monthly"))
    headline = sheets.get(headline_name) or (list(sheets.values())[0] if sheets else [])
    if not headline:
        return [Problem("workbook", "sheets", "no headline sheet", f"a sheet «{headline_name}»")]
    header = [str(h or "") for h in headline[0]]
    lowered = [h.lower() for h in header]
    key_col = next((i for i, h in enumerate(lowered) if h in (t("key").lower(), "key")), None)
    value_col = _value_column(header)
    where = f"workbook sheet «{headline_name}»"
    if key_col is None:
        return [Problem(where, "columns", "no key column", f"a column «{t('key')}»")]
    if value_col is None:
        problems.append(Problem(where, "columns", "no value or mean column",
                                f"a column «{t('mean')}» or «{t('value')}»"))
    rows = {row[key_col]: row for row in headline[1:] if row and key_col < len(row)}
    for key in list(KINDS) + [PAYBACK]:
        row = rows.get(key)
        if row is None:
            problems.append(Problem(where, key, "no row", "a row with its mean"))
            continue
        if value_col is not None:
            problems += _value_cell(f"{where} row «{key}» column «{header[value_col]}»", key, row[value_col],
                                    expected)
        problems += _row_cells(f"{where} row «{key}»", key, row, header, expected, skip=value_col)
    fix = sheets.get(fix_name, [])
    if fix:
        fix_header = [str(h or "") for h in fix[0]]
        fix_value = _value_column(fix_header)
        labels = {say(HEADLINE_LABELS[key][0]): key for key in KINDS}
        for row in fix[1:]:
            label = str(row[0] or "")
            key = labels.get(label) or (PAYBACK if PAYBACK_WORDS.search(label) else None)
            if key is None:
                continue
            where = f"workbook sheet «{fix_name}» row «{label}»"
            if fix_value is not None:
                problems += _value_cell(f"{where} column «{fix_header[fix_value]}»", key, row[fix_value], expected)
            problems += _row_cells(where, key, row, fix_header, expected, skip=fix_value)
    monthly = sheets.get(monthly_name, [])
    if len(monthly) > 1:
        monthly_header = [str(h or "") for h in monthly[0]]
        last = monthly[-1]
        for i, value in enumerate(last):
            value = number(value)
            if value is None:
                continue
            for key in ("pv_revenue_loss", "pv_profit_loss", "pv_fix_cost", "npv_fix"):
                q = expected.quantities[key]
                for why, wrong in q.wrong.items():
                    if why == P50 and _is_p50_header(monthly_header[i]):
                        continue
                    if close(value, wrong) and not close(value, q.value):
                        problems.append(Problem(f"workbook sheet «{monthly_name}» column «{monthly_header[i]}» "
                                                f"(last month)", key, num(value), f"{num(q.value)} (the mean)", why))
    return problems


def _value_cell(where: str, key: str, cell, expected: Expected) -> list[Problem]:
    value = number(cell)
    if key == PAYBACK:
        n = expected.payback
        if n is None:
            return [] if value is None else [Problem(where, key, f"{value:g}", "no payback month (empty)",
                                                     "a payback month")]
        stated = [m for _, m in months_in(cell)] if isinstance(cell, str) else [value]
        return [] if stated == [n] else [Problem(where, key, repr(cell), str(n))]
    q = expected.quantities[key]
    if key == "break_even_cost_per_month" and q.value <= 0 and isinstance(cell, str):
        return []  # "none": no monthly cost lets the fix pay
    if value is None or not close(value, q.value):
        why = next((w for w, v in q.wrong.items() if value is not None and close(value, v)), "")
        return [Problem(where, key, num(value) if value is not None else repr(cell), f"{num(q.value)} (the mean)",
                        why)]
    return []


def _row_cells(where: str, key: str, row: tuple, header: list[str], expected: Expected,
               skip: int | None = None) -> list[Problem]:
    problems = []
    for i, cell in enumerate(row):
        value = number(cell)
        if i == skip or value is None:
            continue
        column = header[i] if i < len(header) else f"column {i + 1}"
        if key == PAYBACK:
            n, band = expected.payback, expected.payback_band or ()
            if n is None:
                problems.append(Problem(f"{where} column «{column}»", key, month(value),
                                        "no payback month", "a payback month"))
            elif value != n and not (_is_band_header(column) and value in band):
                if not _is_band_header(column):
                    problems.append(Problem(f"{where} column «{column}»", key, month(value), month(n),
                                            "another month"))
            continue
        q = expected.quantities[key]
        for why, wrong in q.wrong.items():
            if close(value, wrong) and not close(value, q.value) and not any(close(value, b) for b in q.band or ()):
                if why == P50 and _is_p50_header(column):
                    continue
                problems.append(Problem(f"{where} column «{column}»", key, num(value), f"{num(q.value)} (the mean)",
                                        why))
    return problems


def check_cli_text(surface: Surface, expected: Expected) -> list[Problem]:
    """(b) Each headline row leads with the quantity's one number; no column at the modes; (a) a P50 only in
    a column headed P50, a value at the modes nowhere; the payback row states the mean curve's month, or no
    month at all; the channel split's total is the mean loss."""
    problems = []
    lines = surface.text.splitlines()
    heading = t("Headline")
    header_index = next((i for i, line in enumerate(lines) if line.strip().startswith(heading)), None)
    if header_index is None:
        return [Problem("cli text", "table", "no headline table", f"a table headed «{heading}»")]
    columns = re.split(r"\s{2,}", lines[header_index].strip())[1:]
    if t("at modes") in columns:
        problems.append(Problem("cli text headline table", "columns", f"a column «{t('at modes')}»",
                                "no column at the most likely values (only with --modes)", AT_MODES))
    has_p50 = any("P50" in c for c in columns)
    has_band = any(re.search(r"P10|P90", c) for c in columns)
    table_rows = set()
    for key in list(KINDS) + [PAYBACK]:
        label = say(HEADLINE_LABELS[key][0])
        index = next((i for i, line in enumerate(lines) if line.startswith(label + " ")), None)
        where = f"cli text row «{label}»"
        if index is None:
            problems.append(Problem(where, key, "no row", "a row leading with its mean"))
            continue
        table_rows.add(index)
        rest = lines[index][len(label):]
        lead = rest.strip()
        if key == PAYBACK:
            problems += _cli_payback(where, rest, expected, has_band or has_p50)
            continue
        q = expected.quantities[key]
        canonical = fmt(q.kind, q.value, "cli", expected.currency)
        if not re.match(re.escape(canonical) + r"(\s|$)", lead):
            why = next((w for w, v in q.wrong.items() if lead.startswith(fmt(q.kind, v, "cli", expected.currency))), "")
            problems.append(Problem(where, key, lead.split("  ")[0] or "nothing", canonical + " (leading the row)",
                                    why))
        legit = forms(q.kind, q.value, "cli", expected.currency)
        for bound in q.band or ():
            legit |= forms(q.kind, bound, "cli", expected.currency)
        lead_at = len(rest) - len(rest.lstrip())
        found = [(lead_at, lead_at + 1)] if problems and problems[-1].where == where else []
        for why, wrong in q.wrong.items():
            if why == P50 and has_p50:
                continue
            for needle in sorted(forms(q.kind, wrong, "cli", expected.currency) - legit, key=len, reverse=True):
                for position in occurrences(needle, rest, q.kind):
                    if not in_spans(position, found):
                        found.append((position, position + len(needle)))
                        problems.append(Problem(where, key, needle, canonical, why, snippet(rest.strip(), 0, 120)))
    total = next((line for line in lines if line.strip().startswith(t("Total") + " ")), None)
    if total is not None and not states(total, expected, "pv_revenue_loss", "cli"):
        problems.append(Problem("cli text channel split «" + t("Total") + "»", "pv_revenue_loss", total.strip(),
                                expected.canonical("pv_revenue_loss", "cli")))
    others = "\n".join(line for i, line in enumerate(lines) if i not in table_rows and i != header_index)
    problems += sweep([Piece("cli text", others, style="cli")], expected)
    problems += payback_problems([Piece("cli text", others, style="cli")], expected)
    return problems


def _cli_payback(where: str, rest: str, expected: Expected, band_columns: bool) -> list[Problem]:
    stated = months_in(rest)
    n = expected.payback
    if n is None:
        return [Problem(where, PAYBACK, month(m), "no payback month (mean NPV "
                        f"{money(expected.npv, expected.currency, compact=True)})", "a payback month",
                        snippet(rest, p)) for p, m in stated]
    problems = []
    if not stated or stated[0][1] != n or rest[:stated[0][0]].strip():
        problems.append(Problem(where, PAYBACK, rest.strip().split("  ")[0] or "nothing", f"{month(n)} (leading)"))
    for position, m in stated[1:]:
        if m != n and not band_columns:
            problems.append(Problem(where, PAYBACK, month(m), month(n), "another month", snippet(rest, position)))
    return problems


def check_cli_json(surface: Surface, expected: Expected) -> list[Problem]:
    """(b) Each headline output's one number is in the JSON (``value``, else ``mean``); the payback month is
    the mean curve's (null when it does not pay back); the channels, the bridge and the scenario's loss add up
    to the mean loss."""
    data = surface.data
    if data is None:
        return []
    problems = []
    headline = data.get("headline", {})
    for key in list(KINDS) + [PAYBACK]:
        entry = headline.get(key)
        where = f"cli json headline.{key}"
        if not isinstance(entry, dict):
            problems.append(Problem(where, key, "nothing", "its mean"))
            continue
        name = "value" if "value" in entry else "mean"
        got = entry.get(name)
        if key == PAYBACK:
            n = expected.payback
            if (n is None and finite(got)) or (n is not None and got != n):
                problems.append(Problem(f"{where}.{name}", key, repr(got), f"{n!r} (read off the mean curve)"))
            continue
        q = expected.quantities[key]
        if not close(got, q.value):
            why = next((w for w, v in q.wrong.items() if close(got, v)), "")
            problems.append(Problem(f"{where}.{name}", key, repr(got), f"{q.value!r} (mc.value)", why))
    loss = expected.quantities["pv_revenue_loss"].value
    parts = {"channels (sum)": lambda: sum(data["channels"].values()),
             "bridge (last step)": lambda: data["bridge"][-1]["value"], "scenario_loss": lambda: data["scenario_loss"]}
    for name, get in parts.items():
        try:
            value = float(get())
        except (KeyError, IndexError, TypeError, AttributeError):
            continue
        if not close(value, loss):
            problems.append(Problem(f"cli json {name}", "pv_revenue_loss", repr(value), f"{loss!r} (the mean)"))
    return problems


def page_checks(surface: Surface, expected: Expected) -> list[Problem]:
    with i18n.use(expected.lang):
        over_time = f"page «{t('Over time')}»"
    return (check_cards(surface, expected) + check_answer(surface, expected)
            + check_loss_curve(surface, expected, over_time))


# --- The tests ---------------------------------------------------------------------------------------------------


def _assert_none(problems: list[Problem], title: str) -> None:
    if problems:
        pytest.fail(S.report_problems(title, problems), pytrace=False)


def test_all_presets_are_covered():
    assert len(PRESETS) == 8, PRESETS


def _holds(reports, preset: str, lang: str, name: str, collect, checks) -> None:
    """The surface ``collect(report)`` shows one number per quantity (``checks`` its own rules)."""
    report = reports(preset)
    _assert_none(S.check(collect(report), S.expected_of(report, lang), checks), f"{name} · {preset} · {lang}")


@pytest.mark.parametrize("preset,lang", CASES)
def test_page(reports, preset, lang):
    """Cards, the decision's answer, the story, captions, tables and every chart's titles, labels, hover
    templates and drawn lines, on each tab that shows figures."""
    _holds(reports, preset, lang, "page",
           lambda report: S.collect_page(APP, {"preset": preset}, lang, report.params), page_checks)


@pytest.mark.parametrize("preset,lang", CASES)
def test_presenter(reports, preset, lang):
    """The seven steps' titles, sentences, speaker notes and charts."""
    _holds(reports, preset, lang, "presenter", lambda report: S.collect_presenter(report, lang), check_presenter)


@pytest.mark.parametrize("preset,lang", CASES)
def test_deck(reports, preset, lang):
    """Every slide's title, text, table, speaker notes and native chart data."""
    _holds(reports, preset, lang, "deck", lambda report: S.collect_deck(report, lang), check_deck)


@pytest.mark.parametrize("preset,lang", CASES)
def test_workbook(reports, preset, lang):
    """The headline sheet's values, the fix sheet's and the monthly sheet's numbers (compared as numbers)."""
    _holds(reports, preset, lang, "workbook", lambda report: S.collect_workbook(report, lang), check_workbook)


@pytest.mark.parametrize("preset,lang", CASES)
def test_cli_text(reports, preset, lang):
    """``python -m estimator PRESET --lang LANG``: the headline table and everything printed around it."""
    _holds(reports, preset, lang, "cli text", lambda report: S.collect_cli_text(preset, lang), check_cli_text)


@pytest.mark.parametrize("preset,lang", CASES)
def test_cli_json(reports, preset, lang):
    """``python -m estimator PRESET --json --lang LANG``: each headline output's one number."""
    _holds(reports, preset, lang, "cli json", lambda report: S.collect_cli_json(preset, lang), check_cli_json)


# --- The payback month follows the sign of the mean NPV, on every surface ----------------------------------------

#: The hotel with a monthly cost of the fix at which its mean NPV is negative while the run at the most
#: likely values still pays back (in month 35) and a tenth of the draws pay back by month 21; and one at
#: which it is positive and pays back (month 34) later than the run at the most likely values (month 31).
HOTEL_FIX_COST = {"negative": 2800.0, "positive": 2500.0}


@pytest.fixture(scope="module")
def hotel():
    cache: dict[str, Report] = {}

    def get(direction: str) -> Report:
        if direction not in cache:
            cache[direction] = Report(load_preset("hotel").replace(fix_cost_per_month=HOTEL_FIX_COST[direction]))
        return cache[direction]

    return get


@pytest.mark.parametrize("direction,lang", [pytest.param(d, lang, id=f"{d}-npv-{lang}")
                                            for d in HOTEL_FIX_COST for lang in LANGS])
def test_payback_month_follows_the_sign_of_the_mean_npv(hotel, tmp_path, direction, lang):
    report = hotel(direction)
    mc, det = report.mc, report.det
    if direction == "negative":
        assert mc.value("npv_fix") < 0 and mc.payback_month is None and not mc.fix_pays
        # Meaningful: the run at the most likely values, and a tenth of the draws, do pay back.
        assert det.payback_month is not None and mc.headline["payback_month"].p10 < report.params.horizon_months
    else:
        assert mc.value("npv_fix") > 0 and mc.payback_month is not None and mc.fix_pays
        assert det.payback_month is not None and det.payback_month != mc.payback_month
    expected = S.expected_of(report, lang)
    cost = HOTEL_FIX_COST[direction]
    scenario = tmp_path / "hotel.yaml"
    scenario.write_text(scenario_to_yaml(report.params))
    checked = [
        (S.collect_page(APP, {"preset": "hotel", "fix_cost_per_month": f"{cost:g}"}, lang, report.params),
         page_checks),
        (S.collect_presenter(report, lang), check_presenter),
        (S.collect_deck(report, lang), check_deck),
        (S.collect_workbook(report, lang), check_workbook),
        (S.collect_cli_text(str(scenario), lang), check_cli_text),
        (S.collect_cli_json(str(scenario), lang), check_cli_json),
    ]
    problems = [p for surface, extra in checked for p in S.check(surface, expected, extra, payback_only=True)]
    said = "no payback month" if mc.payback_month is None else f"payback in month {mc.payback_month}"
    _assert_none(problems, f"hotel at {cost:g} a month ({direction} mean NPV, {said}) · {lang}")


# --- The verdict's words follow the sign of the mean NPV -------------------------------------------------------------

@pytest.mark.parametrize("direction", list(HOTEL_FIX_COST))
def test_the_verdict_says_pays_or_loses_by_the_sign_of_the_mean_npv(hotel, direction):
    """The decision's answer, the presenter's fix step, the deck's fix verdict and the command line's
    verdict all say the fix pays exactly when its mean NPV is positive, with the mean's figure."""
    from estimator.app.decision import answer
    from estimator.present.cli import report_data, verdict
    from estimator.present.deck import _fix_verdict
    from estimator.present.story_steps import steps

    report = hotel(direction)
    mc, cur = report.mc, report.params.currency
    npv = money(abs(mc.value("npv_fix")), cur, compact=True)
    headline, _ = answer(report)
    fix_step = next(s for s in steps(report) if s.key == "fix").sentence
    worth, paid = _fix_verdict(report)
    cli = " ".join(verdict(report_data(report), report.params))
    from estimator.present.formatting import by_kind
    plain = by_kind("money", abs(mc.value("npv_fix")), cur)  # the command line writes money plainly
    if mc.fix_pays:
        assert headline.startswith("Fixing it is worth " + npv) and f"month {mc.payback_month}" in headline
        assert f"pays back in month {mc.payback_month}" in fix_step
        assert worth.startswith("is worth " + npv) and paid == f"it pays back in month {mc.payback_month}"
        assert cli.startswith("It is worth " + plain) and f"month {mc.payback_month}" in cli
    else:
        assert headline.startswith("At these costs the fix does not pay: it loses " + npv)
        assert "does not pay back" in fix_step
        assert worth.startswith("loses " + npv) and paid == "it does not pay back"
        assert cli.startswith("It does not pay: it loses " + plain)
        assert all("month " not in text for text in (headline, worth, paid)) and "pays back in" not in cli

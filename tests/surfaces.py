"""What each surface shows, read as a reader would, and the rules every figure on it follows
(MODEL.md §16, issue 23; used by ``tests/test_one_number.py``).

Every figure a surface shows as *the* value of a quantity must be its mean over the Monte Carlo
draws (``report.mc.value(key)``), with P10–P90 from the same draws; the median (P50) may appear
only inside a band label, and the run at the most likely values (``report.det``) never. The
payback month and the break-even cost are read off the mean curves (``mc.value`` gives them).

Here each surface (the page, headless; the presenter's steps; the deck; the workbook; the command
line's text and JSON) is collected as *pieces* of text and *series* of numbers, and held to an
``Expected`` made from the same report:

- **canonical**: the quantity's mean, in each format that surface uses (``formatting``, in the
  surface's language);
- **wrong** (``sweep``, ``number_problems``): the same quantity's P50 and its value at the most
  likely values, formatted the same way; a wrong string may not appear unless it reads the same as a
  figure the surface may show (a canonical figure or a P10/P90 of any quantity; a decomposition or a
  setting, but only as a bare number), except a P50 inside a band label (``P10–P90 …``,
  ``8 draws in 10 …``, ``(… 8 kierrosta 10:stä …)``): from the mark to the end of its clause;
- **payback** (``payback_problems``): a month stated in a clause about paying back must be the mean
  curve's month (P10/P90 months only inside a band label), none may be stated when the mean NPV does
  not pay back (``mc.payback_month`` is None, which has no band either), and a surface may not say it
  does not pay back when it does.

Numbers (chart data, workbook cells, JSON) are compared within 1e-9 relative.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import io
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from estimator import Report
from estimator.present import i18n
from estimator.present.formatting import compact_number, money, month, people, stars
from estimator.present.i18n import say, t

#: The quantities with one canonical figure each, and how each is formatted.
KINDS: dict[str, str] = {
    "pv_revenue_loss": "money", "pv_profit_loss": "money", "customers_lost": "people",
    "rating_at_horizon": "stars", "rating_at_horizon_counterfactual": "stars", "unhappy_per_year": "people",
    "cost_per_unhappy_customer": "money", "pv_fix_cost": "money", "npv_fix": "money",
    "break_even_cost_per_month": "money",
}
PAYBACK = "payback_month"
P50, AT_MODES = "the median (P50)", "the run at the most likely values"
REL = 1e-9


# --- Problems ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One figure a surface shows that is not the quantity's one number."""

    where: str
    quantity: str
    shown: str
    expected: str
    why: str = ""
    context: str = ""

    def __str__(self) -> str:
        why = f" ({self.why})" if self.why else ""
        context = f"\n        in: «{self.context}»" if self.context else ""
        return f"{self.where} · {self.quantity}: shows {self.shown}{why}; should show {self.expected}{context}"


def report_problems(title: str, problems: list[Problem]) -> str:
    """A failure message: every problem, one per line, grouped by where it is."""
    unique = list(dict.fromkeys(problems))
    lines = [f"{title}: {len(unique)} figure(s) are not the quantity's one number (MODEL.md §16)"]
    lines += [f"  - {p}" for p in unique]
    return "\n".join(lines)


# --- What each quantity should read ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    key: str
    kind: str
    value: float                       # the canonical figure: mc.value(key)
    band: tuple[float, float] | None   # mc.band(key)
    wrong: dict[str, float]            # P50 and at the modes (when they differ from the value)


@dataclass
class Expected:
    """The one number of every quantity of a report, and what else the surfaces may legitimately show."""

    report: Report
    lang: str
    currency: str
    quantities: dict[str, Quantity]
    payback: int | None                 # mc.payback_month
    payback_band: tuple | None          # mc.band("payback_month")
    npv: float
    extras: list[float] = field(default_factory=list)
    amounts: list[float] = field(default_factory=list)  # the menu's own figures: amounts it states as such

    def canonical(self, key: str, style: str = "compact") -> str:
        """The canonical figure as that style writes it (for messages and exact matches)."""
        if key == PAYBACK:
            return month(self.payback)
        q = self.quantities[key]
        return fmt(q.kind, q.value, style, self.currency)

    def forms(self, kind: str, value: float | None, style: str) -> set[str]:
        return forms(kind, value, style, self.currency)

    def legit_strings(self, style: str) -> set[str]:
        """Figures the surface may show in this style that a wrong figure could read the same as: the
        canonical figure and the P10 and P90 of every quantity; and the decompositions and settings (extras),
        but only as bare numbers (a count, a rating, a chart's "1.33 k"), never as an amount with its
        currency, so that a decomposition that happens to round like a median cannot hide one."""
        out: set[str] = set()
        for q in self.quantities.values():
            out |= self.forms(q.kind, q.value, style)
            for bound in q.band or ():
                out |= self.forms(q.kind, bound, style)
        for value in self.extras:
            out |= self.forms("people", value, style) | self.forms("stars", value, style)
            if style == "chart":
                out |= {compact_number(value), compact_number(abs(value))}
        for value in self.amounts:  # each combination of the menu of fixes is a quantity of its own
            out |= self.forms("money", value, style) | self.forms("money", -value, style)
        return out

    def legit_numbers(self) -> list[float]:
        out = [q.value for q in self.quantities.values()]
        out += [b for q in self.quantities.values() for b in (q.band or ()) if math.isfinite(b)]
        return out + list(self.extras) + list(self.amounts)


def num(value: float) -> str:
    """A number in a message: money-sized to the cent, small ones to six figures."""
    return f"{value:,.2f}" if abs(value) >= 100 else f"{value:.6g}"


def finite(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def close(a: float, b: float, rel: float = REL) -> bool:
    return finite(a) and finite(b) and abs(a - b) <= rel * max(abs(a), abs(b), 1e-12)


def expected_of(report: Report, lang: str) -> Expected:
    """What every surface of ``report`` should show, in language ``lang``."""
    mc, det = report.mc, report.det
    quantities = {}
    for key, kind in KINDS.items():
        value = float(mc.value(key))
        wrong = {P50: float(mc.headline[key].p50), AT_MODES: float(getattr(det, key))}
        quantities[key] = Quantity(key, kind, value, mc.band(key), {k: v for k, v in wrong.items() if v != value})
    expected = Expected(report, lang, report.params.currency, quantities, mc.value(PAYBACK), mc.band(PAYBACK),
                        float(mc.value("npv_fix")))
    wrong_numbers = [w for q in quantities.values() for w in q.wrong.values()]
    # Figures the surfaces show besides the headline (decompositions, settings, counts), which a wrong figure
    # may read the same as by chance (as a bare number: ``legit_strings``); a value that IS one is left out.
    expected.extras = [v for v in _extras(report) if finite(v) and not any(close(v, w) for w in wrong_numbers)]
    expected.amounts = _menu_amounts(report)
    if report.params.menu:  # each combination's chance it pays off, as a share or a percentage
        expected.extras += [v for o in report.menu.options for v in (o.chance_pays_off, 100 * o.chance_pays_off)]
    return expected


def _menu_amounts(report: Report) -> list[float]:
    """Every figure of the menu of fixes (each combination's mean NPV, its band, costs and profit, and each
    fix's marginal value): quantities of their own, which may read like a headline's median by chance."""
    if not report.params.menu:
        return []
    menu = report.menu
    out = [v for o in menu.options for v in (o.npv.mean, o.npv.p10, o.npv.p90, o.pv_cost, o.pv_profit_gain,
                                             o.cost_once, o.cost_per_month)]
    return out + list(menu.marginal.values())


def _extras(report: Report) -> list[float]:
    params, mc = report.params, report.mc
    out: list[float] = [mc.draws, mc.seed, params.horizon_months, mc.chance_fix_pays_off,
                        100 * mc.chance_fix_pays_off, float(params.fix_cost_once), float(params.fix_cost_per_month)]
    from estimator.model.inputs.catalogue import CATALOGUE

    for spec in CATALOGUE:
        out.append(float(getattr(params, spec.name)))
        out += [float(v) for v in params.value_range(spec.name)]
        out += [100 * float(getattr(params, spec.name))]
    for getter in (lambda: [v for r in report.ladder.rungs for v in (r.value, r.increment)],
                   lambda: [report.ladder.scenario_loss, report.ladder.naive_total,
                            report.ladder.unrecovered_customers] + [r.value for r in report.ladder.folk],
                   lambda: [v for s in report.bridge for v in (s.value, s.change)],
                   lambda: list(report.channels.values()) + [sum(report.channels.values())],
                   lambda: [v for r in report.tornado for v in (r.loss_at_low, r.loss_at_high, r.low_value,
                                                                 r.high_value)]):
        try:
            out += [float(v) for v in getter()]
        except Exception:  # a part the model is changing: fewer extras, never a crash
            pass
    return out


# --- Formats -----------------------------------------------------------------------------------------------------


def fmt(kind: str, value: float | None, style: str, currency: str) -> str:
    """The value as a surface in ``style`` writes it: ``compact`` (page, presenter, deck: ``€2.43 M``),
    ``chart`` (the same), ``cli`` (the command line's table: ``2,429,252 EUR``, ``4.08``)."""
    if value is None or not math.isfinite(value):
        return month(None) if kind == "month" else "n/a"
    if kind == "money":
        return money(value, currency) if style == "cli" else money(value, currency, compact=True)
    if kind == "people":
        return people(value)
    if kind == "month":
        return month(value)
    return stars(value, symbol=False) if style == "cli" else stars(value)


def forms(kind: str, value: float | None, style: str, currency: str) -> set[str]:
    """Every way a surface in ``style`` may write ``value`` (money also without its sign: ``loses €678``)."""
    if value is None or not math.isfinite(value):
        return set()
    if kind == "money":
        if style == "cli":
            return {money(value, currency), money(abs(value), currency)}
        out = {money(value, currency, compact=True), money(abs(value), currency, compact=True)}
        if style == "chart":  # chart titles and bar labels: "total 2.43 M EUR", "+1.46 k"
            out |= {compact_number(value), compact_number(abs(value))}
        return out
    if kind == "people":
        return {people(value)}
    return {stars(value), stars(value, symbol=False)} if style == "cli" else {stars(value)}


_UNIT_AFTER = r"(?![ \u00a0\u202f]?(?:k\b|M\b|bn\b|t\.|milj\.|mrd\.|%|€|\$|£|EUR\b|ms\b))"


def occurrences(needle: str, text: str, kind: str) -> list[int]:
    """Where ``needle`` stands as a whole figure in ``text`` (not inside a longer number; a count or a
    rating not inside an amount of money or a percentage)."""
    if kind == "money":
        before, after = r"(?<![\w.,\u00a0\u202f])", r"(?!\w|[.,]\d|[\u00a0\u202f]\d)"
        if needle[-1:].isdigit():  # "641" (or "€641") is not inside "€641 k": another magnitude
            after += _UNIT_AFTER
    else:
        before = r"(?<![\w.,\u00a0\u202f€$£+\-−])"
        after = r"(?!\w|[.,]\d|[\u00a0\u202f]\d)" + _UNIT_AFTER
    return [m.start() for m in re.finditer(before + re.escape(needle) + after, text)]


# --- Text: bands, clauses, payback ---------------------------------------------------------------------------------

_BAND_MARK = re.compile(r"P10|P90|\b8\s+(?:\S+\s+){0,3}?(?:in|out of)\s+10\b"     # "8 draws in 10"
                        r"|\b8\s+(?:\S+\s+){0,3}?(?:10:stä|kymmenestä)", re.I)  # "8 kierrosta 10:stä"
_CLAUSE_END = re.compile(r"[;·\n]|\.(?=\s+[A-ZÄÖÅ*])|\.\s*$")


def band_spans(text: str) -> list[tuple[int, int]]:
    """The band labels in ``text``: from a P10/P90 (or "8 draws in 10") mark to the end of its clause,
    from its opening parenthesis when the mark is inside one."""
    spans = []
    for mark in _BAND_MARK.finditer(text):
        start = mark.start()
        opening, closing = text.rfind("(", 0, start), text.rfind(")", 0, start)
        if opening > closing:
            start = opening
        end = _CLAUSE_END.search(text, mark.end())
        spans.append((start, end.start() if end else len(text)))
    return spans


def in_spans(position: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(a <= position < b for a, b in spans)


def clauses(text: str) -> list[tuple[int, int]]:
    """The clauses of ``text`` (split at sentence ends, semicolons, middle dots and line breaks)."""
    out, start = [], 0
    for end in _CLAUSE_END.finditer(text):
        out.append((start, end.start()))
        start = end.end()
    out.append((start, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


PAYBACK_WORDS = re.compile(
    r"\bpay(?:s|ing)?(?: it| itself)? back\b|\bpaid(?: it| itself)? back\b|\bpayback\b|\bpa(?:ys|id) for itself\b|"
    r"takaisinmaks|\bmaks\w*\s+itse\w*\s+takaisin", re.I)
MONTH = re.compile(r"\bmonth\s+(\d+)\b|\bkuukausi\s+(\d+)\b|\b(\d+)\.\s*kuukau\w*", re.I)
NEGATION = re.compile(r"\bnot\b|\bnever\b|\bno\b|n't\b|\bnone\b|\bei\b|\beikä\b|\bkoskaan\b", re.I)


def months_in(text: str) -> list[tuple[int, int]]:
    """(position, month) of every month a text states."""
    return [(m.start(), int(next(g for g in m.groups() if g))) for m in MONTH.finditer(text)]


# --- Pieces of text and series of numbers ------------------------------------------------------------------------


@dataclass
class Piece:
    """A text a surface shows. ``payback``: how it is read for payback months: by ``clauses`` (a
    clause about paying back), ``whole`` (a card: label, value, band and note together) or ``skip``."""

    where: str
    text: str
    style: str = "compact"
    payback: str = "clauses"


@dataclass
class Series:
    """Numbers a surface draws or stores (a chart's line, a workbook column); ``band``: a P10/P90 bound."""

    where: str
    values: list[float]
    band: bool = False


def sweep(pieces: Iterable[Piece], expected: Expected) -> list[Problem]:
    """(a) No wrong figure (a P50 outside a band label, a value at the modes) in any piece."""
    problems = []
    legit = {style: expected.legit_strings(style) for style in ("compact", "chart", "cli")}
    for piece in pieces:
        text = piece.text
        if not text:
            continue
        spans = band_spans(text)
        for q in expected.quantities.values():
            canonical = fmt(q.kind, q.value, piece.style, expected.currency)
            needles: dict[str, list[str]] = {}  # a string and every wrong figure that reads as it
            for why, wrong in q.wrong.items():
                for needle in forms(q.kind, wrong, piece.style, expected.currency) - legit[piece.style]:
                    needles.setdefault(needle, []).append(why)
            found: list[tuple[int, int]] = []  # "−€1.97 M" once, not again as "€1.97 M" inside it
            for needle in sorted(needles, key=len, reverse=True):
                for position in occurrences(needle, text, q.kind):
                    whys = [w for w in needles[needle] if not (w == P50 and in_spans(position, spans))]
                    if not whys or in_spans(position, found):
                        continue
                    found.append((position, position + len(needle)))
                    problems.append(Problem(piece.where, q.key, needle, canonical, " and ".join(whys),
                                            snippet(text, position)))
    return problems


def number_problems(series: Iterable[Series], expected: Expected) -> list[Problem]:
    """(a) for numbers: no number a chart draws or a file stores is a quantity's P50 or value at the modes
    (unless it also is a figure the surface may show)."""
    problems = []
    legit = expected.legit_numbers()
    for s in series:
        if s.band:
            continue
        for value in s.values:
            if not finite(value):
                continue
            for q in expected.quantities.values():
                for why, wrong in q.wrong.items():
                    if wrong != 0 and close(value, wrong) and not any(close(value, v) for v in legit):
                        problems.append(Problem(s.where, q.key, num(value), f"{num(q.value)} (the mean)", why))
    return problems


def payback_problems(pieces: Iterable[Piece], expected: Expected) -> list[Problem]:
    """A month stated about paying back is the mean curve's month; none is stated when it does not pay back;
    a surface does not say it never pays back when it does."""
    problems = []
    n = expected.payback
    should = month(n) if n is not None else (
        f"no payback month (the mean NPV is {money(expected.npv, expected.currency, compact=True)})")
    for piece in pieces:
        if piece.payback == "skip" or not piece.text:
            continue
        text = piece.text
        spans = band_spans(text)
        ranges = [(0, len(text))] if piece.payback == "whole" else clauses(text)
        for a, b in ranges:
            clause = text[a:b]
            if not PAYBACK_WORDS.search(clause):
                continue
            for position, stated in months_in(clause):
                if n is None:
                    problems.append(Problem(piece.where, PAYBACK, month(stated), should, "a payback month",
                                            snippet(text, a + position)))
                elif stated != n and not in_spans(a + position, spans):
                    problems.append(Problem(piece.where, PAYBACK, month(stated), should, "another month",
                                            snippet(text, a + position)))
            if n is not None:
                outside = "".join(ch for i, ch in enumerate(clause) if not in_spans(a + i, spans))
                found = NEGATION.search(outside)
                if found and not months_in(outside):
                    problems.append(Problem(piece.where, PAYBACK, "that it does not pay back", should,
                                            "a negation", snippet(clause, found.start())))
    return problems


def snippet(text: str, position: int, width: int = 70) -> str:
    start, end = max(0, position - width), min(len(text), position + width)
    body = " ".join(text[start:end].split())
    return ("…" if start else "") + body + ("…" if end < len(text) else "")


def unmarkdown(text: str) -> str:
    """Markdown as read: escapes and emphasis removed."""
    text = re.sub(r"\\(.)", r"\1", text)
    return text.replace("**", "").replace("### ", "")


# --- Charts (Plotly JSON: the page and the presenter) -------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")
_PLACEHOLDER = re.compile(r"%\{[^}]*\}")


def _decode(values) -> list[float] | None:
    """A Plotly data array from JSON: a list, or a typed array {"dtype", "bdata"} (base64)."""
    import base64

    if isinstance(values, dict) and "bdata" in values:
        array = np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"])).astype(float)
        return array.ravel().tolist()
    if isinstance(values, list):
        flat = np.asarray(values, dtype=object).ravel().tolist()
        if flat and all(finite(v) or v is None for v in flat):
            return [math.nan if v is None else float(v) for v in flat]
    return None


def _text_of(value) -> str:
    if isinstance(value, dict):
        value = value.get("text", "")
    return value if isinstance(value, str) else ""


def chart(spec: dict, where: str) -> tuple[str, list[Piece], list[Series]]:
    """A Plotly figure's title, its texts (title, axis titles, notes, trace names, labels, hover templates
    without their placeholders) and its numbers (each shown trace's values, bases and reference lines)."""
    layout = spec.get("layout", {})
    title = _text_of(layout.get("title"))
    name = f"{where} chart «{_TAG.sub(' ', title)[:60]}»"
    texts = [title] + [_text_of(layout.get(axis, {}).get("title")) for axis in ("xaxis", "yaxis")]
    texts += [_text_of(a) for a in layout.get("annotations", []) or []]
    series = []
    for i, trace in enumerate(spec.get("data", [])):
        trace_name = trace.get("name") or f"trace {i + 1}"
        texts.append(trace.get("name") or "")
        template = trace.get("hovertemplate") or ""
        texts.append(_PLACEHOLDER.sub(" ", template))
        labels = trace.get("text")
        texts += [labels] if isinstance(labels, str) else [v for v in labels or [] if isinstance(v, str)]
        if trace.get("hoverinfo") == "skip":
            continue  # an invisible bound of a band (P10 or P90)
        for attr in ("x", "y", "base"):
            if attr == "x" and trace.get("orientation") != "h":
                continue
            if attr == "y" and trace.get("orientation") == "h":
                continue
            values = _decode(trace.get(attr))
            if values:
                series.append(Series(f"{name} trace «{trace_name}» {attr}", values))
    for shape in layout.get("shapes", []) or []:
        if shape.get("type") == "line" and shape.get("x0") == shape.get("x1") and finite(shape.get("x0")):
            series.append(Series(f"{name} reference line", [float(shape["x0"])]))
    text = "\n".join(html.unescape(_TAG.sub(" ", s)) for s in texts if s)
    return title, [Piece(name, text, style="chart")], series


def last_points(series: Iterable[Series]) -> list[float]:
    return [s.values[-1] for s in series if s.values and not s.band]


# --- The page, headless -------------------------------------------------------------------------------------------


@dataclass
class Card:
    row: str
    label: str
    value: str
    band: str
    note: str
    help: str


@dataclass
class Surface:
    """What one surface shows for one scenario in one language."""

    name: str
    pieces: list[Piece] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)   # found while collecting (errors, missing parts)
    cards: list[Card] = field(default_factory=list)
    answer: str | None = None
    charts: dict[str, list[tuple[str, list[Series]]]] = field(default_factory=dict)
    slides: list[dict] = field(default_factory=list)
    steps: dict[str, dict] = field(default_factory=dict)
    workbook: dict[str, list[tuple]] = field(default_factory=dict)
    text: str = ""
    data: dict | None = None


_CARD_START = re.compile(r'<div class="shrug-card" data-label="([^"]*)">')


def parse_cards(body: str, row: str) -> list[Card]:
    """The cards of one card row's HTML."""
    parts = _CARD_START.split(body)
    cards = []
    for label, chunk in zip(parts[1::2], parts[2::2]):
        def part(name: str) -> str:
            found = re.search(rf'class="shrug-card-{name}"[^>]*>(.*?)</(?:div|span)>', chunk, re.S)
            # Ordinary spaces collapsed; no-break spaces kept, as the figures are written with them.
            return re.sub(r"[ \t\r\n]+", " ", html.unescape(_TAG.sub(" ", found.group(1)))).strip() if found else ""

        cards.append(Card(row, html.unescape(label), part("value"), part("band"), part("note"), part("tip")))
    return cards


#: The page's views that show figures: (tab, story view) in English, said in the reader's language.
PAGE_VIEWS: tuple[tuple[str, str | None], ...] = (
    ("Fix it?", None), ("The story", None), ("The story", "From one shrug to everyone"), ("Over time", None),
    ("Where it comes from", None), ("What matters most", None))


def collect_page(app: str, query: dict[str, str], lang: str, params) -> Surface:
    """The dashboard run headless (Streamlit's AppTest) on each view that shows figures, opened by its link
    (``query`` plus the language, the tab and the story's view)."""
    from streamlit.testing.v1 import AppTest

    surface = Surface("page")
    with i18n.use(lang):
        description = unmarkdown(say(params.description))
        seen: set[str] = set()
        for tab, view in PAGE_VIEWS:
            label = t(tab)
            where = f"page «{label}»" + (f" ({t(view)})" if view else "")
            at = AppTest.from_file(app, default_timeout=180)
            for key, value in {**query, "lang": lang, "tab": label, **({"story": t(view)} if view else {})}.items():
                at.query_params[key] = value
            at.run()
            if at.exception:
                surface.problems.append(Problem(where, "page", "an error", "the page",
                                                "; ".join(str(e.value)[:200] for e in at.exception)))
                continue
            if at.session_state["tab"] != label:
                surface.problems.append(Problem(where, "page", f"tab {at.session_state['tab']!r}", f"tab {label!r}",
                                                "the link did not open the tab"))
                continue
            if view is None and tab == "Fix it?":
                _page_cards_and_answer(at, surface)
            texts = [(f"{where} {'answer' if m.value.startswith('### ') else 'text'}", unmarkdown(m.value))
                     for m in at.main.markdown]
            texts += [(f"{where} caption", re.sub(r"\d+\s*ms\b", "", c.value)) for c in at.main.caption]
            for table in at.table:
                frame = table.value
                cells = [str(c) for c in frame.columns] + [str(i) for i in frame.index]
                texts.append((f"{where} table", "\n".join(cells + [str(v) for v in frame.to_numpy().ravel()])))
            for name, text in texts:
                if (description and description[:40] in text) or text in seen:
                    continue  # the scenario's own name and description (not the model's), or a text already read
                seen.add(text)
                surface.pieces.append(Piece(name, text))
            drawn = []
            for element in at.get("plotly_chart"):
                title, pieces, series = chart(json.loads(element.proto.spec), where)
                surface.pieces += pieces
                surface.series += series
                drawn.append((title, series))
            surface.charts[where] = drawn
    return surface


def _page_cards_and_answer(at, surface: Surface) -> None:
    for element in at.get("html"):
        body = element.proto.body
        for row in ("headline", "decision"):
            if f'data-cards="{row}"' in body:
                surface.cards += parse_cards(body, row)
    for card in surface.cards:
        where = f"page {card.row} card «{card.label}»"
        surface.pieces.append(Piece(where, "\n".join((card.label, card.value, card.band, card.note)),
                                    payback="whole"))
        surface.pieces.append(Piece(f"{where} help", card.help, payback="skip"))
    answers = [m.value for m in at.main.markdown if m.value.startswith("### ")]
    surface.answer = unmarkdown(answers[0]) if answers else None


# --- The presenter ----------------------------------------------------------------------------------------------


def collect_presenter(report: Report, lang: str) -> Surface:
    """The seven steps' titles, sentences, notes and charts, in ``lang``."""
    from estimator.present.story_steps import steps

    surface = Surface("presenter")
    with i18n.use(lang):
        for number, step in enumerate(steps(report), start=1):
            where = f"presenter step {number} «{step.key}»"
            surface.steps[step.key] = {"sentence": step.sentence, "where": where}
            surface.pieces += [Piece(f"{where} title", step.title), Piece(f"{where} sentence", step.sentence),
                               Piece(f"{where} notes", step.notes)]
            try:
                figure = step.chart()
            except Exception as exc:  # noqa: BLE001 - said as a problem of this surface
                surface.problems.append(Problem(where, "chart", "an error", "a chart", repr(exc)[:200]))
                continue
            _, pieces, series = chart(json.loads(figure.to_json()), where)
            surface.pieces += pieces
            surface.series += series
    return surface


def states(text: str, expected: Expected, key: str, style: str = "compact") -> bool:
    q = expected.quantities[key]
    return any(occurrences(s, text, q.kind) for s in forms(q.kind, q.value, style, expected.currency))


# --- The deck ---------------------------------------------------------------------------------------------------


def collect_deck(report: Report, lang: str) -> Surface:
    """Every slide's title, text, table cells, speaker notes and native chart data, in ``lang``."""
    from pptx import Presentation
    from pptx.enum.chart import XL_CHART_TYPE

    from estimator.present.deck import build_deck

    surface = Surface("deck")
    with i18n.use(lang):
        data = build_deck(report, today=dt.date(2026, 1, 5))
        for number, slide in enumerate(Presentation(io.BytesIO(data)).slides, start=1):
            title_shape = slide.shapes.title
            title = title_shape.text if title_shape is not None else ""
            where = f"deck slide {number}" + (f" «{title[:50]}»" if title else "")
            body, lines = [], []
            for shape in slide.shapes:
                if shape.has_text_frame and shape is not title_shape and shape.shape_id != getattr(
                        title_shape, "shape_id", None):
                    body.append(shape.text_frame.text)
                if getattr(shape, "has_table", False) and shape.has_table:
                    body += [cell.text for row in shape.table.rows for cell in row.cells]
                if getattr(shape, "has_chart", False) and shape.has_chart:
                    kind = shape.chart.chart_type
                    for plot in shape.chart.plots:
                        for series in plot.series:
                            name = series.name or ""
                            values = [float(v) for v in series.values if v is not None]
                            band = bool(re.search(r"\bP10\b|\bP90\b", name))
                            entry = Series(f"{where} chart series «{name}»", values, band)
                            surface.series.append(entry)
                            lines.append((kind == XL_CHART_TYPE.LINE, entry))
            notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
            surface.slides.append({"number": number, "title": title, "body": "\n".join(body), "notes": notes,
                                   "lines": lines, "where": where})
            surface.pieces += [Piece(f"{where} title", title), Piece(f"{where} text", "\n".join(body)),
                               Piece(f"{where} notes", notes)]
    return surface


# --- The workbook ---------------------------------------------------------------------------------------------


def collect_workbook(report: Report, lang: str) -> Surface:
    """The XLSX the page and the command line export, its sheets as rows of cells (openpyxl)."""
    from openpyxl import load_workbook

    from estimator.present.tables import data_tables, xlsx_bytes

    surface = Surface("workbook")
    with i18n.use(lang):
        book = load_workbook(io.BytesIO(xlsx_bytes(data_tables(report))), data_only=True)
        for sheet in book.worksheets:
            surface.workbook[sheet.title] = [tuple(row) for row in sheet.iter_rows(values_only=True)]
            texts = [str(v) for row in surface.workbook[sheet.title] for v in row if isinstance(v, str)]
            surface.pieces.append(Piece(f"workbook sheet «{sheet.title}» text", "\n".join(texts)))
    return surface


def number(value) -> float | None:
    return float(value) if finite(value) else None


# --- The command line ------------------------------------------------------------------------------------------


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """``python -m estimator ARGS`` in this process (``estimator.__main__`` calls ``cli.main``)."""
    from estimator.present.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def collect_cli_text(scenario: str, lang: str) -> Surface:
    surface = Surface("cli text")
    code, out, err = run_cli([scenario, "--lang", lang])
    if code != 0:
        surface.problems.append(Problem("cli text", "exit", f"exit code {code}", "0", err.strip()[:200]))
    surface.text = out
    return surface


def collect_cli_json(scenario: str, lang: str) -> Surface:
    surface = Surface("cli json")
    code, out, err = run_cli([scenario, "--json", "--lang", lang])
    if code != 0:
        surface.problems.append(Problem("cli json", "exit", f"exit code {code}", "0", err.strip()[:200]))
        return surface
    try:
        surface.data = json.loads(out)
    except ValueError as exc:
        surface.problems.append(Problem("cli json", "output", "not JSON", "JSON", str(exc)[:200]))
    return surface


# --- One surface, checked ----------------------------------------------------------------------------------------


def check(surface: Surface, expected: Expected, extra: Callable[[Surface, Expected], list[Problem]] | None = None,
          payback_only: bool = False) -> list[Problem]:
    """Every check of a surface, in the surface's language."""
    with i18n.use(expected.lang):
        problems = list(surface.problems)
        if not payback_only:
            problems += sweep(surface.pieces, expected)
            problems += number_problems(surface.series, expected)
        problems += payback_problems(surface.pieces, expected)
        if extra is not None:
            found = extra(surface, expected)
            if payback_only:
                found = [p for p in found if p.quantity == PAYBACK]
            said = {(p.where, p.quantity) for p in problems}
            problems += [p for p in found if (p.where, p.quantity) not in said]  # a wrong figure once, not twice
    return problems


def as_shown(frame):  # noqa: ANN001, ANN201 (a DataFrame in, the same as the page shows it out)
    """A table as ``st.table`` shows it: its cells are Markdown, escaped by ``widgets.static_table``
    (``Bad\\-experience``), so a reader sees them without the backslashes."""
    def shown(value):  # noqa: ANN001, ANN202
        return re.sub(r"\\(.)", r"\1", value) if isinstance(value, str) else value

    out = frame.map(shown)
    out.index = out.index.map(shown)
    out.columns = out.columns.map(shown)
    out.index.name = shown(frame.index.name) if frame.index.name else frame.index.name
    return out

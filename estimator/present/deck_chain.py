"""A chain of outlets as a small 16:9 PowerPoint deck with native, editable charts (MODEL.md §23).

Slides, in the main deck's style (``deck_charts``: action titles sized to fit, speaker notes saying what
to say, a grey footer saying what the figures are, charts drawn by PowerPoint from their data, so a
reader can restyle or re-sort them):

1. the chain's totals: the revenue lost by not fixing and the net present value of fixing every outlet,
   each with its P10–P90 (the band of the per-draw sums), the chance it pays off, the payback month and
   the number of outlets, in the sentences ``chain_tables.totals_lines`` writes for every surface;
2. the outlets ranked: the top ``TOP`` by the fix's mean NPV as bars, best at the top, each with its
   P10–P90 as whiskers (custom error bars, so they stay editable);
3. value against size: an XY scatter of each outlet's revenue a month today and the revenue it loses by
   not fixing, one series (colour) per region;
4. "fix these first" (only when ``first`` is given): the outlets chosen within a budget
   (``chain_tables.chosen_within``), in the order to fix them, with what they are worth together.

Every figure is the chain run's own (means over the draws, P10–P90 from the same draws), formatted by
``formatting`` in the reader's language (``with i18n.use("fi"): chain_deck_bytes(...)``); the outlets'
cells are ``chain_tables.ranked_rows``'s, so a slide and the page's table say the same.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from pptx import Presentation
from pptx.chart.data import XyChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.presentation import Presentation as Deck  # what pptx.Presentation() opens
from pptx.util import Emu, Inches, Pt

from ..model.chain.run import ChainResult, OutletResult
from .chain_figures import REGION_COLOURS, outlet_label, region_name
from .chain_tables import first_totals, ranked_rows, totals_lines
from .deck_charts import (
    BODY,
    FULL,
    GREY,
    HEIGHT,
    LEFT,
    RED,
    SLATE,
    WIDTH,
    describe_charts,
    fill_table,
    money_format,
    native_chart,
    number_labels,
    titled_slide,
)
from .formatting import money, people
from .i18n import t, tn
from .menu_tables import budget_words
from .textfit import INSET, LINE, lines, text_box
from .wording import over_horizon

#: Outlets on the ranked slide.
TOP = 15

#: Chosen outlets the "fix these first" table shows (the notes name how many there are in all).
FIRST_ROWS = 12

#: Where the "fix these first" table starts and how far down it may reach (above the footer), in inches.
TABLE_TOP, TABLE_BOTTOM = 1.95, 6.9


def _cash(result: ChainResult, value: float) -> str:
    """Money as people say it on a slide: ``€2.23 M``."""
    return money(value, result.params.currency, compact=True)


def first_words(result: ChainResult, first: Sequence[OutletResult]) -> str:
    """The outlets to fix first in one sentence: how many, what they are worth together and what they cost
    (or that no outlet's fix pays within the budget)."""
    if not first:
        return t("No outlet's fix pays within this budget.")
    npv, once, monthly = first_totals(first)
    cur = result.params.currency
    costs = budget_words(once if once else None, monthly if monthly else None, cur) or t("nothing")
    return tn("Fix {count} outlet first: worth {value} net {over} (the sum of its mean NPV), costing {costs}.",
              "Fix {count} outlets first: together worth {value} net {over} (the sum of their mean NPVs), costing "
              "{costs}.", len(first), count=people(len(first)), value=money(npv, cur, True),
              over=over_horizon(result.params), costs=costs)


def _totals_slide(prs: Deck, result: ChainResult) -> None:
    """The chain's totals: an action title and ``totals_lines``, with the outlets' count and the draws."""
    npv, over, count = result.npv.mean, over_horizon(result.params), people(len(result.outlets))
    title = (t("Fixing the service at all {count} outlets is worth {value} net {over}", count=count,
               value=_cash(result, npv), over=over) if npv > 0 else
             t("Fixing the service at all {count} outlets loses {value} net {over}", count=count,
               value=_cash(result, -npv), over=over))
    said = totals_lines(result)
    slide = titled_slide(prs, title,
                         t("The chain's totals: every outlet under the same assumptions about its customers (the "
                           "scenario's), each with its own business facts, on the same {draws} draws, so the range "
                           "is that of the chain's total. {lines} Say: {title}.", draws=people(result.draws),
                           lines=" ".join(said), title=title),
                         t("Means of {draws} Monte Carlo draws (seed {seed}); P10–P90 of the chain's total in the "
                           "same draws. Unrounded figures in the Excel export.", draws=people(result.draws),
                           seed=result.seed))
    paragraphs = [(said[0], 28, True, RED)] + [(line, 24, False, SLATE) for line in said[1:]]
    paragraphs.append((t("{count} outlets, revenue today {revenue} a month; {left}", count=count,
                         revenue=_cash(result, result.revenue_per_month),
                         left=tn("{n} row of the table was left out.", "{n} rows of the table were left out.",
                                 len(result.problems), n=people(len(result.problems))) if result.problems
                         else t("every row of the table was used.")), 18, False, GREY))
    text_box(slide, BODY, paragraphs, space=16)


def _whiskers(series, plus: Sequence[float], minus: Sequence[float]) -> None:
    """P10–P90 as custom error bars on a bar series (``plus``: up to P90, ``minus``: down to P10), written
    into the chart's XML (python-pptx has no API for them), so PowerPoint draws and edits them natively."""
    def values(tag: str, numbers: Sequence[float]) -> str:
        points = "".join(f'<c:pt idx="{i}"><c:v>{max(0.0, float(v))!r}</c:v></c:pt>' for i, v in enumerate(numbers))
        return (f"<c:{tag}><c:numLit><c:formatCode>General</c:formatCode><c:ptCount val=\"{len(numbers)}\"/>"
                f"{points}</c:numLit></c:{tag}>")

    bars = parse_xml(f'<c:errBars {nsdecls("c", "a")}><c:errBarType val="both"/><c:errValType val="cust"/>'
                     f'<c:noEndCap val="0"/>{values("plus", plus)}{values("minus", minus)}'
                     f'<c:spPr><a:ln w="15875"><a:solidFill><a:srgbClr val="34495E"/></a:solidFill></a:ln>'
                     f'</c:spPr></c:errBars>')
    series._element.find(qn("c:cat")).addprevious(bars)


def _ranked_slide(prs: Deck, result: ChainResult, top: int = TOP) -> None:
    """The top outlets by the fix's mean NPV: native bars, best at the top, P10–P90 whiskers, values on the bars."""
    outlets, cur, over = list(result.outlets[:top]), result.params.currency, over_horizon(result.params)
    best = outlets[0]
    title = t("{outlet} is where fixing it is worth most: {value} net {over}", outlet=outlet_label(best),
              value=_cash(result, best.npv.mean), over=over)
    slide = titled_slide(prs, title,
                         t("The {count} outlets where fixing the service is worth most, of {total}: each bar is the "
                           "fix's net present value at that outlet {over}, the mean of {draws} draws; the whiskers "
                           "reach from P10 to P90 (8 draws in 10 fall between them). The best, {outlet}, comes to "
                           "{value} ({low} to {high}). Say: start where the bars are longest; the table in the "
                           "workbook ranks every outlet.", count=len(outlets), total=people(len(result.outlets)),
                           over=over, draws=people(result.draws), outlet=outlet_label(best),
                           value=_cash(result, best.npv.mean), low=_cash(result, best.npv.p10),
                           high=_cash(result, best.npv.p90)),
                         t("Net present value of the fix, {currency}, mean of {draws} draws; whiskers P10 to P90. "
                           "The top {count} of {total} outlets.", currency=cur, draws=people(result.draws),
                           count=len(outlets), total=people(len(result.outlets))))
    means = [o.npv.mean for o in outlets]
    number_format = money_format(cur, [o.npv.p90 for o in outlets] + [o.npv.p10 for o in outlets])
    chart = native_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, [outlet_label(o) for o in outlets],
                         {t("Net present value of the fix (mean)"): means}, number_format, [RED], legend=False)
    chart.plots[0].gap_width = 45
    chart.category_axis.reverse_order = True
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    chart.category_axis.tick_labels.font.size = Pt(11)
    # The money axis below the lowest bar: it crosses the (reversed) outlets' axis at its last category.
    chart.value_axis._element.find(qn("c:crosses")).set("val", "max")
    _money_scale(chart.value_axis, [o.npv.p10 for o in outlets] + [o.npv.p90 for o in outlets])
    plot = chart.plots[0]
    plot.has_data_labels = True
    number_labels(plot.data_labels, number_format)
    for point in (plot.series[0].points[i] for i in range(len(outlets))):  # each label is its own text
        label = point.data_label
        label.position = XL_LABEL_POSITION.INSIDE_BASE
        for run in (r for paragraph in label.text_frame.paragraphs for r in paragraph.runs):
            run.font.size, run.font.bold, run.font.color.rgb = Pt(11), True, RGBColor(0xFF, 0xFF, 0xFF)
    _whiskers(plot.series[0], [o.npv.p90 - o.npv.mean for o in outlets], [o.npv.mean - o.npv.p10 for o in outlets])
    _axis_title(chart.value_axis, t("Net present value of the fix ({cur})", cur=cur))


def _money_scale(axis, values: Sequence[float]) -> None:
    """A value axis that holds every whisker (PowerPoint scales an axis to the bars alone): from zero (or the
    lowest value) to the highest, each end rounded out to a round step (1, 2 or 5 times a power of ten)."""
    low, high = min(0.0, min(values)), max(0.0, max(values))
    span = (high - low) or 1.0
    step = 10 ** math.floor(math.log10(span / 5))
    step *= next(m for m in (1, 2, 5, 10) if span / (step * m) <= 8)
    axis.minimum_scale, axis.maximum_scale = math.floor(low / step) * step, math.ceil(high / step) * step
    axis.major_unit = step


def _axis_title(axis, text: str) -> None:
    """An axis's title (its unit), in the deck's small grey type."""
    axis.has_title = True
    axis.axis_title.text_frame.text = text
    font = axis.axis_title.text_frame.paragraphs[0].font
    font.size, font.bold, font.color.rgb = Pt(12), False, GREY


def _hex(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _size_slide(prs: Deck, result: ChainResult) -> None:
    """Each outlet's size (revenue a month today) against the revenue it loses by not fixing: a native XY
    scatter, one series per region."""
    cur, over = result.params.currency, over_horizon(result.params)
    regions = sorted({region_name(o) for o in result.outlets})
    members = {region: [o for o in result.outlets if region_name(o) == region] for region in regions}
    longest = max(len(m) for m in members.values())
    data = XyChartData()
    for region in regions:
        series = data.add_series(region)
        for o in members[region]:
            series.add_data_point(o.revenue_per_month, o.value.mean)
        for _ in range(longest - len(members[region])):  # blank points: LibreOffice draws only the last of
            series.add_data_point(None, None)              # several XY series of different lengths
    slide = titled_slide(prs, t("What each outlet loses by not fixing, against its size"),
                         t("Each point is an outlet: across, its revenue a month today (its customers, visits and "
                           "spend); up, the revenue it loses {over} by not fixing the service, in present value, the "
                           "mean of {draws} draws; one colour per region. Say: the loss grows with the outlet's "
                           "size, and the points above the others lose more than their size says: their rating, "
                           "reviews or bad visits make the difference.", over=over, draws=people(result.draws)),
                         t("Revenue lost by not fixing: present value {over}, {currency}, mean of {draws} draws. "
                           "Revenue today: customers × visits a month × spend a visit, {currency}.", over=over,
                           currency=cur, draws=people(result.draws)))
    chart = slide.shapes.add_chart(XL_CHART_TYPE.XY_SCATTER, *BODY, data).chart
    chart.has_title, chart.has_legend = False, len(regions) > 1
    if chart.has_legend:
        chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
        chart.legend.font.size = Pt(12)
    for axis, values, text in ((chart.category_axis, [o.revenue_per_month for o in result.outlets],
                                t("Revenue per month today ({cur})", cur=cur)),
                               (chart.value_axis, [o.value.mean for o in result.outlets],
                                t("Revenue lost by not fixing, present value ({cur})", cur=cur))):
        number_labels(axis.tick_labels, money_format(cur, values))
        axis.tick_labels.font.size = Pt(12)
        axis.has_major_gridlines = True
        axis.major_gridlines.format.line.color.rgb = RGBColor(0xE5, 0xE8, 0xEC)
        _axis_title(axis, text)
    for i, series in enumerate(chart.plots[0].series):
        colour = _hex(REGION_COLOURS[i % len(REGION_COLOURS)])
        series.format.line.fill.background()  # points only, no line joining them
        series.marker.style, series.marker.size = XL_MARKER_STYLE.CIRCLE, 8
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = colour
        series.marker.format.line.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def _first_slide(prs: Deck, result: ChainResult, first: Sequence[OutletResult]) -> None:
    """The outlets to fix first within the budget, in the order to fix them (best return per euro first):
    a sentence with what they come to together, and a native table of the first ``FIRST_ROWS``."""
    rows = ranked_rows(result)
    header, chosen = rows[0], [rows[o.rank] for o in first]  # rows[rank]: that outlet's row (ranked, header first)
    shown = chosen[:FIRST_ROWS]
    npv, _, _ = first_totals(first)
    worth = dict(value=_cash(result, npv), over=over_horizon(result.params))
    title = (t("Fix this outlet first: worth {value} net {over}", **worth) if len(first) == 1 else
             t("Fix these {count} outlets first: worth {value} net {over}", count=people(len(first)), **worth))
    sentence = first_words(result, first)
    slide = titled_slide(prs, title,
                         t("{sentence} They are the outlets where the fix pays (its mean NPV above zero), taken in "
                           "order of what each euro spent brings back, while their costs fit the budget. Say: "
                           "these first; the rest as the money allows.", sentence=sentence),
                         t("Mean of {draws} draws. Order: net present value per euro of the fix's cost (present "
                           "value). The first {shown} of {count} outlets chosen.", draws=people(result.draws),
                           shown=len(shown), count=people(len(first))))
    text_box(slide, (LEFT, Inches(1.38), FULL, Inches(0.55)), [(sentence, 18, True, RED)])
    _table(slide, [header] + shown)


def _table(slide, rows: list[list[str]]) -> None:
    """A native table of text cells that fits above the footer, at the largest font (14 pt down to 8) at
    which it does (``_widths``)."""
    room, columns = (TABLE_BOTTOM - TABLE_TOP) * 72, len(rows[0])
    for size in (14, 13, 12, 11, 10, 9, 8):
        widths = _widths(rows, size) or [FULL / 12_700 / columns] * columns  # last resort: words may break
        heights = [max(lines(text, size, w) for text, w in zip(row, widths)) * LINE * size + INSET / 2 + 1
                   for row in rows]
        if _widths(rows, size) is not None and sum(heights) <= room:
            break
    shape = slide.shapes.add_table(len(rows), len(rows[0]), LEFT, Inches(TABLE_TOP), FULL, Pt(sum(heights)))
    table = shape.table
    for c, width in enumerate(widths):
        table.columns[c].width = Emu(int(width * 12_700))
    fill_table(table, rows, heights, size, text_columns=(1, 2))


def _widths(rows: list[list[str]], size: float) -> list[float] | None:
    """Column widths (pt) at ``size`` pt: every figure on one line and no word broken (a header wraps between
    its words; the outlet and its region may wrap), the outlet and the region widened towards one line
    each with the width left, the rest shared out. ``None`` when the words alone do not fit at this size."""
    full, text_columns = FULL / 12_700, (1, 2)
    least = [max(_width(word, size) for row in rows for word in (row[c].split() if c in text_columns or row is rows[0]
                                                                else [row[c]]))
             for c in range(len(rows[0]))]
    if sum(least) > full:
        return None
    wish = [max(_width(row[c], size) for row in rows[1:]) - least[c] if c in text_columns else 0.0
            for c in range(len(rows[0]))]
    spare = full - sum(least)
    given = min(1.0, spare / sum(wish)) if sum(wish) > 0 else 0.0
    widths = [w + extra * given for w, extra in zip(least, wish)]
    return [w + (full - sum(widths)) / len(widths) for w in widths]


def _width(text: str, size: float) -> float:
    """The width (pt) in which ``text`` takes one line at ``size`` pt, in steps of 2 pt."""
    width = INSET + size
    while lines(text, size, width) > 1:
        width += 2
    return width


def chain_deck_bytes(result: ChainResult, first: Sequence[OutletResult] = ()) -> bytes:
    """The chain's deck (16:9, native charts) as bytes: totals, the top outlets ranked, value against size,
    and, when ``first`` is given, the outlets to fix first.

    >>> from estimator import load_preset
    >>> from estimator.model.chain.outlets import read_outlets
    >>> from estimator.model.chain.run import run_chain
    >>> table = read_outlets(b"id,region,customers\\nA,North,2000\\nB,South,4000\\n", "o.csv",
    ...                      load_preset("gas_station"))
    >>> deck = Presentation(io.BytesIO(chain_deck_bytes(run_chain(table, draws=64))))
    >>> len(deck.slides), sum(shape.has_chart for slide in deck.slides for shape in slide.shapes)
    (3, 2)
    """
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    _totals_slide(prs, result)
    _ranked_slide(prs, result)
    _size_slide(prs, result)
    if first:
        _first_slide(prs, result, first)
    describe_charts(prs)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()

"""A 16:9 PowerPoint deck of a scenario, with native (editable) charts.

Slides: title with the headline loss; cumulative loss (P10/P50/P90 lines); where the loss
comes from; the cost of one shrug; what matters most; A vs B when a scenario is pinned;
key assumptions with sources; method. Every chart is a PowerPoint chart with its data
embedded, so it can be restyled and edited in PowerPoint or LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Emu, Inches, Pt

from ..model.analyses import CHANNEL_LABELS
from ..model.catalogue import SPECS
from ..model.report import Report
from .formatting import money, share
from .wording import fix_changes, fix_costs

RED, BLUE, SLATE, GREY = (RGBColor(0xC0, 0x39, 0x2B), RGBColor(0x2E, 0x86, 0xAB), RGBColor(0x34, 0x49, 0x5E),
                          RGBColor(0x7F, 0x8C, 0x8D))
WIDTH, HEIGHT = Emu(12_192_000), Emu(6_858_000)  # 13.333 x 7.5 in, 16:9
BODY = (Inches(0.6), Inches(1.45), Inches(12.1), Inches(5.6))


def _slide(prs: Presentation, title: str):
    """A 'Title Only' slide with its title placed for 16:9 (the template's is 4:3)."""
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = Inches(0.6), Inches(0.35), Inches(12.1), Inches(0.95)
    shape.text = title
    paragraph = shape.text_frame.paragraphs[0]
    paragraph.font.size = Pt(30)
    paragraph.font.bold = True
    paragraph.font.color.rgb = SLATE
    return slide


def _note(slide, text: str) -> None:
    box = slide.shapes.add_textbox(Inches(0.6), Inches(7.0), Inches(12.1), Inches(0.4))
    box.text_frame.text = text
    box.text_frame.paragraphs[0].font.size = Pt(11)
    box.text_frame.paragraphs[0].font.color.rgb = GREY


def _chart(slide, chart_type, data: CategoryChartData, number_format: str = '#,##0', legend: bool = True):
    chart = slide.shapes.add_chart(chart_type, *BODY, data).chart
    chart.has_title = False  # the slide title says it
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(12)
    chart.value_axis.tick_labels.number_format = number_format
    chart.value_axis.tick_labels.number_format_is_linked = False
    chart.value_axis.tick_labels.font.size = Pt(12)
    chart.category_axis.tick_labels.font.size = Pt(12)
    chart.value_axis.has_major_gridlines = True
    return chart


def _colour_series(chart, colours: Sequence[RGBColor | None], line: bool) -> None:
    for series, colour in zip(chart.plots[0].series, colours):
        if colour is None:
            series.format.fill.background()
            series.format.line.fill.background()
            continue
        if line:
            series.format.line.color.rgb = colour
            series.format.line.width = Pt(2.5)
            series.smooth = False
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = colour


def _title_slide(prs: Presentation, d: Report, today: dt.date) -> None:
    p, h = d.params, d.mc.headline
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    years = p.horizon_months / 12
    lines = [
        ("Cost of a Shrug", 40, True, SLATE),
        (p.name, 28, False, SLATE),
        (f"Revenue lost over {years:g} years (present value): {money(h['pv_revenue_loss'].p50, p.currency)}", 24,
         True, RED),
        (f"Likely range (P10–P90): {money(h['pv_revenue_loss'].p10, p.currency)} – "
         f"{money(h['pv_revenue_loss'].p90, p.currency)}; profit lost {money(h['pv_profit_loss'].p50, p.currency)}",
         18, False, SLATE),
        (f"The fix ({fix_changes(p)}; costs {fix_costs(p)}): net present value "
         f"{money(h['npv_fix'].p50, p.currency)}, pays off in {share(d.mc.chance_fix_pays_off, 0)} of draws", 18,
         False, SLATE),
        (f"{today:%d %B %Y} · {d.mc.draws:,} Monte Carlo draws · seed {d.mc.seed}", 14, False, GREY),
    ]
    box = slide.shapes.add_textbox(Inches(0.8), Inches(1.6), Inches(11.7), Inches(4.5))
    frame = box.text_frame
    frame.word_wrap = True
    for i, (text, size, bold, colour) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = text
        paragraph.font.size, paragraph.font.bold, paragraph.font.color.rgb = Pt(size), bold, colour
        paragraph.space_after = Pt(14)


def _cumulative_slide(prs: Presentation, d: Report) -> None:
    slide = _slide(prs, "Cumulative revenue lost (present value)")
    data = CategoryChartData()
    data.categories = [f"M{m}" for m in d.mc.months]
    band = d.mc.bands["cumulative_pv_revenue_loss"]
    for name, row in zip(("P10", "P50 (median)", "P90"), band):
        data.add_series(name, [float(v) for v in row])
    chart = _chart(slide, XL_CHART_TYPE.LINE, data)
    _colour_series(chart, [GREY, RED, GREY], line=True)
    _note(slide, f"{d.params.currency}. 8 in 10 of {d.mc.draws:,} draws end between the P10 and P90 lines.")


def _channels_slide(prs: Presentation, d: Report) -> None:
    slide = _slide(prs, "Where the loss comes from")
    data = CategoryChartData()
    data.categories = [CHANNEL_LABELS[k] for k in CHANNEL_LABELS]
    data.add_series("Revenue lost (present value)", [float(d.channels[k]) for k in CHANNEL_LABELS])
    chart = _chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, data, legend=False)
    chart.plots[0].has_data_labels = True
    chart.plots[0].data_labels.number_format = '#,##0'
    chart.plots[0].data_labels.number_format_is_linked = False
    chart.category_axis.reverse_order = True
    _colour_series(chart, [RED], line=False)
    _note(slide, f"{d.params.currency}, at the most likely values. Shapley split: the parts add up to the total.")


def _ladder_slide(prs: Presentation, d: Report) -> None:
    slide = _slide(prs, "The cost of one shrug")
    rungs = d.ladder.rungs
    data = CategoryChartData()
    data.categories = [r.label for r in rungs] + ["One shrug in all"]
    bases = [r.value - r.increment for r in rungs] + [0.0]
    adds = [r.increment for r in rungs] + [rungs[-1].value]
    data.add_series("base", [float(v) for v in bases])
    data.add_series("Added by this rung", [float(v) for v in adds])
    chart = _chart(slide, XL_CHART_TYPE.COLUMN_STACKED, data, legend=False)
    chart.plots[0].gap_width = 60
    _colour_series(chart, [None, RED], line=False)
    labels = chart.plots[0].series[1]
    labels.data_labels.show_value = True
    labels.data_labels.number_format = '#,##0'
    labels.data_labels.number_format_is_linked = False
    _note(slide, f"{d.params.currency}, present value of revenue. Beside it: this scenario loses "
                 f"{money(d.ladder.scenario_loss, d.params.currency)}; the naive product of one shrug times "
                 f"{d.ladder.unrecovered_customers:,.0f} unrecovered customers would be "
                 f"{money(d.ladder.naive_total, d.params.currency)}.")


def _tornado_slide(prs: Presentation, d: Report, top: int = 10) -> None:
    slide = _slide(prs, "What matters most")
    rows = list(d.tornado)[:top]
    data = CategoryChartData()
    data.categories = [r.label for r in rows]
    data.add_series("Loss with the parameter at its low end", [float(r.loss_at_low) for r in rows])
    data.add_series("Loss with the parameter at its high end", [float(r.loss_at_high) for r in rows])
    chart = _chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, data)
    chart.category_axis.reverse_order = True
    _colour_series(chart, [BLUE, RED], line=False)
    _note(slide, f"{d.params.currency}, present value. Everything else at its most likely value; "
                 "the longest pairs are the assumptions worth checking first.")


def _compare_slide(prs: Presentation, d: Report, a: Report) -> None:
    a_params, a_mc = a.params, a.mc
    slide = _slide(prs, "A vs B: cumulative revenue lost")
    data = CategoryChartData()
    data.categories = [f"M{m}" for m in d.mc.months]
    months = min(len(a_mc.months), len(d.mc.months))
    data.categories = [f"M{m}" for m in d.mc.months[:months]]
    data.add_series(f"A: {a_params.name}", [float(v) for v in a_mc.bands["cumulative_pv_revenue_loss"][1][:months]])
    data.add_series(f"B: {d.params.name}", [float(v) for v in d.mc.bands["cumulative_pv_revenue_loss"][1][:months]])
    chart = _chart(slide, XL_CHART_TYPE.LINE, data)
    _colour_series(chart, [SLATE, RED], line=True)
    difference = d.mc.headline["pv_revenue_loss"].p50 - a_mc.headline["pv_revenue_loss"].p50
    _note(slide, f"Median lines, {d.params.currency}, present value. B − A at the horizon: "
                 f"{money(difference, d.params.currency)}.")


def _assumptions_slide(prs: Presentation, d: Report, top: int = 12) -> None:
    slide = _slide(prs, "Key assumptions and sources")
    p = d.params
    names = [r.parameter for r in d.tornado][:top] or ["bad_visit_rate", "churn_silent", "tell_unhappy"]
    table = slide.shapes.add_table(len(names) + 1, 4, Inches(0.6), Inches(1.4), Inches(12.1),
                                   Inches(0.4) * (len(names) + 1)).table
    widths = (Inches(3.0), Inches(1.6), Inches(1.9), Inches(5.6))
    for i, width in enumerate(widths):
        table.columns[i].width = Emu(int(width))
    for col, text in enumerate(("Assumption", "Value", "Range", "Source")):
        table.cell(0, col).text = text
    for row, name in enumerate(names, start=1):
        spec = SPECS[name]
        low, high = p.value_range(name)
        unit = spec.unit.replace("currency", p.currency)
        cells = (f"{spec.label} ({unit})", f"{getattr(p, name):g}", f"{low:g} – {high:g}",
                 p.sources.get(name, "assumption"))
        for col, text in enumerate(cells):
            table.cell(row, col).text = text
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(10)


def _method_slide(prs: Presentation, d: Report) -> None:
    slide = _slide(prs, "How the numbers are made")
    bullets = [
        "Loss = revenue of the business with the fix minus revenue as it is, month by month, discounted to "
        "present value; both start from today's business as it is."
        if d.params.baseline == "today" else
        "Loss = revenue with the fix minus revenue of this scenario, both from a flawless business that starts "
        "shrugging, month by month, discounted to present value.",
        "Each month some visits go badly; unhappy customers may complain, and complaints may be resolved.",
        "Unhappy customers may leave (service churn), tell people who then leave or never come (word of mouth, "
        "retold month after month), and write reviews that lower the rating prospects read.",
        "Delighted and well-recovered customers tell good stories; bad service forfeits that upside too.",
        "Hearing is counted with Poisson probabilities, so nobody is counted twice and the market saturates.",
        f"Uncertainty: {d.mc.draws:,} Monte Carlo draws from PERT ranges around every assumption; P10–P90 shown.",
        "Full equations and sources: docs/methodology.md.",
    ]
    box = slide.shapes.add_textbox(*BODY)
    frame = box.text_frame
    frame.word_wrap = True
    for i, text in enumerate(bullets):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = "• " + text
        paragraph.font.size = Pt(18)
        paragraph.space_after = Pt(10)


def build_deck(d: Report, pinned: Report | None = None, today: dt.date | None = None) -> bytes:
    """The deck of scenario ``d`` (B), beside ``pinned`` (A) if given, as .pptx bytes.

    Parameters
    ----------
    d : Report
        The scenario; its parts are computed as the slides need them.
    pinned : Report, optional
        Scenario A, shown against ``d`` on an "A vs B" slide.
    today : datetime.date, optional
        Date on the title slide (default: today).

    Returns
    -------
    bytes
        A 16:9 PowerPoint file whose charts are native, editable charts.
    """
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    _title_slide(prs, d, today or dt.date.today())
    _cumulative_slide(prs, d)
    _channels_slide(prs, d)
    _ladder_slide(prs, d)
    if d.tornado:
        _tornado_slide(prs, d)
    if pinned is not None:
        _compare_slide(prs, d, pinned)
    _assumptions_slide(prs, d)
    _method_slide(prs, d)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()

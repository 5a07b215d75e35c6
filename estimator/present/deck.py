"""A 16:9 PowerPoint deck of a scenario, with native (editable) charts.

Slides: title with the headline loss and the fix; what not fixing costs over time (P10/P50/P90
lines); whether the fix pays (profit brought back against its cost); the cost of one shrug; from
one shrug × everyone to the model; where the loss comes from; what matters most (a tornado from
the base value); A vs B on paired draws when a scenario is pinned; key assumptions with grades
and sources; method. Every content slide has an action title that states its finding with its
figure, and speaker notes. Every chart is a PowerPoint chart with its data embedded, so it can
be restyled and edited in PowerPoint or LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
from pptx.util import Emu, Inches, Pt

from ..model.analyses import CHANNEL_LABELS
from ..model.catalogue import SPECS
from ..model.report import Report
from ..model.uncertainty import paired_difference
from .formatting import money, month, setting_value, share
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


def _say(slide, text: str) -> None:
    """Speaker notes: what the chart shows and what to say about it."""
    slide.notes_slide.notes_text_frame.text = text


def _cash(d: Report, value: float) -> str:
    """Money as people say it on a slide: ``€2.23 M``."""
    return money(value, d.params.currency, compact=True)


def _years(d: Report) -> str:
    years = d.params.horizon_months / 12
    return f"{years:g} year{'s' if years != 1 else ''}"


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


def _waterfall(slide, labels: list[str], bases: list[float], bars: list[float], name: str,
               falls: set[int] = frozenset()) -> None:
    """A native waterfall: stacked columns on an invisible base, red bars (blue where ``falls``), values shown."""
    data = CategoryChartData()
    data.categories = labels
    data.add_series("base", [float(v) for v in bases])
    data.add_series(name, [float(v) for v in bars])
    chart = _chart(slide, XL_CHART_TYPE.COLUMN_STACKED, data, legend=False)
    chart.plots[0].gap_width = 60
    _colour_series(chart, [None, RED], line=False)
    series = chart.plots[0].series[1]
    for i in sorted(falls):
        point = series.points[i]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = BLUE
    series.data_labels.show_value = True
    series.data_labels.number_format = '#,##0'
    series.data_labels.number_format_is_linked = False


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
    loss = d.mc.headline["pv_revenue_loss"]
    slide = _slide(prs, f"Not fixing it costs {_cash(d, loss.p50)} of revenue over {_years(d)}")
    _say(slide, f"Cumulative revenue lost by not fixing the service, in present value, month by month. The red line "
                f"is the median of {d.mc.draws:,} draws; 8 in 10 end between the grey lines, "
                f"{_cash(d, loss.p10)} and {_cash(d, loss.p90)}. Say: the loss builds up as lost customers are not "
                f"replaced and stories spread; it does not stop at the horizon.")
    data = CategoryChartData()
    data.categories = [f"M{m}" for m in d.mc.months]
    band = d.mc.bands["cumulative_pv_revenue_loss"]
    for name, row in zip(("P10", "P50 (median)", "P90"), band):
        data.add_series(name, [float(v) for v in row])
    chart = _chart(slide, XL_CHART_TYPE.LINE, data)
    _colour_series(chart, [GREY, RED, GREY], line=True)
    _note(slide, f"{d.params.currency}. 8 in 10 of {d.mc.draws:,} draws end between the P10 and P90 lines.")


def _channels_slide(prs: Presentation, d: Report) -> None:
    total = sum(d.channels.values())
    top = max(CHANNEL_LABELS, key=lambda k: d.channels[k])
    title = CHANNEL_LABELS[top].split(" (")[0]
    slide = _slide(prs, f"{title} is {share(d.channels[top] / total if total else 0.0, 0)} of the loss")
    _say(slide, "Where the loss comes from, at the most likely values: each channel's Shapley share, its average "
                "extra loss over every order of switching the channels on, so the parts add up to the total "
                f"({_cash(d, total)}). Say: this is where to act first.")
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
    rungs = d.ladder.rungs
    slide = _slide(prs, f"One shrug costs {_cash(d, rungs[-1].value)}; {_cash(d, rungs[0].value)} of it is the "
                        f"customer himself")
    _say(slide, "The cost of one shrugged-off complaint in a good business, rung by rung: he leaves, the people he "
                "tells stay away, the people they tell, his review. Each bar is what that rung adds, in present "
                "value of revenue. Say: this is the story's 'thousands of euros' in the model's own terms.")
    _waterfall(slide, [r.label for r in rungs] + ["One shrug in all"],
               [r.value - r.increment for r in rungs] + [0.0], [r.increment for r in rungs] + [rungs[-1].value],
               "Added by this rung")
    _note(slide, f"{d.params.currency}, present value of revenue. Beside it: this scenario loses "
                 f"{money(d.ladder.scenario_loss, d.params.currency)}; the naive product of one shrug times "
                 f"{d.ladder.unrecovered_customers:,.0f} unrecovered customers would be "
                 f"{money(d.ladder.naive_total, d.params.currency)}.")


def _tornado_slide(prs: Presentation, d: Report, top: int = 10) -> None:
    rows = list(d.tornado)[:top]
    base = d.det.pv_revenue_loss
    first = rows[0]
    slide = _slide(prs, f"{first.label} moves the loss most: {_cash(d, min(first.loss_at_low, first.loss_at_high))}"
                        f" to {_cash(d, max(first.loss_at_low, first.loss_at_high))}")
    _say(slide, f"A tornado: each bar shows how far the loss moves from its value at the most likely settings "
                f"({_cash(d, base)}) when one assumption goes to the low (blue) or high (red) end of its range, "
                f"everything else held. Say: the longest bars are the assumptions worth checking first.")
    data = CategoryChartData()
    data.categories = [r.label for r in rows]
    data.add_series("Assumption at its low end", [float(r.loss_at_low - base) for r in rows])
    data.add_series("Assumption at its high end", [float(r.loss_at_high - base) for r in rows])
    chart = _chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, data, number_format='+#,##0;−#,##0;0')
    chart.plots[0].overlap = 100
    chart.plots[0].gap_width = 40
    chart.category_axis.reverse_order = True
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    _colour_series(chart, [BLUE, RED], line=False)
    _note(slide, f"{d.params.currency}, present value: change of the loss from {money(base, d.params.currency)} "
                 "(everything at its most likely value).")


def _fix_slide(prs: Presentation, d: Report) -> None:
    h, det = d.mc.headline, d.det
    npv = h["npv_fix"]
    paid = f"pays back in {month(det.payback_month)}" if det.payback_month else "does not pay back within the horizon"
    slide = _slide(prs, f"Fixing it is worth {_cash(d, npv.p50)} net and {paid}")
    _say(slide, f"The fix: {fix_changes(d.params)}; it costs {fix_costs(d.params)}. The red line is the profit it "
                f"brings back, the grey line what it costs, both cumulative and discounted, at the most likely "
                f"values; where red crosses grey, it has paid for itself. Over {d.mc.draws:,} draws its net present "
                f"value is {_cash(d, npv.p50)} at the median ({_cash(d, npv.p10)} to {_cash(d, npv.p90)}), and it pays "
                f"off in {share(d.mc.chance_fix_pays_off, 0)} of them. The most it could cost a month and still pay: "
                f"{_cash(d, det.break_even_cost_per_month)}.")
    data = CategoryChartData()
    data.categories = [f"M{m}" for m in det.months]
    data.add_series("Profit brought back", [float(v) for v in det.cumulative_pv_profit_gain])
    data.add_series("Cost of the fix", [float(v) for v in det.cumulative_pv_fix_cost])
    chart = _chart(slide, XL_CHART_TYPE.LINE, data)
    _colour_series(chart, [RED, GREY], line=True)
    _note(slide, f"{d.params.currency}, cumulative present value at the most likely values. Pays off in "
                 f"{share(d.mc.chance_fix_pays_off, 0)} of {d.mc.draws:,} draws.")


def _bridge_slide(prs: Presentation, d: Report) -> None:
    steps = d.bridge
    slide = _slide(prs, f"One shrug × everyone would be {_cash(d, steps[0].value)}; the model says "
                        f"{_cash(d, steps[-1].value)}")
    _say(slide, "He is not the only one, but multiplying one shrug by every unhappy customer who is not helped "
                "overstates the loss. The bars take the product to the model's figure in three steps that add up: "
                "the real mix of unhappy customers (most say nothing, some are helped), stories told late in the "
                "horizon having less time to cost, and overlap, saturation and replacement. At the most likely values.")
    running = [s.value for s in steps]
    _waterfall(slide, [s.label for s in steps] + ["The model"],
               [0.0] + [min(a, b) for a, b in zip(running, running[1:])] + [0.0],
               [running[0]] + [abs(s.change) for s in steps[1:]] + [running[-1]], "Revenue lost (present value)",
               falls={i for i, s in enumerate(steps) if i and s.change < 0})
    _note(slide, f"{d.params.currency}, present value. Blue steps take off, red steps add.")


def _compare_slide(prs: Presentation, d: Report, a: Report) -> None:
    a_params, a_mc = a.params, a.mc
    paired = paired_difference(a_params, d.params)
    diff = paired.difference["pv_revenue_loss"]
    verb, chance = (("less", paired.chance_b_loses_less) if diff.p50 < 0
                    else ("more", 1.0 - paired.chance_b_loses_less))
    slide = _slide(prs, f"B loses {_cash(d, abs(diff.p50))} {verb} than A, in {share(chance, 0)} of draws")
    _say(slide, f"A: {a_params.name}. B: {d.params.name}. Both on the same {d.mc.draws:,} draws, so the "
                f"difference is draw by draw: B − A is {_cash(d, diff.p50)} at the median, {_cash(d, diff.p10)} to "
                f"{_cash(d, diff.p90)} in 8 draws out of 10. The lines are each scenario's median cumulative loss.")
    data = CategoryChartData()
    data.categories = [f"M{m}" for m in d.mc.months]
    months = min(len(a_mc.months), len(d.mc.months))
    data.categories = [f"M{m}" for m in d.mc.months[:months]]
    data.add_series(f"A: {a_params.name}", [float(v) for v in a_mc.bands["cumulative_pv_revenue_loss"][1][:months]])
    data.add_series(f"B: {d.params.name}", [float(v) for v in d.mc.bands["cumulative_pv_revenue_loss"][1][:months]])
    chart = _chart(slide, XL_CHART_TYPE.LINE, data)
    _colour_series(chart, [SLATE, RED], line=True)
    _note(slide, f"Each scenario's median cumulative revenue lost, {d.params.currency}, present value. The title's "
                 f"difference is draw by draw on the same draws.")


def _assumptions_slide(prs: Presentation, d: Report, top: int = 12) -> None:
    slide = _slide(prs, "Key assumptions and sources")
    p = d.params
    names = [r.parameter for r in d.tornado][:top] or ["bad_visit_rate", "churn_silent", "tell_unhappy"]
    _say(slide, "The assumptions that move the loss most, with the value used, the range drawn and how each is "
                "known: published (a study, with its place), or an assumption (with its reason).")
    table = slide.shapes.add_table(len(names) + 1, 5, Inches(0.6), Inches(1.4), Inches(12.1),
                                   Inches(0.4) * (len(names) + 1)).table
    widths = (Inches(2.8), Inches(1.2), Inches(1.6), Inches(1.2), Inches(5.3))
    for i, width in enumerate(widths):
        table.columns[i].width = Emu(int(width))
    for col, text in enumerate(("Assumption", "Value", "Range", "Grade", "Source")):
        table.cell(0, col).text = text
    for row, name in enumerate(names, start=1):
        spec = SPECS[name]
        low, high = p.value_range(name)
        unit = spec.unit.replace("currency", p.currency)
        cells = (f"{spec.label} ({unit})", setting_value(spec.unit, getattr(p, name)),
                 f"{setting_value(spec.unit, low)} – {setting_value(spec.unit, high)}" if low < high else "known",
                 p.grades.get(name, "assumption"), p.sources.get(name, ""))
        for col, text in enumerate(cells):
            table.cell(row, col).text = text
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(10)


def _method_slide(prs: Presentation, d: Report) -> None:
    slide = _slide(prs, "How the numbers are made")
    _say(slide, "For questions on method: the model, its uncertainty and where its figures come from.")
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
        "Every value has a source and a grade; the equations, sources and grades are in the dashboard's "
        "Method & sources tab.",
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
    _fix_slide(prs, d)
    _ladder_slide(prs, d)
    _bridge_slide(prs, d)
    _channels_slide(prs, d)
    if d.tornado:
        _tornado_slide(prs, d)
    if pinned is not None:
        _compare_slide(prs, d, pinned)
    _assumptions_slide(prs, d)
    _method_slide(prs, d)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()

"""A 16:9 PowerPoint deck of a scenario, with native (editable) charts.

Slides: title; what not fixing costs over time (the mean curve in its P10–P90 band); whether the fix pays
(net present value, payback, chance); which fix first (the menu ranked, ``deck_menu``); the cost of one shrug;
from the folk arithmetic to the model, step by
step; where the loss comes from; what matters most (conditional means, centred on the mean loss); A vs B on
paired draws when a scenario is pinned; an appendix with the key assumptions (grades, sources) and the method.

Every figure a slide, a note or a chart shows as the value of a quantity is its mean over the Monte Carlo
draws (``report.mc.value``), with the P10–P90 of the same draws beside it (docs/methodology.md, section 5b):
so one quantity is one number on every slide, and a decomposition adds up to its whole. The verdict follows
the sign of the mean NPV (``mc.fix_pays``): a fix that does not pay never has a payback month.

Content slides have action titles with their figure and speaker notes saying what to say; money reads as people say
it (``€1.69 M``). Text never relies on auto-fit, which PowerPoint and LibreOffice do differently: text boxes wrap,
and font sizes (a table's row heights) come from the text and Calibri's advance widths, so it fits its box. Every
word follows the reader's language (``i18n``; ``with i18n.use("fi"): build_deck(...)`` makes it in Finnish, numbers
and the date written the Finnish way); the charts' numbers read the same on any machine.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Collection, Iterable

from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE, XL_TICK_LABEL_POSITION
from pptx.presentation import Presentation as Deck  # what pptx.Presentation() opens
from pptx.util import Emu, Inches, Pt

from ..model.engine.uncertainty import PairedDifference
from ..model.explain.analyses import CHANNEL_LABELS
from ..model.explain.report import Report
from ..model.inputs.catalogue import SPECS
from .deck_charts import (
    BLUE,
    BODY,
    FULL,
    GREY,
    HEIGHT,
    LEFT,
    LOWER,
    RED,
    SLATE,
    WIDTH,
    describe_charts,
    money_format,
    native_chart,
    number_labels,
    titled_slide,
)
from .deck_menu import menu_slide
from .formatting import day, money, month, people, setting_value, share
from .i18n import say, t
from .i18n import source as cited
from .tables import grade_word, unit_words
from .textfit import INSET, LINE
from .textfit import lines as _lines
from .textfit import text_box as _text
from .wording import fix_changes, over_horizon


def _cash(d: Report, value: float) -> str:
    """Money as people say it on a slide: ``€2.23 M``."""
    return money(value, d.params.currency, compact=True)


def _costs(d: Report) -> str:
    """What the fix costs, as people say it: ``€3,000 once and €600 a month``."""
    once, monthly = d.params.fix_cost_once, d.params.fix_cost_per_month
    costs = ([t("{amount} once", amount=_cash(d, once))] if once else []) + (
        [t("{amount} a month", amount=_cash(d, monthly))] if monthly else [])
    return t(" and ").join(costs) or t("nothing")


def _month_labels(months: Iterable[int]) -> list[str]:
    """A chart's months as its categories: ``M1``, ``M2``, …"""
    return [t("M{n}", n=m) for m in months]


def _date(value: dt.date) -> str:
    """The title slide's date: ``23 November 2026``; in Finnish ``23.11.2026``."""
    return day(value, long=True)


def _waterfall(slide, d: Report, labels: list[str], bases: list[float], bars: list[float], name: str,
               falls: Collection[int] = frozenset()) -> None:
    """A native waterfall: stacked columns on an invisible base, red bars (blue where ``falls``), values shown."""
    number_format = money_format(d.params.currency, [b + v for b, v in zip(bases, bars)])
    chart = native_chart(slide, XL_CHART_TYPE.COLUMN_STACKED, labels, {t("base"): bases, name: bars}, number_format,
                   [None, RED], legend=False)
    chart.plots[0].gap_width = 60
    series = chart.plots[0].series[1]
    for i in sorted(falls):
        point = series.points[i]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = BLUE
    series.data_labels.show_value = True
    number_labels(series.data_labels, number_format)


def _fix_verdict(d: Report) -> tuple[str, str]:
    """What the fix is worth (``is worth €587 k net over 3 years``) and if it pays back (``it pays back in …``),
    from its mean net present value: a fix whose mean NPV is not positive loses money and has no payback month."""
    mc = d.mc
    npv, payback = mc.value("npv_fix"), mc.payback_month
    worth = (t("is worth {amount} net {over}", amount=_cash(d, npv), over=over_horizon(d.params)) if mc.fix_pays else
             t("loses {amount} net {over}", amount=_cash(d, -npv), over=over_horizon(d.params)))
    paid = (t("it pays back in month {n}", n=f"{payback:.0f}") if mc.fix_pays and payback is not None else
            t("it does not pay back"))
    return worth, paid


def _break_even(d: Report) -> str:
    """The most the fix could cost a month and still pay (its mean NPV zero), or that no monthly cost lets it pay."""
    cost = d.mc.break_even_cost_per_month
    if cost > 0:
        return t("The most it could cost a month and still pay: {break_even}.", break_even=_cash(d, cost))
    return t("No monthly cost lets it pay: its one-off cost alone is more than the profit it brings back.")


def _title_slide(prs: Deck, d: Report, today: dt.date) -> None:
    p, mc = d.params, d.mc
    (low, high), (worth, paid) = mc.band("pv_revenue_loss"), _fix_verdict(d)
    _text(prs.slides.add_slide(prs.slide_layouts[6]), (Inches(0.8), Inches(1.2), Inches(11.7), Inches(5.4)), [
        (t("Cost of a Shrug"), 40, True, SLATE),
        (say(p.name), 28, False, SLATE),
        (t("Not fixing it costs {amount} of revenue {over} (present value)",
           amount=_cash(d, mc.value("pv_revenue_loss")), over=over_horizon(d.params)), 26, True, RED),
        (t("Likely range {p10} to {p90} (8 draws in 10); profit lost {profit}", p10=_cash(d, low),
           p90=_cash(d, high), profit=_cash(d, mc.value("pv_profit_loss"))), 20, False, SLATE),
        (t("The fix ({changes}; costs {costs}) {worth}; {paid}. It pays off in {chance} of draws.",
           changes=fix_changes(p), costs=_costs(d), worth=worth, paid=paid,
           chance=share(d.mc.chance_fix_pays_off, 0)), 20, False, SLATE),
        (t("{date} · means of {draws} Monte Carlo draws · seed {seed} · unrounded figures in the Excel export",
           date=_date(today), draws=people(d.mc.draws), seed=d.mc.seed), 12, False, GREY),
    ], space=14)


def _cumulative_slide(prs: Deck, d: Report) -> None:
    mc, key = d.mc, "cumulative_pv_revenue_loss"
    amount, (low, high) = _cash(d, mc.value("pv_revenue_loss")), mc.band("pv_revenue_loss")
    slide = titled_slide(prs, t("Not fixing it costs {amount} of revenue {over}", amount=amount,
                          over=over_horizon(d.params)),
                   t("Cumulative revenue lost by not fixing the service, in present value, month by month. The red "
                     "line is the mean of {draws} draws and ends at {amount}; 8 in 10 draws end between the grey "
                     "lines, {p10} and {p90}. Say: the loss builds up as lost customers are not replaced and stories "
                     "spread; it does not stop at the horizon.", draws=people(mc.draws), amount=amount,
                     p10=_cash(d, low), p90=_cash(d, high)),
                   t("Present value, {currency}. The red line is the mean of the draws; 8 draws in 10 end between the "
                     "P10 and P90 lines.", currency=d.params.currency))
    lines = {"P10": mc.bands[key][0], t("Mean of the draws"): mc.means[key], "P90": mc.bands[key][2]}
    native_chart(slide, XL_CHART_TYPE.LINE, _month_labels(mc.months), lines,
                 money_format(d.params.currency, [v for line in lines.values() for v in line]), [GREY, RED, GREY])


def _channels_slide(prs: Deck, d: Report) -> None:
    total, top = sum(d.channels.values()), max(CHANNEL_LABELS, key=lambda k: d.channels[k])
    part = share(d.channels[top] / total if total else 0.0, 0)
    channel = say(CHANNEL_LABELS[top]).split(" (")[0]
    whole, draws = _cash(d, d.mc.value("pv_revenue_loss")), people(d.mc.draws)  # the parts add up to it
    slide = titled_slide(prs, t("{channel} is {share} of the loss", channel=channel, share=part),
                   t("Where the loss comes from, as the mean of {draws} draws: each channel's Shapley share, its "
                     "average extra loss over every order of switching the channels on, so the parts add up to the "
                     "total ({total}). Say: this is where to act first.", draws=draws, total=whole),
                   t("Present value, {currency}, mean of {draws} draws. Shapley split: the parts add up to the total, "
                     "{total}.", currency=d.params.currency, draws=draws, total=whole))
    number_format = money_format(d.params.currency, list(d.channels.values()))
    chart = native_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, [say(label) for label in CHANNEL_LABELS.values()], {
        t("Revenue lost (present value)"): [d.channels[k] for k in CHANNEL_LABELS]}, number_format, [RED], legend=False)
    chart.plots[0].has_data_labels = True
    number_labels(chart.plots[0].data_labels, number_format)
    chart.category_axis.reverse_order = True
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # clear of a negative bar


def _ladder_slide(prs: Deck, d: Report) -> None:
    rungs = d.ladder.rungs
    slide = titled_slide(prs, t("One shrug costs {total}; {own} of it is the customer himself",
                          total=_cash(d, rungs[-1].value), own=_cash(d, rungs[0].value)),
                   t("The cost of one shrugged-off complaint in a good business, rung by rung: he leaves, the people "
                     "he tells stay away, the people they tell, his review. Each bar is what that rung adds, in "
                     "present value of revenue. Say: this is the story's 'thousands of euros' in the model's own "
                     "terms; the next slide shows that he is not the only one."),
                   t("Present value of revenue, {currency}, mean of the draws. Beside it: this scenario loses {loss}; "
                     "the folk arithmetic would make it {folk}.", currency=d.params.currency,
                     loss=_cash(d, d.mc.value("pv_revenue_loss")), folk=_cash(d, d.story.folk)))
    _waterfall(slide, d, [say(r.label) for r in rungs] + [t("One shrug in all")],
               [r.value - r.increment for r in rungs] + [0.0], [r.increment for r in rungs] + [rungs[-1].value],
               t("Added by this rung"))


def _tornado_slide(prs: Deck, d: Report, top: int = 10) -> None:
    rows, base = list(d.tornado)[:top], d.mc.value("pv_revenue_loss")
    ends = sorted((rows[0].loss_at_low, rows[0].loss_at_high))
    slide = titled_slide(prs, t("{setting} moves the loss most: {low} to {high}", setting=say(rows[0].label),
                          low=_cash(d, ends[0]), high=_cash(d, ends[1])),
                   t("What matters most, from the same {draws} draws: for each assumption, the mean revenue lost when "
                     "it is in its lowest fifth of the draws (blue) and when it is in its highest fifth (red), as the "
                     "change from the mean over all the draws ({base}); the other assumptions vary as they do in the "
                     "draws. Say: the longest bars are the assumptions worth checking first.",
                     draws=people(d.mc.draws), base=_cash(d, base)),
                   t("Present value, {currency}: mean revenue lost when an assumption is in its lowest or highest "
                     "fifth of the draws, less the mean over all the draws, {base}.", currency=d.params.currency,
                     base=_cash(d, base)))
    lows, highs = [r.loss_at_low - base for r in rows], [r.loss_at_high - base for r in rows]
    series = {t("Assumption in its lowest fifth of the draws"): lows,
              t("Assumption in its highest fifth of the draws"): highs}
    chart = native_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, [say(r.label) for r in rows], series,
                         money_format(d.params.currency, lows + highs, signed=True), [BLUE, RED])
    chart.plots[0].overlap, chart.plots[0].gap_width = 100, 40
    chart.category_axis.reverse_order = True
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW


def _fix_slide(prs: Deck, d: Report) -> None:
    """Whether the fix pays: its mean net present value (profit brought back − cost, both means over the draws),
    P10–P90, payback month read off the mean curve, chance and break-even; the chart is the two mean curves."""
    mc, chance = d.mc, share(d.mc.chance_fix_pays_off, 0)
    npv, (low, high) = mc.value("npv_fix"), mc.band("npv_fix")
    (worth, paid), draws = _fix_verdict(d), people(mc.draws)
    fix = t("The fix: {changes}; it costs {costs}.", changes=fix_changes(d.params), costs=_costs(d))
    slide = titled_slide(prs, t("Fixing it {worth}; {paid}", worth=worth, paid=paid),
                   t("{fix} The red line is the profit it brings back, the grey line what it costs, both cumulative, "
                     "discounted and the mean of {draws} draws; from the month red stays above grey, it has paid for "
                     "itself. Its net present value is {npv}, the {gain} of profit it brings back minus the {cost} it "
                     "costs ({p10} to {p90} in 8 draws out of 10), and it pays off in {chance} of the draws. "
                     "{break_even} Say: the fix {worth}; {paid}; it pays off in {chance} of draws.", fix=fix,
                     draws=draws, npv=_cash(d, npv), gain=_cash(d, mc.value("pv_profit_loss")),
                     cost=_cash(d, mc.value("pv_fix_cost")), p10=_cash(d, low), p90=_cash(d, high), chance=chance,
                     break_even=_break_even(d), worth=worth, paid=paid),
                   t("Cumulative present value, {currency}, mean of {draws} draws; the net present value's range and "
                     "the chance over the same draws. {fix}", currency=d.params.currency, draws=draws, fix=fix))
    _text(slide, (LEFT, Inches(1.38), FULL, Inches(0.5)), [(
        t("Net present value {npv} (8 draws in 10: {p10} to {p90})  ·  payback {month}  ·  pays off in {chance} of "
          "{draws} draws", npv=_cash(d, npv), p10=_cash(d, low), p90=_cash(d, high),
          month=month(mc.payback_month if mc.fix_pays else None), chance=chance, draws=draws), 18, True, RED)])
    lines = {t("Profit brought back"): mc.means["cumulative_pv_profit_gain"],
             t("Cost of the fix"): mc.means["cumulative_pv_fix_cost"]}
    native_chart(slide, XL_CHART_TYPE.LINE, _month_labels(mc.months), lines,
                 money_format(d.params.currency, [v for line in lines.values() for v in line]), [RED, GREY], box=LOWER)


def _bridge_slide(prs: Deck, d: Report) -> None:
    """From the folk arithmetic to the model: the one folk figure (``Story.folk``), then each step labelled
    by what it changes, to the headline's mean loss; the notes name the two largest corrections."""
    steps = d.bridge  # means over the draws: the first is the folk figure, the last the headline's mean loss
    folk, model = _cash(d, d.story.folk), _cash(d, d.mc.value("pv_revenue_loss"))
    largest = sorted(steps[1:], key=lambda s: abs(s.change), reverse=True)[:2]
    biggest = t(" and ").join(_lower_first(say(s.label)) for s in largest)  # their sizes are on the bars
    slide = titled_slide(prs, t("The folk arithmetic says {folk}; the model says {model}", folk=folk, model=model),
                   t("He is not the only one, but the folk arithmetic (his spend over the horizon, times himself and "
                     "everyone he tells, times every complaint shrugged off) overstates the loss. Each bar changes one "
                     "thing, in this order: what one shrug really costs (his own loss, then his friends and his "
                     "review), how many unhappy customers there really are (silent ones included), the real churn "
                     "mix, who tells, the timing within the horizon, overlap, saturation and replacement, and, where "
                     "the fix leaves some bad visits, the fix being partial. The bars add up; each figure is the mean "
                     "of the draws. The largest corrections here: {biggest}. Say: the folk arithmetic gives {folk}; "
                     "the model gives {model}.", folk=folk, model=model, biggest=biggest),
                   t("Present value, {currency}, mean of the draws. Blue steps take off, red steps add.",
                     currency=d.params.currency))
    running = [s.value for s in steps]
    _waterfall(slide, d, [say(s.label) for s in steps] + [t("The model")],
               [0.0] + [min(a, b) for a, b in zip(running, running[1:])] + [0.0],
               [running[0]] + [abs(s.change) for s in steps[1:]] + [running[-1]], t("Revenue lost (present value)"),
               falls={i for i, s in enumerate(steps) if i and s.change < 0})


def _lower_first(label: str) -> str:
    """A step's label inside a sentence: ``The real churn mix`` → ``the real churn mix``."""
    return label[:1].lower() + label[1:]


def _compare_slide(prs: Deck, d: Report, a: Report, paired: PairedDifference) -> None:
    """A vs B from one paired run: A's and B's mean loss and B − A (mean, P10–P90) on the same draws, so the
    figures reconcile; the lines are each scenario's mean cumulative loss."""
    diff = paired.difference["pv_revenue_loss"]
    if diff.mean < 0:
        finding = t("B loses {amount} less than A, in {share} of draws", amount=_cash(d, -diff.mean),
                    share=share(paired.chance_b_loses_less, 0))
    else:
        finding = t("B loses {amount} more than A, in {share} of draws", amount=_cash(d, diff.mean),
                    share=share(1 - paired.chance_b_loses_less, 0))
    slide = titled_slide(prs, finding,
                   t("A: {a}. B: {b}. Both on the same {draws} draws, so the difference is draw by draw: on average A "
                     "loses {loss_a} and B {loss_b}, so B − A is {difference} ({p10} to {p90} in 8 draws out of 10). "
                     "The lines are each scenario's mean cumulative loss. Say: {finding}.", a=say(a.params.name),
                     b=say(d.params.name), draws=people(d.mc.draws), loss_a=_cash(d, paired.a["pv_revenue_loss"]),
                     loss_b=_cash(d, paired.b["pv_revenue_loss"]), difference=_cash(d, diff.mean),
                     p10=_cash(d, diff.p10), p90=_cash(d, diff.p90), finding=finding),
                   t("Each scenario's mean cumulative revenue lost, present value, {currency}. The title's difference "
                     "is draw by draw on the same draws.", currency=d.params.currency))
    # Both lines from the paired run (B's draws, seed and horizon), so each ends at its figure in the notes.
    months = d.mc.months[:len(paired.curves["b"])]
    lines = {f"A: {say(a.params.name)}": paired.curves["a"], f"B: {say(d.params.name)}": paired.curves["b"]}
    native_chart(slide, XL_CHART_TYPE.LINE, _month_labels(months), lines,
                 money_format(d.params.currency, [v for line in lines.values() for v in line]), [SLATE, RED])


def _assumptions_slide(prs: Deck, d: Report, top: int = 10) -> None:
    """The assumptions that move the loss most (the tornado's) with grades and sources, in a table whose font
    size and row heights come from its text so that it fits; at 9 pt the longest sources are shortened there
    (a little at a time, at a word, with "…") and given in full in the notes."""
    p, rows = d.params, [(t("Assumption"), t("Value"), t("Range"), t("Grade"), t("Source"))]
    for name in [r.parameter for r in d.tornado][:top] or ["bad_visit_rate", "churn_silent", "tell_unhappy"]:
        spec, (low, high) = SPECS[name], p.value_range(name)
        rows.append((f"{say(spec.label)} ({unit_words(spec.unit, p.currency)})",
                     setting_value(spec.unit, getattr(p, name)),
                     f"{setting_value(spec.unit, low)} – {setting_value(spec.unit, high)}" if low < high
                     else t("known"),
                     grade_word(p.grades.get(name, "assumption")), cited(p.sources.get(name, ""))))
    widths, room = (Inches(2.6), Inches(0.9), Inches(1.4), Inches(1.1), Inches(6.1)), (7.35 - 1.45) * 72

    def heights(size: float) -> list[float]:
        return [max(_lines(text, size, w / 12_700) for text, w in zip(row, widths)) * LINE * size + INSET / 2 + 1
                for row in shown]

    shown = list(rows)
    size = next((s for s in (12, 11, 10) if sum(heights(s)) <= room), 9)
    while sum(heights(size)) > room and max(len(row[4]) for row in shown) >= 60:
        i = max(range(1, len(shown)), key=lambda k: len(shown[k][4]))
        source = shown[i][4]
        shown[i] = shown[i][:4] + (source[:int(len(source) * 0.85)].rsplit(" ", 1)[0].rstrip(" ,;:(") + " …",)
    cut = "".join(f"\n{full[0]}: {full[4]}" for row, full in zip(shown, rows) if row[4] != full[4])
    shortened = t("Sources shortened on the slide, in full:")
    slide = titled_slide(prs, t("Appendix: key assumptions, grades and sources"),
                   t("The assumptions that move the loss most, with the value used, the range drawn and how each is "
                     "known: published (a study, with its place), or an assumption (with its reason). Say: every "
                     "figure in this deck comes from these, and each can be changed in the dashboard.")
                   + (f"\n{shortened}{cut}" if cut else ""))
    table = slide.shapes.add_table(len(shown), 5, LEFT, Inches(1.45), FULL, Pt(sum(heights(size)))).table
    for i, width in enumerate(widths):
        table.columns[i].width = Emu(int(width))
    for r, (row, height) in enumerate(zip(shown, heights(size))):
        table.rows[r].height = Pt(height)
        for c, text in enumerate(row):
            table.cell(r, c).text = text
            table.cell(r, c).text_frame.paragraphs[0].font.size = Pt(size)

def _method_slide(prs: Deck, d: Report) -> None:
    slide = titled_slide(prs, t("Appendix: how the numbers are made"),
                   t("For questions on method: the model, its uncertainty and where its figures come from. Say: the "
                     "loss is what the business earns with the fix minus what it earns as it is, with every "
                     "assumption drawn from a range, so each figure comes with its likely range."))
    bullets = [
        t("Loss = revenue of the business with the fix minus revenue as it is, month by month, discounted to "
          "present value; both start from today's business as it is.") if d.params.baseline == "today" else
        t("Loss = revenue with the fix minus revenue of this scenario, both from a flawless business that starts "
          "shrugging, month by month, discounted to present value."),
        t("Each month some visits go badly; unhappy customers may complain, and complaints may be resolved."),
        t("Unhappy customers may leave (service churn), tell people who then leave or never come (word of mouth, "
          "retold month after month), and write reviews that lower the rating prospects read."),
        t("Delighted and well-recovered customers tell good stories; bad service forfeits that upside too."),
        t("Hearing is counted with Poisson probabilities, so nobody is counted twice and the market saturates."),
        t("Uncertainty: {draws} Monte Carlo draws from PERT ranges around every assumption; each figure is the mean "
          "of the draws, shown with its P10–P90.",
          draws=people(d.mc.draws)),
        t("Every value has a source and a grade; the equations, sources and grades are in the dashboard's Method & "
          "sources tab."),
    ]
    _text(slide, BODY, [("• " + text, 18, False, None) for text in bullets], space=10)


def build_deck(d: Report, pinned: Report | None = None, today: dt.date | None = None,
               paired: PairedDifference | None = None) -> bytes:
    """The deck of scenario ``d`` (B; its parts computed as the slides need them), beside ``pinned`` (A, on an
    "A vs B" slide) if given, dated ``today`` (default: today): a 16:9 PowerPoint file with native, editable
    charts, as bytes. With ``pinned``, ``paired`` is the page's paired run: the deck computes none of its own."""
    if pinned is not None and (paired is None or not paired.curves):
        raise ValueError("an A vs B deck needs the paired run it shows: paired_difference(A, B)")
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    _title_slide(prs, d, today or dt.date.today())
    for make in (_cumulative_slide, _fix_slide, menu_slide, _ladder_slide, _bridge_slide, _channels_slide):
        make(prs, d)
    if d.tornado:
        _tornado_slide(prs, d)
    if pinned is not None and paired is not None:  # (checked above: a pinned scenario comes with its run)
        _compare_slide(prs, d, pinned, paired)
    _assumptions_slide(prs, d)
    _method_slide(prs, d)
    describe_charts(prs)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def error_deck(reason: str) -> bytes:
    """A one-slide deck that says why the deck could not be made, so that a download always
    arrives with an answer instead of silently failing."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    slide = titled_slide(prs, t("The deck could not be made"), t("Say: the slides could not be made from this scenario."))
    _text(slide, BODY, [(" ".join(say(reason).split())[:600], 20, False, None),
                        (t("Try again, or export the data (Excel) and the scenario file, and report this message "
                           "with the scenario file."), 16, False, GREY)], space=12)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()

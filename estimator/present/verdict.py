"""The decision in words: whether the fix pays, how sure that is, and what moves it most.

The "Fix it?" tab and the one-page brief say the same sentences from the same numbers (the means of the
draws, §16), so both read them from here.
"""

from __future__ import annotations

from ..model.explain.report import Report
from .formatting import money, people, share
from .i18n import say, t
from .wording import horizon_words


def answer(report: Report) -> tuple[str, str]:
    """The decision in one sentence, with its figure, and the sentence that says how sure it is."""
    params, mc = report.params, report.mc
    npv, (low, high) = mc.value("npv_fix"), mc.band("npv_fix")
    span = horizon_words(params)

    def cash(v: float) -> str:
        return money(v, params.currency, compact=True)

    if not params.fix and not params.chosen:
        return (t("No fix is planned yet."), t("Choose below what the fix changes, and what it costs."))
    break_even = mc.break_even_cost_per_month
    if mc.fix_pays:  # the sign of the mean NPV; the payback month is read off the same mean curve
        headline = t(
            "Fixing it is worth {value} over {span} and pays back in month {month}.",
            value=cash(npv),
            span=span,
            month=mc.payback_month,
        )
    elif break_even > 0:
        headline = t(
            "At these costs the fix does not pay: it loses {loss} over {span}. It would pay at up to {cost} a month.",
            loss=cash(-npv),
            span=span,
            cost=cash(break_even),
        )
    else:
        headline = t(
            "At these costs the fix does not pay: it loses {loss} over {span}, and its one-off cost alone is "
            "more than the profit it brings back.",
            loss=cash(-npv),
            span=span,
        )
    sure = t(
        "It pays off in {share} of {draws} draws of the uncertain assumptions; 8 in 10 net present values fall "
        "between {low} and {high}. Figures are means of the draws.",
        share=share(mc.chance_fix_pays_off, 0),
        draws=people(mc.draws),
        low=cash(low),
        high=cash(high),
    )
    return headline, sure


def npv_drivers_sentence(report: Report, top: int = 3) -> str:
    """What moves the fix's net present value most: the mean NPV over the draws where each of the top
    assumptions is in its lowest and in its highest fifth (the margin and the costs show here, where
    the revenue lost does not move with them)."""
    rows = report.tornado_npv[:top]
    if not rows:
        return ""
    cur = report.params.currency

    def cash(v: float) -> str:
        return money(v, cur, compact=True)

    parts = [
        t("{setting} ({low} to {high})", setting=say(r.label), low=cash(r.loss_at_low), high=cash(r.loss_at_high))
        for r in rows
    ]
    return t(
        "What moves the net present value most, from its lowest fifth of the draws to its highest: {parts}.",
        parts="; ".join(parts),
    )

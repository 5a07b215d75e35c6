"""Cards: the six headline figures above the tabs, and the decision's figures on the fix tab.

A card is a label, the period it covers, a value, a band line and a note line, with its help
as a tooltip. The grid follows the width of the main column, not of the window (a container
query), so the sidebar being open or closed cannot squeeze a figure into "€1.7…".
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import streamlit as st

from ..model.report import Report
from ..model.runs import HEADLINE_LABELS
from ..present.formatting import money, month, people, share, stars
from ..present.i18n import say, t
from ..present.wording import fix_changes, fix_costs, horizon_words, period_label

#: The cards' look. Six in a row where the main column is wide enough (1,200 px: a 1920-wide
#: window), three in a row below that (1280 to 1600 px windows with the sidebar open),
#: two on a phone. Values never wrap or shrink into an ellipsis; the band and note are one line
#: each from 1280 x 720 up, and at most two on a 390 px phone (the browser tests check both).
CARD_CSS = """<style>
.shrug-cards-box{container-type:inline-size;margin:0.25rem 0 0.5rem}
.shrug-cards{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:0.6rem}
@container (min-width:1200px){.shrug-cards.six{grid-template-columns:repeat(6,minmax(0,1fr))}}
.shrug-card{position:relative;border:1px solid rgba(49,51,63,0.2);border-radius:0.5rem;padding:0.6rem 0.75rem 0.55rem}
.shrug-card-label{font-size:0.875rem;display:flex;align-items:center;gap:0.35rem;white-space:nowrap}
.shrug-card-period{color:#5b6670;font-size:0.75rem;margin-left:auto}
.shrug-card-help{display:inline-flex;align-items:center;justify-content:center;flex:none;width:0.95rem;height:0.95rem;
  border:1px solid #6b7680;border-radius:50%;font-size:0.65rem;color:#5b6670;cursor:help}
.shrug-card-value{font-size:1.9rem;line-height:1.25;white-space:nowrap;font-variant-numeric:tabular-nums}
.shrug-card-band,.shrug-card-note{font-size:0.78rem;color:#4f5a63;line-height:1.35;white-space:nowrap}
.shrug-card-tip{visibility:hidden;opacity:0;position:absolute;z-index:20;left:0;top:2.1rem;width:max(100%,17rem);
  background:#1F2A33;color:#fff;padding:0.55rem 0.7rem;border-radius:0.4rem;font-size:0.82rem;line-height:1.4;
  white-space:normal;transition:opacity 0.12s}
.shrug-card:nth-child(3n) .shrug-card-tip{left:auto;right:0}
.shrug-card-help:hover+.shrug-card-tip,.shrug-card-help:focus+.shrug-card-tip{visibility:visible;opacity:1}
@container (max-width:560px){.shrug-cards{grid-template-columns:repeat(2,minmax(0,1fr))}
  .shrug-card-band,.shrug-card-note{white-space:normal}.shrug-card-value{font-size:1.6rem}}
@media print{.shrug-card-help,.shrug-card-tip{display:none}}
</style>"""


@dataclass(frozen=True)
class Card:
    """One card: what it is, the period it covers, the figure, its band, a note, and its help."""

    label: str
    period: str
    value: str
    band: str
    note: str
    help: str


def cards_html(cards: list[Card], name: str) -> str:
    """Cards as one HTML element: the browser redraws the page once per element a run sends,
    and six metrics with their captions and columns were 20 elements (about 100 ms of every
    slider move here). Every text is escaped: labels quote settings the user chose."""
    def one(c: Card) -> str:
        label, period, value, band, note, help_text = (html.escape(text) for text in
                                                        (c.label, c.period, c.value, c.band, c.note, c.help))
        about = t("About {label}", label=label)
        return (f'<div class="shrug-card" data-label="{label}"><div class="shrug-card-label">{label}'
                f'<span class="shrug-card-help" tabindex="0" role="img" aria-label="{about}">?</span>'
                f'<span class="shrug-card-tip" role="tooltip">{help_text}</span>'
                f'<span class="shrug-card-period">{period}</span></div>'
                f'<div class="shrug-card-value">{value}</div><div class="shrug-card-band">{band}</div>'
                f'<div class="shrug-card-note">{note}</div></div>')

    return (CARD_CSS + f'<div class="shrug-cards-box"><div class="shrug-cards six" data-cards="{html.escape(name)}">'
            + "".join(one(c) for c in cards) + "</div></div>")


def _band(report: Report, key: str, fmt) -> str:
    summary = report.mc.headline[key]
    return _range(fmt(summary.p10), fmt(summary.p90))


def _range(low: str, high: str) -> str:
    """A card's band line: ``P10–P90 €1.2 M – €2.3 M``."""
    return t("P10–P90 {low} – {high}", low=low, high=high)


def _payback(value: float | None) -> str:
    """A payback month on a card: ``month 7``, or ``never`` when not within the horizon."""
    return month(value) if value is not None and math.isfinite(value) else t("never")


def headline_cards(report: Report) -> None:
    """The six headline cards of a scenario (Monte Carlo medians with their P10–P90)."""
    params, mc = report.params, report.mc
    h = mc.headline
    span = horizon_words(params)
    period = period_label(params)

    def cash(v: float) -> str:
        return money(v, params.currency, compact=True)

    start = (t("starting from today's business") if params.baseline == "today"
             else t("starting from a flawless business"))
    draws = t("Median (P50) of {draws} draws; 8 in 10 draws fall in the P10–P90 range.", draws=people(mc.draws))
    horizon = params.horizon_months
    chance = share(mc.chance_fix_pays_off, 0)
    cards = [
        Card(t("Revenue lost"), period, cash(h["pv_revenue_loss"].p50), _band(report, "pv_revenue_loss", cash),
             t("if nothing is fixed"),
             t("What not fixing the service costs: present value over {span} of the revenue with the fix minus "
               "the revenue as it is ({start}). The fix: {fix}. {draws}", span=span, start=start,
               fix=fix_changes(params), draws=draws)),
        Card(t("Profit lost"), period, cash(h["pv_profit_loss"].p50), _band(report, "pv_profit_loss", cash),
             t("at a {margin} gross margin", margin=share(params.gross_margin, 0)),
             t("Revenue lost times the gross margin, present value over {span}, before the cost of the fix. {draws}",
               span=span, draws=draws)),
        Card(t("Customers lost"), period, people(h["customers_lost"].p50), _band(report, "customers_lost", people),
             t("by the end of month {n}", n=horizon),
             t("Customers at the end of the {span} with the fix minus customers as it is. {draws}",
               span=span, draws=draws)),
        Card(say(HEADLINE_LABELS["rating_at_horizon"][0]), period, stars(h["rating_at_horizon"].p50),
             t("with the fix {rating}", rating=stars(h["rating_at_horizon_counterfactual"].p50)),
             t("in month {n}", n=horizon),
             t("Recency-weighted online rating at the end of the horizon (median), as it is and with the fix.")),
        Card(t("Unhappy customer"), period, cash(h["cost_per_unhappy_customer"].p50),
             t("lost per unhappy customer"), t("{n} unhappy a year", n=people(h["unhappy_per_year"].p50)),
             t("Revenue lost over {span} divided by the customers with at least one bad visit in a year "
               "(customers present all year).", span=span)),
        Card(t("Fixing it pays"), period, cash(h["npv_fix"].p50), _band(report, "npv_fix", cash),
             t("pays off in {share} of draws", share=chance),
             t("Net present value of the fix over {span}: the profit it brings back minus what it costs "
               "({costs}). It pays off where that is positive; the share counts the draws where it is.",
               span=span, costs=fix_costs(params))),
    ]
    st.html(cards_html(cards, "headline"))


def decision_cards(report: Report) -> None:
    """The fix tab's cards: what the fix brings back, what it costs, its NPV, payback, break-even."""
    params, mc, det = report.params, report.mc, report.det
    h = mc.headline
    span = horizon_words(params)
    period = period_label(params)

    def cash(v: float) -> str:
        return money(v, params.currency, compact=True)

    payback = h["payback_month"]
    chance = share(mc.chance_fix_pays_off, 0)
    cards = [
        Card(t("Profit brought back"), period, cash(h["pv_profit_loss"].p50), _band(report, "pv_profit_loss", cash),
             t("present value, before costs"),
             t("The profit the fix brings back over {span} (present value): revenue with the fix minus revenue "
               "as it is, times the gross margin. Median of the draws.", span=span)),
        Card(t("Cost of the fix"), period, cash(h["pv_fix_cost"].p50), fix_costs(params, compact=True),
             t("present value"),
             t("The one-off cost, paid at the start, plus the monthly cost, paid at the end of each month and "
               "discounted.")),
        Card(t("Net present value"), period, cash(h["npv_fix"].p50), _band(report, "npv_fix", cash),
             t("pays off in {share} of draws", share=chance),
             t("Profit brought back minus the cost of the fix, both in present value. The share counts the draws "
               "where it is positive.")),
        Card(t("Pays back"), period, _payback(det.payback_month),
             _range(_payback(payback.p10), _payback(payback.p90)), t("at the most likely values"),
             t("The first month in which the profit brought back so far covers what the fix has cost so far "
               "(present values, the most likely values). The range is over the draws; 'never' means not within "
               "the horizon.")),
        Card(t("Break-even cost"), t("a month"), cash(h["break_even_cost_per_month"].p50),
             _band(report, "break_even_cost_per_month", cash), t("the most it may cost a month"),
             t("The largest monthly cost at which the fix still pays off over {span}, with its one-off cost as "
               "set. Median of the draws.", span=span)),
        Card(t("Chance it pays off"), period, chance, t("of {draws} draws", draws=people(mc.draws)),
             t("where its NPV is above zero"),
             t("The share of the Monte Carlo draws in which the fix's net present value is positive: how sure one "
               "can be, given the ranges of the assumptions, that fixing it pays.")),
    ]
    st.html(cards_html(cards, "decision"))

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

from ..model.engine.runs import HEADLINE_LABELS
from ..model.explain.report import Report
from ..present.formatting import money, month, people, share, stars
from ..present.i18n import say, t
from ..present.wording import fix_changes, fix_costs, horizon_words, period_label
from .state import session

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


def cards_html(cards: list[Card], name: str, scenario: str = "") -> str:
    """Cards as one HTML element: the browser redraws the page once per element a run sends,
    and six metrics with their captions and columns were 20 elements (about 100 ms of every
    slider move here). Every text is escaped: labels quote settings the user chose. ``scenario``
    (the footer's fingerprint) marks which scenario the cards show, for tests and the speed bench
    (a card's text alone may read the same for two scenarios)."""

    def one(c: Card) -> str:
        label, period, value, band, note, help_text = (
            html.escape(text) for text in (c.label, c.period, c.value, c.band, c.note, c.help)
        )
        about = t("About {label}", label=label)
        return (
            f'<div class="shrug-card" data-label="{label}"><div class="shrug-card-label">{label}'
            f'<span class="shrug-card-help" tabindex="0" role="img" aria-label="{about}">?</span>'
            f'<span class="shrug-card-tip" role="tooltip">{help_text}</span>'
            f'<span class="shrug-card-period">{period}</span></div>'
            f'<div class="shrug-card-value">{value}</div><div class="shrug-card-band">{band}</div>'
            f'<div class="shrug-card-note">{note}</div></div>'
        )

    return (
        CARD_CSS + f'<div class="shrug-cards-box"><div class="shrug-cards six" data-cards="{html.escape(name)}" '
        f'data-scenario="{html.escape(scenario)}">' + "".join(one(c) for c in cards) + "</div></div>"
    )


def _band(report: Report, key: str, fmt) -> str:
    band = report.mc.band(key)
    return _range(fmt(band[0]), fmt(band[1])) if band is not None else ""


def _range(low: str, high: str) -> str:
    """A card's band line: ``P10–P90 €1.2 M – €2.3 M``."""
    return t("P10–P90 {low} – {high}", low=low, high=high)


def _payback(value: float | None) -> str:
    """A payback month on a card: ``month 7``, or ``never`` when not within the horizon."""
    return month(value) if value is not None and math.isfinite(value) else t("never")


def headline_cards(report: Report) -> None:
    """The six headline cards of a scenario (means over the draws, with their P10–P90)."""
    params, mc = report.params, report.mc
    value = mc.value
    span = horizon_words(params)
    period = period_label(params)

    def cash(v: float) -> str:
        return money(v, params.currency, compact=True)

    start = (
        t("starting from today's business") if params.baseline == "today" else t("starting from a flawless business")
    )
    draws = t("Mean of {draws} draws; 8 in 10 draws fall in the P10–P90 range.", draws=people(mc.draws))
    horizon = params.horizon_months
    chance = share(mc.chance_fix_pays_off, 0)
    cards = [
        Card(
            t("Revenue lost"),
            period,
            cash(value("pv_revenue_loss")),
            _band(report, "pv_revenue_loss", cash),
            t("if nothing is fixed"),
            t(
                "What not fixing the service costs: present value over {span} of the revenue with the fix minus "
                "the revenue as it is ({start}). The fix: {fix}. {draws}",
                span=span,
                start=start,
                fix=fix_changes(params),
                draws=draws,
            ),
        ),
        Card(
            t("Profit lost"),
            period,
            cash(value("pv_profit_loss")),
            _band(report, "pv_profit_loss", cash),
            t("at a {margin} incremental margin", margin=share(params.gross_margin, 0)),
            t(
                "Revenue lost times the incremental margin, present value over {span}, before the cost of the fix. "
                "{draws}",
                span=span,
                draws=draws,
            ),
        ),
        Card(
            t("Customers lost"),
            period,
            people(value("customers_lost")),
            _band(report, "customers_lost", people),
            t("by the end of month {n}", n=horizon),
            t(
                "Customers at the end of the {span} with the fix minus customers as it is. {draws}",
                span=span,
                draws=draws,
            ),
        ),
        Card(
            say(HEADLINE_LABELS["rating_at_horizon"][0]),
            period,
            stars(value("rating_at_horizon")),
            t("with the fix {rating}", rating=stars(value("rating_at_horizon_counterfactual"))),
            t("in month {n}", n=horizon),
            t(
                "Recency-weighted online rating at the end of the horizon (mean of the draws), as it is and with "
                "the fix."
            ),
        ),
        Card(
            t("Unhappy customer"),
            period,
            cash(value("cost_per_unhappy_customer")),
            t("lost per unhappy customer"),
            t("{n} unhappy a year", n=people(value("unhappy_per_year"))),
            t(
                "Revenue lost over {span} divided by the customers with at least one bad visit in a year "
                "(customers present all year).",
                span=span,
            ),
        ),
        Card(
            t("Net value of the fix"),
            period,
            cash(value("npv_fix")),
            _band(report, "npv_fix", cash),
            t("pays off in {share} of draws", share=chance),
            t(
                "Net present value of the fix over {span}: the profit it brings back minus what it costs "
                "({costs}), mean of the draws. It pays where that is positive; the share counts the draws where "
                "it is.",
                span=span,
                costs=fix_costs(params),
            ),
        ),
    ]
    st.html(cards_html(cards, "headline", session.fingerprint))


def decision_cards(report: Report) -> None:
    """The fix tab's cards: what the fix brings back, what it costs, its NPV, payback, break-even."""
    params, mc = report.params, report.mc
    value = mc.value
    span = horizon_words(params)
    period = period_label(params)

    def cash(v: float) -> str:
        return money(v, params.currency, compact=True)

    payback_band = mc.band("payback_month")
    break_even = value("break_even_cost_per_month")
    chance = share(mc.chance_fix_pays_off, 0)
    cards = [
        Card(
            t("Profit brought back"),
            period,
            cash(value("pv_profit_loss")),
            _band(report, "pv_profit_loss", cash),
            t("present value, before costs"),
            t(
                "The profit the fix brings back over {span} (present value): revenue with the fix minus revenue "
                "as it is, times the incremental margin. Mean of the draws.",
                span=span,
            ),
        ),
        Card(
            t("Cost of the fix"),
            period,
            cash(value("pv_fix_cost")),
            fix_costs(params, compact=True),
            t("present value"),
            t(
                "The one-off cost, paid at the start, plus the monthly cost, paid at the end of each month and "
                "discounted."
            ),
        ),
        Card(
            t("Net present value"),
            period,
            cash(value("npv_fix")),
            _band(report, "npv_fix", cash),
            t("pays off in {share} of draws", share=chance),
            t(
                "Profit brought back minus the cost of the fix, both in present value and the mean of the draws. "
                "The share counts the draws where it is positive."
            ),
        ),
        Card(
            t("Pays back"),
            period,
            _payback(mc.payback_month),
            _range(_payback(payback_band[0]), _payback(payback_band[1])) if payback_band else "",
            t("on the mean of the draws") if mc.payback_month is not None else t("not within the horizon"),
            t(
                "The first month from which the profit brought back so far stays above what the fix has cost so "
                "far (present values, mean of the draws). The range is over the draws; 'never' means not within "
                "the horizon."
            ),
        ),
        Card(
            t("Break-even cost"),
            t("a month"),
            cash(break_even) if break_even > 0 else t("none"),
            _band(report, "break_even_cost_per_month", cash),
            t("the most it may cost a month") if break_even > 0 else t("its one-off cost alone is too high"),
            t(
                "The monthly cost at which the fix's mean net present value over {span} is zero, with its one-off "
                "cost as set. 'None': even at no monthly cost the one-off cost is more than the profit it brings "
                "back.",
                span=span,
            ),
        ),
        Card(
            t("Chance it pays off"),
            period,
            chance,
            t("of {draws} draws", draws=people(mc.draws)),
            t("where its NPV is above zero"),
            t(
                "The share of the Monte Carlo draws in which the fix's net present value is positive: how sure one "
                "can be, given the ranges of the assumptions, that fixing it pays."
            ),
        ),
    ]
    st.html(cards_html(cards, "decision"))

"""The headline cards: six figures above the tabs, each with its band and a tooltip."""

from __future__ import annotations

import html

import streamlit as st

from ..model.report import Report
from ..present.formatting import money, people, share, stars
from ..present.wording import fix_changes, fix_costs

#: The headline cards' look: six in a row (three, then two, on narrow screens), each with its help
#: as a tooltip on hover or keyboard focus.
CARD_CSS = """<style>
.shrug-cards{display:grid;grid-template-columns:repeat(6,minmax(0,1fr));gap:0.75rem;margin:0.25rem 0 0.5rem}
@media (max-width:1200px){.shrug-cards{grid-template-columns:repeat(3,minmax(0,1fr))}}
@media (max-width:640px){.shrug-cards{grid-template-columns:repeat(2,minmax(0,1fr))}}
.shrug-card{position:relative;border:1px solid rgba(49,51,63,0.2);border-radius:0.5rem;padding:0.8rem 0.9rem 0.7rem}
.shrug-card-label{font-size:0.875rem;display:flex;align-items:center;gap:0.35rem}
.shrug-card-help{display:inline-flex;align-items:center;justify-content:center;width:0.95rem;height:0.95rem;
  border:1px solid #6b7680;border-radius:50%;font-size:0.65rem;color:#6b7680;cursor:help}
.shrug-card-value{font-size:2.1rem;line-height:1.3;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.shrug-card-band{font-size:0.8rem;color:#5b6670;line-height:1.35}
.shrug-card-tip{visibility:hidden;opacity:0;position:absolute;z-index:20;left:0;top:2.1rem;width:max(100%,17rem);
  background:#1F2A33;color:#fff;padding:0.55rem 0.7rem;border-radius:0.4rem;font-size:0.82rem;line-height:1.4;
  transition:opacity 0.12s}
.shrug-card:nth-child(n+4) .shrug-card-tip{left:auto;right:0}
.shrug-card-help:hover+.shrug-card-tip,.shrug-card-help:focus+.shrug-card-tip{visibility:visible;opacity:1}
</style>"""


def cards_html(cards: list[tuple[str, str, str, str]]) -> str:
    """The headline cards, (label, value, band, help) each, as one HTML element: the browser
    redraws the page once per element a run sends, and six metrics with their captions and
    columns were 20 elements (about 100 ms of every slider move here)."""
    def card(label: str, value: str, band: str, help_text: str) -> str:
        label, value, band, help_text = (html.escape(text) for text in (label, value, band, help_text))
        return (f'<div class="shrug-card" data-label="{label}"><div class="shrug-card-label">{label}'
                f'<span class="shrug-card-help" tabindex="0" role="img" aria-label="About {label}">?</span>'
                f'<span class="shrug-card-tip" role="tooltip">{help_text}</span></div>'
                f'<div class="shrug-card-value">{value}</div><div class="shrug-card-band">{band}</div></div>')

    return CARD_CSS + '<div class="shrug-cards">' + "".join(card(*c) for c in cards) + "</div>"


def headline_cards(report: Report) -> None:
    """The six headline cards of a scenario (Monte Carlo medians with their P10–P90)."""
    params, mc = report.params, report.mc
    cur = params.currency
    h = mc.headline
    years = params.horizon_months / 12
    span = f"{years:g} year{'s' if years != 1 else ''}"

    def band(key: str, fmt) -> str:
        return f"P10–P90: {fmt(h[key].p10)} – {fmt(h[key].p90)}"

    def cash(v: float) -> str:
        return money(v, cur, compact=True)

    start = ("starting from today's business" if params.baseline == "today"
             else "starting from a flawless business")

    cards = [
        ("Revenue lost", cash(h["pv_revenue_loss"].p50), band("pv_revenue_loss", cash),
         f"What not fixing the service costs: present value over {span} of the revenue with the fix minus "
         f"the revenue as it is ({start}). The fix: {fix_changes(params)}. Median (P50) of {mc.draws:,} "
         f"draws; 8 in 10 draws fall in the P10–P90 range."),
        ("Profit lost", cash(h["pv_profit_loss"].p50), band("pv_profit_loss", cash),
         "Revenue lost times the gross margin (present value), before the cost of the fix."),
        ("Customers lost", people(h["customers_lost"].p50), band("customers_lost", people),
         f"Customers at the end of the {span} with the fix minus customers as it is."),
        ("Rating at horizon", stars(h['rating_at_horizon'].p50),
         f"With the fix: {stars(h['rating_at_horizon_counterfactual'].p50)}",
         "Recency-weighted online rating at the end of the horizon (P50), as it is and with the fix."),
        ("Unhappy customer", cash(h["cost_per_unhappy_customer"].p50),
         f"{people(h['unhappy_per_year'].p50)} unhappy customers a year",
         "Cost per unhappy customer: revenue lost divided by the customers with at least one bad visit in "
         "a year (customers present all year), over the horizon."),
        ("Fixing it pays", cash(h["npv_fix"].p50),
         f"Pays off in {share(mc.chance_fix_pays_off, 0)} of draws · P10–P90: {cash(h['npv_fix'].p10)} – "
         f"{cash(h['npv_fix'].p90)}",
         f"Net present value of the fix over {span}: profit it brings back minus what it costs "
         f"({fix_costs(params)}). It pays off where that is positive; the share counts the draws where it is."),
    ]
    st.html(cards_html(cards))



"""The compare tab: up to three pinned scenarios (A, B, C) beside the one on the page, on the same draws.

The scenario on the page takes the letter after the last pinned one (B beside A; D beside A, B and C). All of
them run on the same paired draws (``estimator.model.engine.compare_many``: common random numbers), so each one's
mean, and the page's difference to each pinned one draw by draw (its mean, P10–P90 and the chance the page's
scenario loses less), come from one run: the tables, the sentences and the link agree. Negative amounts carry
the minus sign ``formatting.money`` writes ("−"), in every column.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ..model.engine.compare_many import MAX_SCENARIOS, PairedMany, compare_many
from ..model.explain.report import Report
from ..model.inputs.catalogue import SPECS
from ..model.inputs.params import Params
from ..model.scenarios.scenario_files import list_presets
from ..model.scenarios.untrusted import changed_values
from ..present import figures as fig
from ..present.formatting import (
    by_kind,
    escape_markdown,
    escape_plotly,
    listed_setting,
    money,
    people,
    plotly_separators,
    share,
)
from ..present.i18n import DEFAULT, say, t, use
from .compute import preset, preset_titles
from .compute import report as report_of
from .link import pinned_scenarios, set_pinned
from .saved import saved
from .scenario import current_scenario
from .state import session
from .widgets import chart

#: The scenarios' letters: up to three pinned, then the one on the page.
LETTERS = ("A", "B", "C", "D")
#: The means table's width in pixels (what a 1280 px window leaves beside the open sidebar), and its label column's.
TABLE_PX, LABEL_PX = 800, 200
#: The longest scenario name a column header of the means table shows, by the number of scenarios (the full
#: names are in the legend below it and in each header's tooltip), so that every header fits its column.
HEADER_CHARS = {2: 40, 3: 24, 4: 18}
#: Colours of the pinned scenarios (the page's own is the scenario colour of every chart).
PIN_COLOURS = (fig.PINNED, "#E67E22", "#8E44AD")


def rows() -> tuple[tuple[str, str, str], ...]:
    """What the comparison table shows: label (in the reader's language), headline output, kind."""
    return (
        (t("Revenue lost (present value)"), "pv_revenue_loss", "money"),
        (t("Profit lost (present value)"), "pv_profit_loss", "money"),
        (t("Customers lost"), "customers_lost", "people"),
        (t("Rating at horizon"), "rating_at_horizon", "stars"),
        (t("Net value of the fix"), "npv_fix", "money"),
    )


def _number(unit: str, value: float) -> str:
    """A setting's value in the list of differences, as ``listed_setting`` writes it: in English as the
    scenario file holds it (``0.15``), in Finnish the way ``setting_value`` writes it (``15 %``)."""
    return listed_setting(unit, value)


def signed(kind: str, value: float, currency: str) -> str:
    """A difference with its sign, the minus sign "−" as ``formatting.money`` writes it, for every kind:
    ``−€47.3 k``, ``−20``, ``+0.12``; no sign on what rounds to nothing.

    >>> signed("money", -47_300, "EUR"), signed("people", -20.2, "EUR"), signed("stars", 0.123, "EUR")
    ('−€47.3 k', '−20', '+0.12')
    """
    text = by_kind(kind, abs(value), currency, compact=True)
    if not any(ch.isdigit() and ch != "0" for ch in text):
        return text
    return ("−" if value < 0 else "+") + text


def _short(text: str, limit: int) -> str:
    """A name cut to ``limit`` characters at most, with an ellipsis where it was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip(" :,") + "…"


# --- Pinning ---------------------------------------------------------------------------------------------------
# A callback runs before the page run that sets the reader's language, so each one sets it itself.


def pin_current() -> None:
    """Callback: pin the settings on the page as the next scenario (A, B or C)."""
    with use(session.widget(session.LANG) or DEFAULT):
        pins = pinned_scenarios()
        if len(pins) < MAX_SCENARIOS - 1:
            params, _ = current_scenario()
            set_pinned(pins + [(params.model_dump_json(), session.preset)])


#: How the pin picker marks a saved scenario among the presets.
SAVED = "saved: "


def pin_preset() -> None:
    """Callback: pin the chosen preset as the next scenario (A, B or C)."""
    choice, pins = session.widget(session.PIN_CHOICE), pinned_scenarios()
    kept = saved()
    if choice in list_presets() and len(pins) < MAX_SCENARIOS - 1:
        set_pinned(pins + [(preset(choice).model_dump_json(), choice)])
    elif str(choice).removeprefix(SAVED) in kept and len(pins) < MAX_SCENARIOS - 1:  # saved, on the page's preset
        set_pinned(pins + [(kept[str(choice).removeprefix(SAVED)], session.preset)])
    session.set_widget(session.PIN_CHOICE, "–")


def unpin(index: int) -> None:
    """Callback: forget one pinned scenario (the ones after it move up a letter)."""
    pins = pinned_scenarios()
    set_pinned(pins[:index] + pins[index + 1 :])


def _pin_controls(pins: int) -> None:
    """Pin the page's settings or a preset as the next letter; unpin any pinned scenario."""
    free = LETTERS[pins] if pins < MAX_SCENARIOS - 1 else None
    c1, c2, c3 = st.columns([1, 1.2, 1.1])
    with c1:
        label = {
            "A": t("Pin current settings as A"),
            "B": t("Pin current settings as B"),
            "C": t("Pin current settings as C"),
        }.get(free or "", t("Three scenarios are pinned"))
        tip = {
            "A": t("Keep these settings as scenario A, then change the sliders to build B."),
            "B": t("Keep these settings as scenario B, then change the sliders to build C."),
            "C": t("Keep these settings as scenario C, then change the sliders to build D."),
        }.get(free or "", t("Unpin a scenario to pin another: up to three are compared with the one on the page."))
        st.button(label, on_click=pin_current, width="stretch", help=tip, disabled=free is None)
    with c2:
        titles = preset_titles()
        prompt = {
            "A": t("…or pin a preset as A"),
            "B": t("…or pin a preset as B"),
            "C": t("…or pin a preset as C"),
        }.get(free or "", t("…or pin a preset"))
        options = ["–"] + list(titles) + [SAVED + name for name in saved()]
        st.selectbox(
            prompt,
            options,
            key=session.PIN_CHOICE,
            on_change=pin_preset,
            disabled=free is None,
            format_func=lambda n: (
                say(titles[n]) if n in titles else n.removeprefix(SAVED) if n != "–" else t("choose a preset")
            ),
        )
    with c3, st.container(horizontal=True, gap="small"):
        for i, word in enumerate((t("Unpin A"), t("Unpin B"), t("Unpin C"))[:pins]):
            st.button(word, on_click=unpin, args=(i,), width="content", key=f"unpin_{LETTERS[i]}")


# --- What the tab shows ------------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=50, ttl=3600)
def paired_runs(scenarios: tuple[str, ...]) -> PairedMany:
    """The scenarios (Params JSON; the page's last) on the same draws (read-only, shared by every session)."""
    return compare_many([Params.model_validate_json(s) for s in scenarios])


def header(letter: str, name: str) -> str:
    """A scenario's column header: its letter and its name."""
    return {
        "A": t("A: {name}", name=name),
        "B": t("B: {name}", name=name),
        "C": t("C: {name}", name=name),
        "D": t("D: {name}", name=name),
    }[letter]


def means_table(many: PairedMany, names: list[str], currency: str) -> pd.DataFrame:
    """Each scenario's mean of every compared output, side by side (names cut to fit their column)."""
    limit = HEADER_CHARS.get(len(names), 22)
    table = {"": [label for label, _, _ in rows()]}
    for i, name in enumerate(names):
        table[header(LETTERS[i], _short(name, limit))] = [
            by_kind(kind, many.means[i][key], currency, compact=True) for _, key, kind in rows()
        ]
    return pd.DataFrame(table)


def differences_table(many: PairedMany, currency: str) -> pd.DataFrame:
    """The page's scenario minus each pinned one, draw by draw: revenue lost (mean and P10–P90), the chance
    the page's scenario loses less, and the net value of the fix."""
    last = len(many.means) - 1
    me = LETTERS[last]
    out = []
    for i in range(last):
        d = many.difference(i, last)
        loss = d["pv_revenue_loss"]
        out.append(
            {
                "": f"{me} − {LETTERS[i]}",
                t("Revenue lost"): signed("money", loss.mean, currency),
                "P10–P90": t(
                    "{p10} to {p90}", p10=signed("money", loss.p10, currency), p90=signed("money", loss.p90, currency)
                ),
                t("{letter} loses less", letter=me): share(many.chance_loses_less(i, last), 0),
                t("Net value of the fix"): signed("money", d["npv_fix"].mean, currency),
            }
        )
    return pd.DataFrame(out)


def paired_sentence(
    p10: float, mean: float, p90: float, chance_b_less: float, draws: int, currency: str, a: str = "A", b: str = "B"
) -> str:
    """Scenario ``b`` minus ``a`` in words, sign spelled out: which loses more, by how much (the mean of
    the per-draw differences, the table's), and how sure.

    >>> print(paired_sentence(-400e3, -275e3, -90e3, 0.97, 10_000, "EUR"))
    **B loses €275 k less revenue than A** (the mean of B − A over the same 10,000 draws; 8 in 10 differences fall between −€400 k and −€90\\.0 k). B loses less than A in **97%** of draws.
    """

    def cash(value: float) -> str:
        return escape_markdown(money(value, currency, compact=True))

    if mean < 0:
        lead = t("**{b} loses {amount} less revenue than {a}**", a=a, b=b, amount=cash(-mean))
    elif mean > 0:
        lead = t("**{b} loses {amount} more revenue than {a}**", a=a, b=b, amount=cash(mean))
    else:
        lead = t("**{b} and {a} lose the same revenue on average**", a=a, b=b)
    return t(
        "{lead} (the mean of {b} − {a} over the same {draws} draws; 8 in 10 differences fall between {low} "
        "and {high}). {b} loses less than {a} in **{share}** of draws.",
        lead=lead,
        a=a,
        b=b,
        draws=people(draws),
        low=cash(p10),
        high=cash(p90),
        share=share(chance_b_less, 0),
    )


def _figure(data: list[dict], title: str, yaxis: dict) -> go.Figure:
    """A chart in the look of ``figures``: its template, font, legend below, months along the bottom."""
    return go.Figure(
        dict(
            data=data,
            layout=dict(
                template=fig.TEMPLATE,
                title=dict(text=title, x=0.01, xanchor="left"),
                font=fig.FONT,
                height=430,
                margin=dict(l=100, r=30, t=60, b=70),
                hovermode="x unified",
                separators=plotly_separators(),
                legend=dict(orientation="h", yanchor="top", y=-0.2, xanchor="left", x=0),
                xaxis=dict(title=dict(text=t("Month"))),
                yaxis=yaxis,
            ),
        )
    )


def fig_many(reports: list[Report], names: list[str], currency: str) -> tuple[go.Figure, go.Figure]:
    """Three or four scenarios' cumulative revenue lost (each mean in its P10–P90 band) and customers."""
    losses, customers, last = [], [], len(reports) - 1
    for i, (report, name) in enumerate(zip(reports, names)):
        mc, colour = report.mc, fig.SCENARIO if i == last else PIN_COLOURS[i]
        label, group = f"{LETTERS[i]}: {escape_plotly(_short(name, 36))}", dict(legendgroup=LETTERS[i])
        band, mean = mc.bands["cumulative_pv_revenue_loss"], mc.means["cumulative_pv_revenue_loss"]
        rgb = ",".join(str(int(colour[k : k + 2], 16)) for k in (1, 3, 5))
        losses += [
            dict(
                type="scatter", x=mc.months, y=band[2], line=dict(width=0), hoverinfo="skip", showlegend=False, **group
            ),
            dict(
                type="scatter",
                x=mc.months,
                y=band[0],
                line=dict(width=0),
                fill="tonexty",
                fillcolor=f"rgba({rgb},0.12)",
                hoverinfo="skip",
                showlegend=False,
                **group,
            ),
            dict(
                type="scatter",
                x=mc.months,
                y=mean,
                name=label,
                line=dict(color=colour, width=3),
                hovertemplate="%{y:,.0f}<extra></extra>",
                **group,
            ),
        ]
        customers.append(
            dict(
                type="scatter",
                x=mc.state_months,
                y=mc.means["customers"],
                name=label,
                line=dict(color=colour, width=3),
                hovertemplate="%{y:,.0f}<extra></extra>",
            )
        )
    end = LETTERS[last]
    return (
        _figure(
            losses,
            t("Cumulative revenue lost: A to {last} (present value)", last=end),
            dict(**fig.money_axis(currency), rangemode="tozero"),
        ),
        _figure(
            customers, t("Customers: A to {last}", last=end), dict(title=dict(text=t("customers")), tickformat=",.0f")
        ),
    )


def compare_tab(report: Report) -> None:
    """Pin controls, then every scenario side by side: means on the same draws, the page's differences to
    each pinned one, in words, and two charts."""
    pins = pinned_scenarios()
    _pin_controls(len(pins))
    if not pins:
        st.info(
            t(
                "Pin a scenario as A (for example the shrug), then change the sliders or pick another preset "
                "(for example *the clerk apologises and fixes it*) to see B beside it."
            )
        )
        return
    params, cur = report.params, report.params.currency
    reports = [report_of(json) for json, _ in pins] + [report]
    names = [say(r.params.name) for r in reports]
    # Every scenario from the one paired run (the same draws), so the tables and the sentences agree.
    many = paired_runs(tuple(json for json, _ in pins) + (params.model_dump_json(),))
    me, last = LETTERS[len(pins)], len(pins)
    means = means_table(many, names, cur)
    column_px = (TABLE_PX - LABEL_PX) // len(names)  # fixed widths: nothing is pushed off the table's right edge
    st.dataframe(
        means,
        hide_index=True,
        width="stretch",
        column_config={"": st.column_config.TextColumn(width=LABEL_PX)}
        | {
            h: st.column_config.TextColumn(help=escape_markdown(header(LETTERS[i], names[i])), width=column_px)
            for i, h in enumerate(list(means.columns)[1:])
        },
    )
    legend = " · ".join(
        [f"**{LETTERS[i]}**: {escape_markdown(name)}" for i, name in enumerate(names[:-1])]
        + [t("**{letter}** (on the page): {name}", letter=me, name=escape_markdown(names[-1]))]
    )
    means_words = (
        t("Means over the same {draws} draws for A and B.", draws=people(many.draws))
        if last == 1
        else t("Means over the same {draws} draws for every scenario.", draws=people(many.draws))
    )
    st.caption(f"{legend}. {means_words}")
    st.markdown(t("**{letter} minus each pinned scenario**, draw by draw:", letter=me))
    st.dataframe(differences_table(many, cur), hide_index=True, width="stretch")
    for i in range(last):
        loss = many.difference(i, last)["pv_revenue_loss"]
        st.markdown(
            paired_sentence(
                loss.p10, loss.mean, loss.p90, many.chance_loses_less(i, last), many.draws, cur, a=LETTERS[i], b=me
            )
        )
    left, right = st.columns(2)
    if last == 1:  # A and B: the charts the deck shows too
        losses = fig.fig_compare(reports[0].mc, report.mc, names[0], names[1], cur)
        customers = fig.fig_compare_customers(reports[0].mc, report.mc, names[0], names[1])
    else:
        losses, customers = fig_many(reports, names, cur)
    with left:
        chart(losses, "chart_compare")
    with right:
        chart(customers, "chart_compare_customers")
    for i, pinned in enumerate(r.params for r in reports[:-1]):
        changed = changed_values(params, pinned)
        if changed:
            differences = ", ".join(
                f"{say(SPECS[k].label)} {_number(SPECS[k].unit, getattr(pinned, k))} → {_number(SPECS[k].unit, v)}"
                for k, v in changed.items()
            )
            st.caption(t("{b} differs from {a} in: {changes}", a=LETTERS[i], b=me, changes=differences))

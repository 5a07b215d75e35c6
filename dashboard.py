"""Cost of a Shrug: the dashboard.

Lays out the page and calls ``estimator``; it computes no model numbers itself. Every
setting lives in the URL, so a copied link reopens the exact scenario. Bad URL values
are ignored or clamped with a visible note.

Run: ``streamlit run dashboard.py``
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import html
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from estimator import (CATALOGUE, CHANNEL_LABELS, GROUPS, SPECS, MonteCarloResult, Params, ScenarioError,
                       channel_attribution, fix_value, incident_ladder, list_presets, load_preset, monte_carlo,
                       parse_scenario, scenario_to_yaml, simulate, tornado)
from estimator import exports
from estimator.deck import DeckInput, build_deck
from estimator import figures as fig
from estimator.catalogue import ParamSpec, specs_in_group
from estimator.formatting import escape_markdown, money, people
from estimator.untrusted import apply_untrusted, changed_values, format_for_url

ROOT = Path(__file__).resolve().parent
DEFAULT_PRESET = "gas_station"
RECOVERY_TARGET = 0.9
RECOVERY_DRAWS = 2_000  # paired draws for "what recovery is worth" (a saving's P50 settles fast)
WIDGET_PREFIX = "p_"
PRESET_PICKER = "preset_picker"  # widget keys; the chosen preset and group live in "preset" and "group"
GROUP_PICKER = "group_picker"
VALUE_PREFIX = "v_"
GROUP_LABELS = {"Business": "Business", "Service failures & complaints": "Service",
                "Word of mouth": "Word of mouth", "Online reviews": "Reviews", "Simulation": "Simulation"}
MAX_PINNED_URL_CHARS = 2_000
TAB_NAMES = ["The story", "Over time", "Where it comes from", "What matters most", "Compare", "Export",
             "Method & sources"]
#: The chart toolbar keeps what a presenter uses (full screen, PNG download, zoom by dragging, reset);
#: each button is redrawn with the chart on every move, so the rest are left out.
PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2},
                 "modeBarButtonsToRemove": ["pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "select2d", "lasso2d"]}

st.set_page_config(page_title="Cost of a Shrug", layout="wide",
                   initial_sidebar_state="expanded")


# --- Computation (cached on the scenario) ----------------------------------------------------


# Presets and results are immutable and shared read-only between sessions, so they are cached
# as resources (no copy per rerun); only their inputs (preset name, scenario JSON) are keys.


@st.cache_resource(show_spinner=False)
def freeze_startup_objects() -> None:
    """Once per server: move the ~165k objects that exist after start-up (modules, presets)
    out of the garbage collector's reach. Streamlit runs a full collection after every
    script run; over all of them it took about 100 ms here and held up the last messages
    to the browser. Only the few thousand objects made afterwards are traced (about 1 ms)."""
    gc.freeze()


@st.cache_resource(show_spinner=False)
def preset(name: str) -> Params:
    """A preset, loaded once per server."""
    return load_preset(name)


@st.cache_resource(show_spinner=False)
def preset_titles() -> dict[str, str]:
    return {name: preset(name).name for name in list_presets()}


def _monte_carlo_summary(p: Params) -> MonteCarloResult:
    return dataclasses.replace(monte_carlo(p), samples={}, inputs={})  # keep the cache small


#: What the page can show for a scenario, each computed by the estimator on first use.
PARTS = {
    "mc": _monte_carlo_summary,
    "det": simulate,
    "channels": channel_attribution,
    "ladder": incident_ladder,
    "tornado": tornado,
    "recovery": lambda p: fix_value(p, draws=min(int(p.draws), RECOVERY_DRAWS), recovery_rate=RECOVERY_TARGET),
}


@st.cache_resource(show_spinner=False, max_entries=400, ttl=3600)
def _part(name: str, params_json: str) -> Any:
    """One part of the results of one scenario (read-only, shared by every session)."""
    return PARTS[name](Params.model_validate_json(params_json))


class Results(Mapping[str, Any]):
    """The results of one scenario, part by part, computed when a tab first needs them
    (a slider move on the story tab does not wait for the tornado)."""

    def __init__(self, params_json: str) -> None:
        self.params_json = params_json

    def __getitem__(self, name: str) -> Any:
        if name not in PARTS:
            raise KeyError(name)
        return _part(name, self.params_json)

    def __iter__(self) -> Iterator[str]:
        return iter(PARTS)

    def __len__(self) -> int:
        return len(PARTS)


def results(params_json: str) -> Results:
    """Everything the page shows for one scenario (see ``PARTS``)."""
    return Results(params_json)


# --- Scenario state: URL <-> widgets <-> Params ------------------------------------------------


def widget_key(name: str) -> str:
    return WIDGET_PREFIX + name


def value_key(name: str) -> str:
    """Where a setting's value lives. Only one group's widgets are on screen at a time, and
    Streamlit forgets the state of widgets that are not drawn, so values are kept apart."""
    return VALUE_PREFIX + name


def set_widgets(params: Params) -> None:
    """Put a scenario's values into the settings."""
    for spec in CATALOGUE:
        value = getattr(params, spec.name)
        st.session_state[value_key(spec.name)] = int(value) if spec.integer else float(value)


def store_value(name: str) -> None:
    """Widget callback: keep the widget's new value."""
    st.session_state[value_key(name)] = st.session_state[widget_key(name)]


def parse_pinned(text: str) -> tuple[Params | None, list[str]]:
    """Scenario A from its URL form ``preset;name=value;...`` (never raises)."""
    if len(text) > MAX_PINNED_URL_CHARS:
        return None, ["Ignored the pinned scenario in the link: it is too long."]
    head, *pairs = text.split(";")
    if head not in list_presets():
        return None, [f"Ignored the pinned scenario in the link: unknown preset '{head[:24]}'."]
    raw = dict(pair.split("=", 1) for pair in pairs if "=" in pair)
    params, notes = apply_untrusted(preset(head), raw)
    return params.model_copy(update={"name": f"{params.name} (pinned)"}), [f"Pinned scenario: {n}" for n in notes]


def pinned_to_url(preset_name: str, params: Params) -> str:
    pairs = [f"{k}={format_for_url(v)}" for k, v in changed_values(params, preset(preset_name)).items()]
    return ";".join([preset_name, *pairs])


def bootstrap_from_url() -> None:
    """First run of a session: open the scenario the URL describes (with notes for anything bad)."""
    if st.session_state.get("booted"):
        return
    query = st.query_params.to_dict()
    notes: list[str] = []
    name = query.pop("preset", DEFAULT_PRESET)
    if name not in list_presets():
        notes.append(f"Unknown preset '{str(name)[:24]}'; showing the gas station.")
        name = DEFAULT_PRESET
    pinned_text = query.pop("a", None)
    params, more = apply_untrusted(preset(name), query)
    notes += more
    st.session_state["preset"] = name
    st.session_state["group"] = "Service failures & complaints"
    set_widgets(params)
    st.session_state["pinned"] = None
    st.session_state["pinned_preset"] = None
    if pinned_text:
        pinned, more = parse_pinned(pinned_text)
        notes += more
        if pinned is not None:
            st.session_state["pinned"] = pinned.model_dump_json()
            st.session_state["pinned_preset"] = pinned_text.split(";")[0]
    st.session_state["notes"] = notes
    st.session_state["custom_base"] = None
    st.session_state["booted"] = True


def base_params() -> Params:
    """What the settings start from: the preset, or a scenario file the user uploaded."""
    uploaded = st.session_state.get("custom_base")
    return Params.model_validate_json(uploaded) if uploaded else preset(st.session_state["preset"])


def choose_preset() -> None:
    """Callback of the preset picker."""
    st.session_state["preset"] = st.session_state[PRESET_PICKER]
    load_selected_preset()


def choose_group() -> None:
    """Callback of the settings-group picker."""
    st.session_state["group"] = st.session_state[GROUP_PICKER]


def load_selected_preset() -> None:
    """Callback of the reset button (and of the preset picker, via ``choose_preset``)."""
    st.session_state["custom_base"] = None
    set_widgets(preset(st.session_state["preset"]))
    st.session_state["notes"] = []


def load_uploaded_scenario() -> None:
    """Callback of the scenario-file uploader: validate the file, then use it (or say why not)."""
    upload = st.session_state.get("upload")
    if upload is None:
        return
    try:
        params = parse_scenario(upload.getvalue(), origin=upload.name[:60])
    except ScenarioError as exc:
        st.session_state["notes"] = [f"Could not use that file: {exc}"]
        return
    st.session_state["custom_base"] = params.model_dump_json()
    set_widgets(params)
    st.session_state["notes"] = []
    st.session_state["loaded"] = f"Loaded '{params.name}' from {upload.name[:60]}."


def scenario_from_widgets() -> tuple[Params, list[str]]:
    base = base_params()
    raw = {spec.name: st.session_state[value_key(spec.name)] for spec in CATALOGUE}
    params, notes = apply_untrusted(base, raw)
    if changed_values(params, base):
        params = params.model_copy(update={"name": f"{base.name} (adjusted)"})
    return params, notes


def write_url(params: Params) -> None:
    """Keep the address bar equal to the scenario (preset + changed values + pinned A)."""
    name = st.session_state["preset"]
    wanted = {"preset": name}
    wanted.update({k: format_for_url(v) for k, v in changed_values(params, preset(name)).items()})
    if st.session_state.get("pinned"):
        pinned = Params.model_validate_json(st.session_state["pinned"])
        wanted["a"] = pinned_to_url(st.session_state["pinned_preset"], pinned)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


# --- Sidebar --------------------------------------------------------------------------------------


def _is_share(spec: ParamSpec) -> bool:
    """Shares and probabilities are shown as percentages."""
    return spec.lower == 0 and spec.upper <= 1


def slider_for(spec: ParamSpec, preset_params: Params, currency: str) -> None:
    """One slider (or number box) generated from the catalogue entry."""
    key = widget_key(spec.name)
    preset_value = getattr(preset_params, spec.name)
    unit = spec.unit.replace("currency", currency)
    source = escape_markdown(preset_params.sources.get(spec.name, ""))
    rng = preset_params.ranges.get(spec.name)
    preset_text = f"{preset_value:g}" + (f" (range {rng[0]:g} – {rng[1]:g})" if rng else "")
    help_text = f"{spec.help}  \n**Unit:** {unit}.  \n**Preset value:** {preset_text}." + (
        f"  \n**Source:** {source}" if source else "")
    label = f"{spec.label} ({unit})" if unit else spec.label
    current = st.session_state[value_key(spec.name)]
    st.session_state[key] = current
    common = dict(key=key, help=help_text, on_change=store_value, args=(spec.name,))
    if spec.name in ("draws", "seed"):
        st.number_input(label, min_value=int(spec.lower), max_value=int(spec.upper), step=int(spec.step), **common)
    elif spec.integer:
        top = int(max(spec.slider_upper, current, preset_value))
        st.slider(label, int(spec.lower), top, step=int(spec.step), **common)
    else:
        top = float(max(spec.slider_upper, current, preset_value))
        fmt = "percent" if _is_share(spec) else "%g"
        st.slider(label, float(spec.lower), top, step=float(spec.step), format=fmt, **common)


def sidebar() -> None:
    titles = preset_titles()
    with st.sidebar:
        st.header("Scenario")
        # The pickers start at the scenario's own preset and group (``index``), not at the first option: a
        # browser that mounts a picker late reports its starting option as a choice, which must change nothing.
        st.selectbox("Preset", list(titles), index=list(titles).index(st.session_state["preset"]),
                     format_func=titles.get, key=PRESET_PICKER, on_change=choose_preset,
                     help="Start from a documented case; every value and its source is in the Method tab.")
        base = base_params()
        if st.session_state.get("custom_base"):
            st.caption(f"Starting from the uploaded file '{escape_markdown(base.name)}'.")
        changed = [s.label for s in CATALOGUE
                   if float(st.session_state[value_key(s.name)]) != float(getattr(base, s.name))]
        st.button("Reset to preset", on_click=load_selected_preset, width="stretch", disabled=not changed,
                  help="Put every setting back to the preset's value.")
        if changed:
            st.caption(f"Changed from the preset ({len(changed)}): " + ", ".join(changed))
        st.radio("Settings", GROUPS, index=GROUPS.index(st.session_state["group"]), key=GROUP_PICKER,
                 on_change=choose_group, horizontal=True, format_func=GROUP_LABELS.get,
                 help="Choose which group of assumptions to adjust.")
        for spec in specs_in_group(st.session_state["group"]):
            slider_for(spec, base, base.currency)


# --- Main area ----------------------------------------------------------------------------------


def chart(figure, key: str) -> None:
    """Show a figure as it is built (``theme=None``: our explicit template, so the screen
    matches the exported images, and the browser redraws about 100 ms faster), stamped
    with the scenario's fingerprint so tests and the UI bench can see it is current."""
    figure.layout.meta = st.session_state.get("fingerprint", "")
    st.plotly_chart(figure, key=key, config=PLOTLY_CONFIG, theme=None)


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


def headline_cards(params: Params, res: Mapping[str, Any]) -> None:
    mc, cur = res["mc"], params.currency
    h = mc.headline
    years = params.horizon_months / 12
    span = f"{years:g} year{'s' if years != 1 else ''}"

    def band(key: str, fmt) -> str:
        return f"P10–P90: {fmt(h[key].p10)} – {fmt(h[key].p90)}"

    def cash(v: float) -> str:
        return money(v, cur, compact=True)

    cards = [
        ("Revenue lost", cash(h["pv_revenue_loss"].p50), band("pv_revenue_loss", cash),
         f"Present value over {span} of the revenue with flawless service minus the revenue of this "
         f"scenario. Median (P50) of {mc.draws:,} draws; 8 in 10 draws fall in the P10–P90 range."),
        ("Profit lost", cash(h["pv_profit_loss"].p50), band("pv_profit_loss", cash),
         "Revenue lost times the gross margin (present value)."),
        ("Customers lost", people(h["customers_lost"].p50), band("customers_lost", people),
         f"Customers at the end of the {span} with flawless service minus customers in this scenario."),
        ("Rating at horizon", f"{h['rating_at_horizon'].p50:.2f} ★",
         f"Flawless service: {h['rating_at_horizon_counterfactual'].p50:.2f} ★",
         "Recency-weighted online rating at the end of the horizon (P50)."),
        ("Unhappy customer", cash(h["cost_per_unhappy_customer"].p50),
         f"{people(h['unhappy_per_year'].p50)} unhappy customers a year",
         "Cost per unhappy customer: revenue lost divided by the number of unhappy customers over the horizon."),
        ("Recovery is worth", cash(res["recovery"]["pv_revenue_loss"].p50),
         f"P10–P90: {cash(res['recovery']['pv_revenue_loss'].p10)} – {cash(res['recovery']['pv_revenue_loss'].p90)}",
         f"Revenue lost in this scenario minus revenue lost if {RECOVERY_TARGET:.0%} of complaints were "
         f"resolved ({min(int(params.draws), RECOVERY_DRAWS):,} paired draws, the same for both). Recovery "
         f"only reaches customers who complain: raise the complaint rate to see more."),
    ]
    st.html(cards_html(cards))


def story_tab(params: Params, res: Mapping[str, Any]) -> None:
    ladder, cur = res["ladder"], params.currency
    left, right = st.columns(2)
    with left:
        chart(fig.fig_ladder(ladder, cur), "chart_ladder")
    with right:
        chart(fig.fig_folk(ladder, cur), "chart_folk")
    r = ladder.rungs
    folk = ladder.folk
    st.markdown("\n".join([
        f"- **One shrug.** A customer's complaint is shrugged off. He stops coming with probability "
        f"{params.churn_unresolved:.0%}: that alone costs **{money(r[0].value, cur)}**.",
        f"- **His friends.** He tells {params.tell_unhappy:g} people; some customers among them leave and some "
        f"prospects stay away: **+{money(r[1].increment, cur)}**.",
        f"- **Their friends.** Each hearer passes it on with probability {params.retell_prob:.0%}: "
        f"**+{money(r[2].increment, cur)}**. His review adds **+{money(r[3].increment, cur)}**. "
        f"One shrug costs **{money(r[3].value, cur)}** in all.",
        f"- **He is not the only one.** This scenario has {people(ladder.unrecovered_customers)} unhappy customers "
        f"who are not helped over {params.horizon_months} months. Multiplying naively would give "
        f"{money(ladder.naive_total, cur)}; the model says **{money(ladder.scenario_loss, cur)}**, because the "
        f"same people hear many stories and lost customers are partly replaced.",
        f"- **The folk arithmetic** (everyone he tells is a customer and stays away, nobody is replaced): "
        f"{money(folk[0].value, cur)} → {money(folk[1].value, cur)} → {money(folk[2].value, cur)}.",
    ]))


def over_time_tab(params: Params, res: Mapping[str, Any]) -> None:
    mc, cur = res["mc"], params.currency
    left, right = st.columns(2)
    with left:
        chart(fig.fig_cumulative_loss(mc, cur), "chart_cumulative")
        chart(fig.fig_customers(mc), "chart_customers")
    with right:
        chart(fig.fig_monthly_loss(mc, cur), "chart_monthly")
        chart(fig.fig_rating(mc), "chart_rating")
    st.caption("Shaded bands: P10–P90 of the Monte Carlo draws; lines: median (loss) or mean (customers, rating). "
               "The cumulative curve is in present value and ends at the headline; monthly losses are undiscounted.")


def channels_tab(params: Params, res: Mapping[str, Any]) -> None:
    parts, cur = res["channels"], params.currency
    chart(fig.fig_channels(parts, cur), "chart_channels")
    total = sum(parts.values())
    table = pd.DataFrame({"Channel": [CHANNEL_LABELS[k] for k in CHANNEL_LABELS],
                          f"Revenue lost ({cur}, present value)": [round(parts[k]) for k in CHANNEL_LABELS],
                          "Share": [f"{parts[k] / total:.1%}" if total else "–" for k in CHANNEL_LABELS]})
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption("Each channel's share is its Shapley value: its average extra loss over every order of switching "
               "the channels on, so the parts add up exactly to the total. Lost upside is what remains with all three "
               "channels off: fewer delighted customers, fewer good stories. At the most likely values.")


def tornado_tab(params: Params, res: Mapping[str, Any]) -> None:
    rows = res["tornado"]
    if not rows:
        st.info("This scenario has no uncertain parameters (no ranges), so there is nothing to rank.")
        return
    chart(fig.fig_tornado(rows, res["det"].pv_revenue_loss, params.currency), "chart_tornado")
    st.caption("Each bar: revenue lost with one parameter at the low (blue) or high (red) end of its range and "
               "everything else at its most likely value. The longest bars are the assumptions worth checking first.")


def pin_current() -> None:
    """Callback: keep the current settings as scenario A."""
    params, _ = scenario_from_widgets()
    st.session_state["pinned"] = params.model_dump_json()
    st.session_state["pinned_preset"] = st.session_state["preset"]


def pin_preset() -> None:
    """Callback: keep the chosen preset as scenario A."""
    choice = st.session_state["pin_choice"]
    if choice in list_presets():
        st.session_state["pinned"] = preset(choice).model_dump_json()
        st.session_state["pinned_preset"] = choice
    st.session_state["pin_choice"] = "–"


def unpin() -> None:
    st.session_state["pinned"] = None


def compare_tab(params: Params, res: Mapping[str, Any]) -> None:
    cur = params.currency
    c1, c2, c3 = st.columns([1, 1.3, 1])
    with c1:
        st.button("Pin current settings as A", on_click=pin_current, width="stretch",
                  help="Keep these settings as scenario A, then change the sliders to build B.")
    with c2:
        titles = preset_titles()
        st.selectbox("…or pin a preset as A", ["–"] + list(titles), key="pin_choice", on_change=pin_preset,
                     format_func=lambda n: titles.get(n, "choose a preset"))
    with c3:
        if st.session_state.get("pinned"):
            st.button("Unpin A", on_click=unpin, width="stretch")
    if not st.session_state.get("pinned"):
        st.info("Pin a scenario as A (for example the shrug), then change the sliders or pick another preset "
                "(for example *the clerk apologises and fixes it*) to see B beside it.")
        return
    a_params = Params.model_validate_json(st.session_state["pinned"])
    a = results(st.session_state["pinned"])
    rows = [("Revenue lost (PV, P50)", "pv_revenue_loss", "money"), ("Profit lost (PV, P50)", "pv_profit_loss", "money"),
            ("Customers lost (P50)", "customers_lost", "people"), ("Rating at horizon (P50)", "rating_at_horizon", "stars"),
            ("Cost per unhappy customer (P50)", "cost_per_unhappy_customer", "money")]

    def show(kind: str, v: float) -> str:
        return money(v, cur) if kind == "money" else f"{v:.2f}" if kind == "stars" else people(v)

    table = pd.DataFrame({
        "": [label for label, _, _ in rows],
        f"A: {a_params.name}": [show(k, a["mc"].headline[key].p50) for _, key, k in rows],
        f"B: {params.name}": [show(k, res["mc"].headline[key].p50) for _, key, k in rows],
        "B − A": [show(k, res["mc"].headline[key].p50 - a["mc"].headline[key].p50) for _, key, k in rows],
    })
    st.dataframe(table, hide_index=True, width="stretch")
    left, right = st.columns(2)
    with left:
        chart(fig.fig_compare(a["mc"], res["mc"], a_params.name, params.name, cur), "chart_compare")
    with right:
        chart(fig.fig_compare_customers(a["mc"], res["mc"], a_params.name, params.name), "chart_compare_customers")
    changed = changed_values(params, a_params)
    if changed:
        st.caption("B differs from A in: " + ", ".join(f"{SPECS[k].label} {getattr(a_params, k):g} → {v:g}"
                                                       for k, v in changed.items()))


def _slug(text: str) -> str:
    """A safe file-name stem from a title."""
    return "_".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())[:60] or "scenario"


def chart_figures(params: Params, res: Mapping[str, Any]) -> dict[str, Any]:
    """Builders of every chart, by the name shown in the export picker (built only on demand)."""
    mc, cur = res["mc"], params.currency
    return {
        "Cumulative revenue lost": lambda: fig.fig_cumulative_loss(mc, cur),
        "Revenue lost each month": lambda: fig.fig_monthly_loss(mc, cur),
        "Customers vs flawless service": lambda: fig.fig_customers(mc),
        "Rating vs flawless service": lambda: fig.fig_rating(mc),
        "Where the loss comes from": lambda: fig.fig_channels(res["channels"], cur),
        "The cost of one shrug": lambda: fig.fig_ladder(res["ladder"], cur),
        "Folk arithmetic vs the model": lambda: fig.fig_folk(res["ladder"], cur),
        "What matters most": lambda: fig.fig_tornado(res["tornado"], res["det"].pv_revenue_loss, cur),
    }


def export_tab(params: Params, res: Mapping[str, Any]) -> None:
    stem = _slug(params.name)
    pinned = st.session_state.get("pinned")

    def deck() -> bytes:
        a = None
        if pinned:
            a_params = Params.model_validate_json(pinned)
            a = (a_params, results(pinned)["mc"])
        return build_deck(DeckInput(params, res["mc"], res["channels"], res["ladder"], res["tornado"], a))

    data_tables = {"Headline": exports.headline_table(res["det"], res["mc"]),
                   "Monthly": exports.monthly_table(res["det"], res["mc"])}
    left, right = st.columns(2)
    with left:
        st.subheader("Slides and data")
        st.download_button("Slides (PowerPoint, 16:9, editable charts)", data=deck, file_name=f"{stem}.pptx",
                           mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                           width="stretch", help="Title, loss over time, channels, one shrug, tornado"
                           + (", A vs B" if pinned else "") + ", assumptions with sources, method.", on_click="ignore")
        st.download_button("Data (Excel: headline and monthly series)", data=lambda: exports.xlsx_bytes(data_tables),
                           file_name=f"{stem}.xlsx", width="stretch",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
        # The CSV files take milliseconds, so they are made with the page (a file made on click is lost
        # if the click lands while the page is still being redrawn).
        st.download_button("Monthly series (CSV)", data=exports.csv_bytes(data_tables["Monthly"]),
                           file_name=f"{stem}_monthly.csv", mime="text/csv", width="stretch", on_click="ignore")
        st.download_button("Headline table (CSV)", data=exports.csv_bytes(data_tables["Headline"]),
                           file_name=f"{stem}_headline.csv", mime="text/csv", width="stretch", on_click="ignore")
        st.subheader("Chart images")
        charts = chart_figures(params, res)
        name = st.selectbox("Chart", list(charts), key="export_chart")
        if exports.chromium_available():
            c1, c2 = st.columns(2)
            c1.download_button("PNG (1600 × 900)", data=lambda: exports.figure_image(charts[name](), "png"),
                               file_name=f"{stem}_{_slug(name)}.png", mime="image/png",
                               width="stretch", on_click="ignore")
            c2.download_button("SVG (vector)", data=lambda: exports.figure_image(charts[name](), "svg"),
                               file_name=f"{stem}_{_slug(name)}.svg", mime="image/svg+xml",
                               width="stretch", on_click="ignore")
        else:
            st.info("Image export needs Chromium on the server (apt-get install chromium). "
                    "The slides and data exports work without it.")
    with right:
        st.subheader("Scenario file")
        st.download_button("Download these settings (YAML)", data=scenario_to_yaml(params), file_name=f"{stem}.yaml",
                           mime="application/x-yaml", width="stretch",
                           help="Same format as the presets: values, ranges and sources. Upload it later to "
                                "continue, or send it to a colleague.", on_click="ignore")
        st.file_uploader("Open a scenario file", type=["yaml", "yml"], key="upload", on_change=load_uploaded_scenario,
                         help="A file downloaded here or written in the preset format (at most 256 KB).")
        st.caption("A copied link holds every setting on top of its preset. To share an uploaded file's own "
                   "ranges and sources exactly, share the file.")


def method_tab(params: Params, res: Mapping[str, Any]) -> None:
    st.markdown((ROOT / "docs" / "methodology.md").read_text(encoding="utf-8").split("## References")[0])
    rows = []
    for spec in CATALOGUE:
        rng = params.ranges.get(spec.name)
        rows.append({"Group": spec.group, "Parameter": spec.label, "Name": spec.name, "Symbol": spec.symbol,
                     "Unit": spec.unit.replace("currency", params.currency), "Allowed": spec.describe_range(),
                     "This scenario": f"{getattr(params, spec.name):g}",
                     "Range (P0–P100)": f"{rng[0]:g} – {rng[1]:g}" if rng else "certain",
                     "Source": params.sources.get(spec.name, "")})
    st.subheader("Parameters and sources")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def main() -> None:
    freeze_startup_objects()
    bootstrap_from_url()
    sidebar()
    params, notes = scenario_from_widgets()

    st.title("Cost of a Shrug")
    st.markdown(f"**{escape_markdown(params.name)}** — {escape_markdown(params.description)}")
    for note in st.session_state.get("notes", []) + notes:  # notes quote user input: shown inert
        st.warning(escape_markdown(note), icon="⚠️")
    st.session_state["notes"] = []
    if st.session_state.get("loaded"):
        st.success(escape_markdown(st.session_state.pop("loaded")))

    started = time.perf_counter()
    params_json = params.model_dump_json()
    st.session_state["fingerprint"] = hashlib.sha1(params_json.encode()).hexdigest()[:8]
    res = results(params_json)
    # The cards sit above the tabs but are filled last: the open tab goes to the browser first, so
    # its charts are drawn while the Monte Carlo runs (the story tab needs only the deterministic
    # ladder), and the cards' "recovery is worth" run waits until every chart is on its way.
    cards = st.container()
    # Lazy tabs: only the open tab's charts are built on each rerun.
    tabs = st.tabs(TAB_NAMES, key="tab", on_change="rerun")
    for tab, render in zip(tabs, (story_tab, over_time_tab, channels_tab, tornado_tab, compare_tab, export_tab,
                                  method_tab)):
        if tab.open:
            with tab:
                render(params, res)
    with cards:
        headline_cards(params, res)
    st.caption(f"Scenario {st.session_state['fingerprint']} · {params.draws:,} draws · seed {params.seed} · "
               f"computed in {(time.perf_counter() - started) * 1e3:.0f} ms · "
               "Share this scenario by copying the address bar.")
    write_url(params)  # last: the browser shows numbers and charts before it updates the address bar


main()

"""The "Chain" tab: a chain of outlets, each with its own business facts, under the page's scenario.

A manager uploads a table with one row per outlet (CSV or Excel; or takes the example of 120 made-up
stations). The model reads it into one scenario per outlet (``chain.read_outlets``: the sidebar's
behavioural assumptions with the outlet's own facts) and simulates every outlet on the same draws
(``chain_run.run_chain``); this module only lays out what comes back: the rows left out, the chain's
totals as cards, the outlets to fix first within a budget, every outlet ranked, two charts and the
downloads. The run is cached on the file's bytes and the scenario, and the file and its result are kept
in the session, so a budget, another tab or a rerun simulates nothing again; a file that cannot be used
is said in one line (``st.error``) and the page goes on.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import PurePath

import pandas as pd
import streamlit as st

from ..model.chain.example import example_csv
from ..model.chain.run import ChainResult, OutletResult, run_chain
from ..model.explain.report import Report
from ..model.inputs.params import Params
from ..model.own_data.tables import problem_of
from ..model.scenarios.scenario_files import ScenarioError
from ..present import i18n
from ..present.chain_figures import fig_ranked, fig_value_size
from ..present.chain_files import read_outlets
from ..present.chain_tables import chosen_within, csv_bytes, ranked_rows, workbook_bytes
from ..present.deck import error_deck
from ..present.deck_chain import chain_deck_bytes, first_words
from ..present.figures import no_break
from ..present.formatting import escape_markdown, money, month, people, share
from ..present.i18n import say, t, tn
from ..present.wording import horizon_words, period_label
from .cards import Card, cards_html
from .export import PPTX, XLSX
from .language import upload_note
from .own_data import MAX_UPLOAD_MB, upload_limit_mb
from .widgets import chart

#: Session keys of the tab (its own: ``state.Session`` names the page's): the file in use (name, bytes),
#: its run (a key and the result or what was wrong), the uploader, the example button and the budget.
FILE, RUN, UPLOAD, EXAMPLE = "chain_file", "chain_run", "chain_upload", "chain_example"
BUDGET_ONCE, BUDGET_MONTH = "chain_budget_once", "chain_budget_month"

#: The example's file name (as docs/example_data/stations_120.csv).
EXAMPLE_NAME = "stations_120.csv"

#: Rows left out that the warning lists one by one (the rest are counted).
PROBLEMS_SHOWN = 20


@st.cache_data(show_spinner=False, max_entries=8, ttl=3600)
def _chain(data: bytes, name: str, params_json: str) -> ChainResult:
    """The chain's run (shared by every session with the same file and scenario; an error is not cached)."""
    return run_chain(read_outlets(data, name, Params.model_validate_json(params_json)))


@st.cache_data(show_spinner=False)
def _example() -> bytes:
    """The example chain's file: 120 made-up stations."""
    return example_csv().encode("utf-8")


def _uploaded() -> None:
    """Callback of the uploader: the file it holds is the one in use (removing it leaves none)."""
    upload = st.session_state.get(UPLOAD)
    st.session_state[FILE] = (upload.name[:80], upload.getvalue()) if upload is not None else None


def _use_example() -> None:
    """Callback of the example button: the example chain is the file in use."""
    st.session_state[FILE] = (EXAMPLE_NAME, _example())


def _run(name: str, data: bytes, params: Params) -> ChainResult | str:
    """The chain's result for this file under this scenario, or what is wrong with the file (in the reader's
    language); kept in the session, so that a rerun with the same file and scenario uses it as it is."""
    params_json = params.model_dump_json()
    key = hashlib.sha1(data).hexdigest() + hashlib.sha1(params_json.encode()).hexdigest()
    kept = st.session_state.get(RUN)
    if kept is not None and kept[0] == key:
        return kept[1] if isinstance(kept[1], ChainResult) else say(kept[1])
    with st.spinner(t("Simulating every outlet of {name} on the same {draws} draws…", name=escape_markdown(name),
                      draws=people(params.draws)), show_time=True):
        try:
            outcome: ChainResult | str = _chain(data, name, params_json)
        except ScenarioError as exc:  # the model's one-line message: the file, row and column
            outcome = problem_of(exc)
        except Exception as exc:  # noqa: BLE001 (a hostile file must never take the page down)
            # not kept in the session: a rerun tries again
            return t("{name} could not be used ({problem}). Upload a CSV or Excel table with one row per outlet "
                     "and a column 'id'.", name=name, problem=type(exc).__name__)
    st.session_state[RUN] = (key, outcome)
    return outcome if isinstance(outcome, ChainResult) else say(outcome)


def _intro() -> None:
    """What a chain table is, and what comes from it and what from the sidebar's scenario, in plain words."""
    st.markdown(t("A **chain table** has one row per outlet (a station, a shop, a hotel): its id and, if you have "
                  "them, its name, its region and its own business facts: customers, visits a month, spend per "
                  "visit, margin, rating, reviews, market size, what the fix costs there. Those facts are known, so "
                  "they are used as they are; a blank cell keeps the scenario's value. How customers behave (bad "
                  "visits, complaints, who leaves, word of mouth, the fix and what it changes) is the scenario in "
                  "the sidebar, common to every outlet. Every outlet is simulated on the same draws, so the chain's "
                  "range is the range of its total."))


def _choose_file() -> tuple[str, bytes] | None:
    """The uploader and the example; the file in use (name, bytes), if any."""
    left, right = st.columns([3, 2], vertical_alignment="top")
    with left:
        st.file_uploader(t("Table of outlets (CSV or Excel)"), type=["csv", "txt", "xlsx"], key=UPLOAD,
                         on_change=_uploaded, max_upload_size=MAX_UPLOAD_MB,
                         help=t("Columns: id (required), name, region, customers, visits_per_month, spend_per_visit, "
                                "gross_margin, rating, reviews, market_size, fix_cost_once, fix_cost_per_month; "
                                "bad_visits with visits_checked (a survey or mystery shoppers)."))
        st.caption(upload_note(upload_limit_mb(), ["CSV", "TXT", "XLSX"]))
    with right:
        st.button(t("Use the example chain (120 made-up stations)"), key=EXAMPLE, on_click=_use_example,
                  icon=":material/local_gas_station:", width="stretch",
                  help=t("A made-up chain of fuel stations in seven regions, made for the gas-station preset: big "
                         "motorway stations and small village ones, and at a third of them a count of bad visits."))
        st.download_button(t("Download the example (CSV)"), data=_example(), file_name=EXAMPLE_NAME, mime="text/csv",
                           width="stretch", on_click="ignore", key="chain_example_csv")
    return st.session_state.get(FILE)


def _problems(problems: tuple[str, ...]) -> None:
    """The rows left out, each with its message (user text: escaped)."""
    if not problems:
        return
    listed = "\n".join(f"- {escape_markdown(say(p))}" for p in problems[:PROBLEMS_SHOWN])
    more = len(problems) - PROBLEMS_SHOWN
    tail = ("\n\n" + t("…and {n} more (every one is in the command line's output).", n=people(more))
            if more > 0 else "")
    st.warning(tn("{n} row was left out; the other outlets are used:", "{n} rows were left out; the other outlets "
                  "are used:", len(problems), n=people(len(problems))) + "\n\n" + listed + tail, icon="⚠️")


def _cards(result: ChainResult) -> None:
    """The chain's totals: means over the draws with their P10–P90, as the other tabs' cards."""
    params = result.params
    period, span = period_label(params), horizon_words(params)

    def cash(value: float) -> str:
        return money(value, params.currency, compact=True)

    def band(low: float, high: float) -> str:
        return t("P10–P90 {low} – {high}", low=cash(low), high=cash(high))

    count, draws = people(len(result.outlets)), people(result.draws)
    left = len(result.problems)
    cards = [
        Card(t("Revenue lost"), period, cash(result.value.mean), band(result.value.p10, result.value.p90),
             t("if no outlet is fixed"),
             t("What not fixing the service costs the whole chain: present value over {span} of the revenue with "
               "the fix minus the revenue as it is, summed over the outlets in each draw. Mean of {draws} draws; 8 "
               "in 10 of the chain's totals fall in the P10–P90 range.", span=span, draws=draws)),
        Card(t("Net value of the fix"), period, cash(result.npv.mean), band(result.npv.p10, result.npv.p90),
             t("fixing every outlet"),
             t("Net present value over {span} of fixing the service at every outlet: the profit it brings back "
               "minus what it costs at each, summed over the outlets in each draw. Mean of {draws} draws.",
               span=span, draws=draws)),
        Card(t("Chance it pays off"), period, share(result.chance_pays_off, 0), t("of {draws} draws", draws=draws),
             t("where the chain's NPV is above zero"),
             t("The share of the draws in which fixing every outlet has a positive net present value in all.")),
        Card(t("Pays back"), period, month(result.payback_month) if result.payback_month is not None else t("never"),
             t("the whole chain"),
             t("on the mean of the draws") if result.payback_month is not None else t("not within the horizon"),
             t("The first month from which the chain's profit brought back so far stays above what fixing every "
               "outlet has cost so far (present values, mean of the draws).")),
        Card(t("Outlets"), t("in the table"), count,
             tn("{n} row left out", "{n} rows left out", left, n=people(left)) if left else t("every row used"),
             t("ranked by the fix's NPV"),
             t("The outlets read from the table; a row that cannot be used is left out and named above.")),
        Card(t("Revenue today"), t("a month"), cash(result.revenue_per_month), t("the whole chain"),
             t("customers × visits × spend"),
             t("The chain's revenue a month today: each outlet's customers × visits a month × spend a visit, at "
               "their most likely values, summed.")),
    ]
    st.html(cards_html(cards, "chain"))


def _budget(currency: str) -> tuple[float | None, float | None]:
    """The budget for the outlets fixed first, once and a month (empty: no limit)."""
    left, right = st.columns(2)
    values = []
    for column, key, label in ((left, BUDGET_ONCE, t("Budget once ({cur})", cur=currency)),
                               (right, BUDGET_MONTH, t("Budget a month ({cur})", cur=currency))):
        values.append(column.number_input(label, min_value=0.0, step=1000.0, format="%.0f", value=None, key=key,
                                          placeholder=t("no cap"), persist_state="page",
                                          help=t("The most the outlets fixed first may cost together; leave it "
                                                 "empty for no limit.")))
    return values[0], values[1]


def _rows_of(result: ChainResult, outlets: tuple[OutletResult, ...] | None = None) -> pd.DataFrame:
    """Outlets as the page's table (``ranked_rows``'s cells): every outlet ranked, or ``outlets`` in their order."""
    rows = ranked_rows(result)
    body = rows[1:] if outlets is None else [rows[o.rank] for o in outlets]  # rows[rank]: that outlet
    return pd.DataFrame(body, columns=rows[0])


def _table(frame: pd.DataFrame, key: str, height: int) -> None:
    """A scrollable table of outlets (``ranked_rows``'s text cells): the rank narrow, the figures aligned right."""
    config = {name: st.column_config.TextColumn(width=52 if i == 0 else None,
                                                alignment="right" if i == 0 or i > 2 else "left")
              for i, name in enumerate(frame.columns)}
    st.dataframe(frame, hide_index=True, width="stretch", height=height, key=key, column_config=config)


def _fix_first(result: ChainResult) -> tuple[OutletResult, ...]:
    """The budget and the outlets to fix first within it."""
    st.subheader(t("Fix these first"))
    st.caption(t("The outlets where the fix pays on average, best return per euro spent first, taken while their "
                 "costs fit the budget."))
    once, monthly = _budget(result.params.currency)
    first = chosen_within(result, once, monthly)
    sentence = escape_markdown(first_words(result, first))
    if first:
        st.markdown(f"**{no_break(sentence)}**")
        _table(_rows_of(result, first), "chain_first_table", min(38 + 35 * len(first), 316))
    else:
        st.info(sentence, icon="ℹ️")
    return first


def _downloads(result: ChainResult, first: tuple[OutletResult, ...], name: str) -> None:
    """The ranked outlets as a workbook and a CSV file, and the slides (each made on click, in this language)."""
    stem = re.sub(r"[^\w-]+", "_", PurePath(name).stem, flags=re.ASCII).strip("_")[:40] or "chain"
    lang = i18n.language()

    def made(build: Callable[[], bytes]) -> Callable[[], bytes]:
        def run() -> bytes:
            with i18n.use(lang):
                return build()
        return run

    def deck() -> bytes:
        try:
            return chain_deck_bytes(result, first)
        except Exception as exc:  # noqa: BLE001 (a download always answers)
            return error_deck(str(exc))

    st.subheader(t("Downloads"))
    columns = st.columns(3)
    columns[0].download_button(t("Ranked outlets (Excel)"), data=made(lambda: workbook_bytes(result, first)),
                               file_name=f"{stem}_ranked.xlsx", mime=XLSX, width="stretch", on_click="ignore",
                               key="chain_xlsx")
    columns[1].download_button(t("Ranked outlets (CSV)"), data=made(lambda: csv_bytes(result, first)),
                               file_name=f"{stem}_ranked.csv", mime="text/csv", width="stretch", on_click="ignore",
                               key="chain_csv")
    columns[2].download_button(t("Slides (PowerPoint)"), data=made(deck), file_name=f"{stem}_slides.pptx", mime=PPTX,
                               width="stretch", on_click="ignore", key="chain_pptx",
                               help=t("16:9, editable charts: the chain's totals, the top 15 outlets ranked, value "
                                      "against size by region and the outlets to fix first."))


def chain_tab(report: Report) -> None:
    """The chain of outlets under the page's scenario: upload, totals, where to fix first, ranking, charts."""
    _intro()
    chosen = _choose_file()
    if chosen is None:
        st.info(t("Upload a table of outlets, or use the example chain, to see what fixing the service is worth at "
                  "each outlet."), icon="📄")
        return
    name, data = chosen
    st.caption(t("In use: {name} ({size} KB) under the scenario in the sidebar.", name=escape_markdown(name),
                 size=people(max(1, round(len(data) / 1024)))))
    result = _run(name, data, report.params)
    if not isinstance(result, ChainResult):
        st.error(escape_markdown(result), icon="⚠️")
        return
    _problems(result.problems)
    _cards(result)
    first = _fix_first(result)
    st.subheader(t("Every outlet, ranked"))
    _table(_rows_of(result), "chain_ranked_table", 420)
    chart(fig_ranked(result), "chart_chain_ranked")
    chart(fig_value_size(result), "chart_chain_size")
    _downloads(result, first, name)

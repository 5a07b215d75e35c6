"""The "Chain" tab, its charts and its slides: a chain of outlets under the page's scenario (MODEL.md §23).

Every expectation is computed from the model (``run_chain`` on the example chain under the gas-station
preset, the page's default) and formatted the way the page formats it, so that a card, a row, a chart or a
slide that showed another number than the model's would fail.
"""

from __future__ import annotations

import io
import json

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from streamlit.testing.v1 import AppTest

from estimator import load_preset
from estimator.present.chain_files import read_outlets
from estimator.model.chain.example import example_csv
from estimator.model.chain.run import ChainResult, fix_first, run_chain
from estimator.model.own_data.tables import OwnDataError
from estimator.present import i18n
from estimator.present.chain_figures import fig_ranked, fig_value_size, outlet_label
from estimator.present.chain_tables import ranked_rows, totals_lines
from estimator.present.deck_chain import chain_deck_bytes, first_words
from estimator.present.figures import no_break
from estimator.present.formatting import escape_markdown, money, month, people, share
from tests.conftest import ROOT
from tests.test_dashboard import cards

APP = str(ROOT / "dashboard.py")
EXAMPLE = example_csv().encode()


@pytest.fixture(scope="module")
def expected() -> ChainResult:
    """The example chain under the page's default scenario, as the model runs it."""
    return run_chain(read_outlets(EXAMPLE, "stations_120.csv", load_preset("gas_station")))


def open_chain(query: dict[str, str] | None = None, example: bool = True) -> AppTest:
    """The page on the Chain tab (``?tab=Chain``), with the example chain in use if ``example``."""
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["tab"] = "Chain"
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    if example:
        with i18n.use((query or {}).get("lang", "en")):  # the pickers' format_func write in the page's language
            at.button(key="chain_example").click().run()
        assert not at.exception, at.exception
    return at


def tables(at: AppTest) -> list:
    """The tab's tables as data frames, in page order (the "fix these first" list, then every outlet)."""
    return [frame.value for frame in at.dataframe]


def cash(value: float) -> str:
    return money(value, "EUR", compact=True)


def test_the_example_chain_shows_every_outlet_ranked_and_the_models_totals(expected):
    at = open_chain()
    assert not at.error
    ranked = tables(at)[-1]
    assert len(ranked) == len(expected.outlets) == 120
    rows = ranked_rows(expected)
    assert list(ranked.columns) == rows[0]
    assert ranked.values.tolist() == rows[1:]  # every cell as the model's figures are written everywhere
    assert list(ranked["Outlet"][:3]) == [outlet_label(o) for o in expected.outlets[:3]]
    shown = cards(at, "chain")
    assert shown["Revenue lost"]["value"] == cash(expected.value.mean)
    assert shown["Revenue lost"]["band"] == f"P10–P90 {cash(expected.value.p10)} – {cash(expected.value.p90)}"
    assert shown["Net value of the fix"]["value"] == cash(expected.npv.mean)
    assert shown["Net value of the fix"]["band"] == f"P10–P90 {cash(expected.npv.p10)} – {cash(expected.npv.p90)}"
    assert shown["Chance it pays off"]["value"] == share(expected.chance_pays_off, 0)
    assert shown["Pays back"]["value"] == month(expected.payback_month)
    assert shown["Outlets"]["value"] == people(len(expected.outlets))
    assert shown["Revenue today"]["value"] == cash(expected.revenue_per_month)
    assert len(cards(at)) == 6  # the page's own headline cards are still there


def test_the_charts_on_the_page_draw_the_chain(expected):
    at = open_chain()
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    ranked = next(s for s in specs if s["data"][0]["type"] == "bar")
    assert len(ranked["data"][0]["x"]) == 20
    assert ranked["data"][0]["x"] == pytest.approx([o.npv.mean for o in expected.outlets[:20]])
    scatter = next(s for s in specs if s["data"][0]["type"] == "scatter")
    assert sorted(trace["name"] for trace in scatter["data"]) == sorted({o.region for o in expected.outlets})
    assert sum(len(trace["x"]) for trace in scatter["data"]) == 120


def test_the_file_and_its_result_survive_another_tab_and_reruns(expected):
    at = open_chain()
    at.session_state["tab"] = at.query_params["tab"] = "Fix it?"
    at.run()
    assert not at.exception, at.exception
    assert not any('data-cards="chain"' in h.proto.body for h in at.get("html"))  # lazy: not drawn there
    at.session_state["tab"] = at.query_params["tab"] = "Chain"
    at.run()
    assert not at.exception, at.exception
    assert len(tables(at)[-1]) == 120
    assert cards(at, "chain")["Net value of the fix"]["value"] == cash(expected.npv.mean)


def _model_error(name: str, data: bytes) -> str:
    """What the model says about a file it cannot use, as the page shows it (Markdown-escaped)."""
    with pytest.raises(OwnDataError) as caught:
        read_outlets(data, name, load_preset("gas_station"))
    return escape_markdown(str(caught.value))


BAD_FILES = {
    "binary": ("photo.csv", bytes(range(256)) * 40),
    "empty": ("empty.csv", b""),
    "no id column": ("outlets.csv", b"name,customers\nKeskusta,2000\nAsema,3000\n"),
    "over 10 MB": ("huge.csv", b"id,customers\n" + b"A00001,1000\n" * 1_000_000),
    "not a workbook": ("outlets.xlsx", b"PK\x03\x04" + b"\x00garbage" * 50),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_file_that_cannot_be_used_gets_one_clear_error_and_the_page_goes_on(kind, expected):
    name, data = BAD_FILES[kind]
    at = open_chain(example=False)
    at.file_uploader(key="chain_upload").set_value((name, data, "application/octet-stream")).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [_model_error(name, data)]
    assert not at.dataframe and len(cards(at)) == 6  # no chain shown; the page's cards are there
    at.button(key="chain_example").click().run()  # and the tab still works
    assert not at.exception and not at.error
    assert len(tables(at)[-1]) == len(expected.outlets)


def test_rows_that_cannot_be_used_are_listed_and_the_others_ranked():
    data = b"id,name,customers\nA1,North,2000\nA2,South,lots\nA1,Again,3000\nA3,[x](javascript:1),2500\n"
    at = open_chain(example=False)
    at.file_uploader(key="chain_upload").set_value(("mine.csv", data, "text/csv")).run()
    assert not at.exception and not at.error
    table = read_outlets(data, "mine.csv", load_preset("gas_station"))
    warning = " ".join(w.value for w in at.warning)
    assert "2 rows were left out" in warning
    assert all(escape_markdown(problem) in warning for problem in table.problems)
    assert len(tables(at)[-1]) == len(table.outlets) == 2
    assert "](javascript" not in " ".join(m.value for m in at.markdown)


def _first_ids(at: AppTest) -> list[str]:
    frames = tables(at)
    return list(frames[0]["Outlet"]) if len(frames) == 2 else []


def test_the_budget_chooses_the_outlets_to_fix_first_as_the_model_does(expected):
    at = open_chain()
    everyone = fix_first(expected.outlets)
    assert _first_ids(at) == [outlet_label(o) for o in everyone]
    once = 2.5 * expected.outlets[0].fix_cost_once
    at.number_input(key="chain_budget_once").set_value(once).run()
    chosen = fix_first(expected.outlets, once, None)
    assert 0 < len(chosen) < len(everyone)
    assert _first_ids(at) == [outlet_label(o) for o in chosen]
    assert any(no_break(escape_markdown(first_words(expected, chosen))) in m.value for m in at.markdown)
    monthly = 1.5 * expected.outlets[0].fix_cost_per_month
    at.number_input(key="chain_budget_month").set_value(monthly).run()
    tighter = fix_first(expected.outlets, once, monthly)
    assert len(tighter) < len(chosen) and _first_ids(at) == [outlet_label(o) for o in tighter]
    at.number_input(key="chain_budget_once").set_value(0.0).run()
    assert fix_first(expected.outlets, 0.0, monthly) == () and _first_ids(at) == []
    assert [i.value for i in at.info] == [escape_markdown(first_words(expected, ()))]


def test_the_figures_have_a_bar_per_outlet_and_a_trace_per_region(expected):
    ranked = fig_ranked(expected)
    bars = ranked.data[0]
    assert len(bars.y) == 20 and list(bars.x) == pytest.approx([o.npv.mean for o in expected.outlets[:20]])
    assert list(bars.error_x.array) == pytest.approx([o.npv.p90 - o.npv.mean for o in expected.outlets[:20]])
    assert list(bars.error_x.arrayminus) == pytest.approx([o.npv.mean - o.npv.p10 for o in expected.outlets[:20]])
    assert ranked.layout.yaxis.autorange == "reversed" and expected.outlets[0].id in bars.y[0]
    assert len(fig_ranked(expected, top=5).data[0].y) == 5
    scatter = fig_value_size(expected)
    regions = sorted({o.region for o in expected.outlets})
    assert [trace.name for trace in scatter.data] == regions
    for trace in scatter.data:
        members = [o for o in expected.outlets if o.region == trace.name]
        assert list(trace.x) == pytest.approx([o.revenue_per_month for o in members])
        assert list(trace.y) == pytest.approx([o.value.mean for o in members])
    assert "EUR" in scatter.layout.xaxis.title.text and "EUR" in scatter.layout.yaxis.title.text
    small = run_chain(read_outlets(b"id,region,customers\nA,North,2000\nB,,3000\nC,<b>North</b>,1000\n", "o.csv",
                                   load_preset("gas_station")), draws=64)
    assert sorted(t.name for t in fig_value_size(small).data) == ["&lt;b&gt;North&lt;/b&gt;", "No region", "North"]


def _deck(result: ChainResult, first=(), lang: str = "en") -> Presentation:
    with i18n.use(lang):
        return Presentation(io.BytesIO(chain_deck_bytes(result, first)))


def _text(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_the_deck_has_native_charts_of_the_chain_and_the_totals_of_the_tables(expected, lang):
    first = fix_first(expected.outlets, 2.5 * expected.outlets[0].fix_cost_once)
    deck = _deck(expected, first, lang)
    assert len(deck.slides) == 4 and len(_deck(expected).slides) == 3
    with i18n.use(lang):
        lines = totals_lines(expected)
        rows = ranked_rows(expected)
    totals = _text(deck.slides[0])
    assert all(line in totals for line in lines)
    charts = [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) == 2
    bars, scatter = charts
    top = expected.outlets[:15]
    assert list(bars.plots[0].categories) == [outlet_label(o) for o in top]
    assert list(bars.plots[0].series[0].values) == pytest.approx([o.npv.mean for o in top])
    whiskers = bars.plots[0].series[0]._element.find(qn("c:errBars"))
    assert len(whiskers.find(qn("c:plus")).findall(".//" + qn("c:pt"))) == 15
    regions = sorted({o.region for o in expected.outlets})
    assert [s.name for s in scatter.plots[0].series] == regions
    for series in scatter.plots[0].series:
        members = [o for o in expected.outlets if o.region == series.name]
        assert [v for v in series.values if v is not None] == pytest.approx([o.value.mean for o in members])
    table = next(shape.table for shape in deck.slides[3].shapes if shape.has_table)
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells == [rows[0]] + [rows[o.rank] for o in first]


def test_the_finnish_page_reads_in_finnish(expected):
    with i18n.use("fi"):
        label, header = i18n.t("Chain"), ranked_rows(expected)[0]
        figures = {i18n.t("Net value of the fix"): money(expected.npv.mean, "EUR", compact=True),
                   i18n.t("Revenue lost"): money(expected.value.mean, "EUR", compact=True),
                   i18n.t("Chance it pays off"): share(expected.chance_pays_off, 0)}
    i18n.missing.clear()
    at = open_chain({"lang": "fi"})
    assert at.session_state["tab"] == label == "Ketju"  # ?tab=Chain opens Ketju on a Finnish page
    assert not at.error
    shown = cards(at, "chain")
    assert {name: shown[name]["value"] for name in figures} == figures
    assert any("milj." in value for value in figures.values())  # written the Finnish way
    assert list(tables(at)[-1].columns) == header and "Sija" in header
    words = " ".join([m.value for m in at.markdown] + [b.label for b in at.button] + [s.value for s in at.subheader])
    assert "Korjaa nämä ensin" in words and "Fix these first" not in words and "chain table" not in words
    assert not i18n.missing

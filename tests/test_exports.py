"""Exports: the deck (read back), LibreOffice conversion, images, CSV/XLSX, scenario files."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from estimator import (ScenarioError, load_preset, monte_carlo, paired_difference, parse_scenario, scenario_to_yaml,
                       simulate)
from estimator.present import figures as fig
from estimator import Report
from estimator.present.deck import build_deck
from estimator.present.formatting import money
from estimator.present.images import chromium_available, figure_image
from estimator.present.tables import csv_bytes, headline_table, monthly_table, xlsx_bytes
from tests.browser import require
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def shrug():
    p = load_preset("gas_station")
    return p, simulate(p), monte_carlo(p, draws=2_000)


@pytest.fixture(scope="module")
def deck_bytes(shrug):
    p, _, mc = shrug
    a = load_preset("gas_station_recovered")
    b, a = p.replace(draws=2_000), a.replace(draws=2_000)
    return build_deck(Report(b), Report(a), paired=paired_difference(a, b))


def _charts(slide):
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def _texts(slide) -> str:
    """Every word of a slide a reader or presenter sees: its text boxes and its speaker notes."""
    words = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
    return "\n".join(words + [slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""])


def _cash(value: float) -> str:
    return money(value, "EUR", compact=True)


def test_deck_has_the_expected_slides_with_native_charts(deck_bytes, shrug):
    p, det, mc = shrug
    report = Report(p.replace(draws=2_000))
    loss = mc.value("pv_revenue_loss")
    prs = Presentation(io.BytesIO(deck_bytes))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 16:9
    first = " ".join(sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame)
    assert p.name in first and _cash(loss) in first
    assert f"{loss:,.0f}" not in first  # said as people say it, not to the euro
    kinds = [[c.chart_type for c in _charts(s)] for s in prs.slides]
    assert kinds[1:9] == [[XL_CHART_TYPE.LINE], [XL_CHART_TYPE.LINE], [], [XL_CHART_TYPE.COLUMN_STACKED],
                          [XL_CHART_TYPE.COLUMN_STACKED], [XL_CHART_TYPE.BAR_CLUSTERED],
                          [XL_CHART_TYPE.BAR_CLUSTERED], [XL_CHART_TYPE.LINE]]
    # Loss over time: the mean curve (ending at the headline mean) between P10 and P90; no median line.
    cumulative = _charts(prs.slides[1])[0].plots[0].series
    assert [s.name for s in cumulative] == ["P10", "Mean of the draws", "P90"]
    band = mc.bands["cumulative_pv_revenue_loss"]
    assert list(cumulative[1].values) == pytest.approx(list(mc.means["cumulative_pv_revenue_loss"]))
    assert list(cumulative[1].values)[-1] == pytest.approx(loss)
    assert list(cumulative[0].values) == pytest.approx(list(band[0]))
    assert list(cumulative[2].values) == pytest.approx(list(band[2]))
    # Does fixing it pay: the mean curves, whose gap at the horizon is the mean NPV.
    gain, cost = (list(s.values) for s in _charts(prs.slides[2])[0].plots[0].series)
    assert gain == pytest.approx(list(mc.means["cumulative_pv_profit_gain"]))
    assert cost == pytest.approx(list(mc.means["cumulative_pv_fix_cost"]))
    assert gain[-1] - cost[-1] == pytest.approx(mc.value("npv_fix"))
    bridge = _charts(prs.slides[5])[0].plots[0].series[1].values
    assert bridge[0] == pytest.approx(report.bridge[0].value) and bridge[-1] == pytest.approx(loss)
    channels = _charts(prs.slides[6])[0]
    assert sum(channels.plots[0].series[0].values) == pytest.approx(loss)
    # What matters most: conditional means in each lowest and highest fifth, as bars from the mean loss.
    tornado = _charts(prs.slides[7])[0].plots[0]
    rows = report.tornado[:10]
    assert list(tornado.series[0].values) == pytest.approx([r.loss_at_low - loss for r in rows])
    assert list(tornado.series[1].values) == pytest.approx([r.loss_at_high - loss for r in rows])
    assert "lowest fifth" in tornado.series[0].name and "highest fifth" in tornado.series[1].name
    table = next(sh.table for sh in prs.slides[9].shapes if sh.has_table)
    assert [table.cell(0, c).text for c in range(5)] == ["Assumption", "Value", "Range", "Grade", "Source"]
    assert table.cell(1, 3).text in ("published", "assumption") and table.cell(1, 4).text


def test_every_slide_says_the_mean_and_never_the_median_or_the_run_at_the_modes(deck_bytes, shrug):
    _, det, mc = shrug
    slides = list(Presentation(io.BytesIO(deck_bytes)).slides)
    texts = [_texts(slide) for slide in slides]
    loss = _cash(mc.value("pv_revenue_loss"))
    # The loss is one number: title slide, loss over time, one shrug, the bridge, channels, what matters most.
    for number in (0, 1, 4, 5, 6, 7):
        assert loss in texts[number], (number + 1, texts[number][:200])
    others = {_cash(mc.headline["pv_revenue_loss"].p50), _cash(det.pv_revenue_loss)} - {loss}
    assert others and not [o for o in others for text in texts if o in text]
    low, high = mc.band("pv_revenue_loss")
    assert _cash(low) in texts[1] and _cash(high) in texts[1]
    npv, (npv_low, npv_high) = mc.value("npv_fix"), mc.band("npv_fix")
    fix = texts[2]
    assert slides[2].shapes.title.text.startswith(f"Fixing it is worth {_cash(npv)} net")
    assert f"pays back in month {mc.payback_month}" in slides[2].shapes.title.text
    for figure in (npv_low, npv_high, mc.value("pv_profit_loss"), mc.value("pv_fix_cost"),
                   mc.break_even_cost_per_month):
        assert _cash(figure) in fix, figure
    assert _cash(mc.value("pv_profit_loss")) in texts[0]  # profit lost: the profit the fix brings back
    assert _cash(mc.headline["npv_fix"].p50) not in fix or _cash(mc.headline["npv_fix"].p50) == _cash(npv)


def test_the_compare_slide_and_sheet_come_from_one_paired_run(deck_bytes, shrug):
    from estimator import paired_difference
    from estimator.present.tables import compare_table

    p, _, _ = shrug
    a, b = Report(load_preset("gas_station_recovered").replace(draws=2_000)), Report(p.replace(draws=2_000))
    paired = paired_difference(a.params, b.params)
    diff = paired.difference["pv_revenue_loss"]
    slide = list(Presentation(io.BytesIO(deck_bytes)).slides)[8]
    assert slide.shapes.title.text.startswith(f"B loses {_cash(abs(diff.mean))} ")
    notes = _texts(slide)
    for figure in (paired.a["pv_revenue_loss"], paired.b["pv_revenue_loss"], diff.mean, diff.p10, diff.p90):
        assert _cash(figure) in notes, figure
    assert paired.b["pv_revenue_loss"] - paired.a["pv_revenue_loss"] == pytest.approx(diff.mean)
    row = compare_table(a, b, paired).iloc[0]
    assert (row["a_mean"], row["b_mean"], row["b_minus_a_mean"]) == (
        paired.a["pv_revenue_loss"], paired.b["pv_revenue_loss"], diff.mean)
    lines = _charts(slide)[0].plots[0].series
    assert list(lines[0].values) == pytest.approx(list(a.mc.means["cumulative_pv_revenue_loss"]))
    assert list(lines[1].values) == pytest.approx(list(b.mc.means["cumulative_pv_revenue_loss"]))


@pytest.mark.parametrize("changes,limit", [({"fix_cost_per_month": 6_000.0}, "most it could cost"),
                                           ({"fix_cost_once": 200_000.0}, "No monthly cost lets it pay")],
                         ids=["monthly cost too high", "one-off cost too high"])
def test_a_fix_that_does_not_pay_is_given_no_payback_month_anywhere_in_the_deck(changes, limit):
    report = Report(load_preset("hotel").replace(draws=2_000, **changes))
    mc = report.mc
    assert not mc.fix_pays and mc.payback_month is None
    slides = list(Presentation(io.BytesIO(build_deck(report))).slides)
    title = slides[2].shapes.title.text
    assert title.startswith(f"Fixing it loses {_cash(-mc.value('npv_fix'))} net") and "does not pay back" in title
    everything = "\n".join(_texts(slide) for slide in slides)
    assert not re.search(r"month \d", everything), re.search(r".{60}month \d.{20}", everything)
    assert "is worth" not in everything and limit in _texts(slides[2])
    if mc.break_even_cost_per_month > 0:
        assert _cash(mc.break_even_cost_per_month) in _texts(slides[2])
    else:
        assert _cash(mc.break_even_cost_per_month) not in _texts(slides[2])


def test_the_hotel_deck_gives_the_mean_curves_payback_month():
    report = Report(load_preset("hotel").replace(draws=2_000))
    mc = report.mc
    assert mc.fix_pays  # by default the hotel's fix pays, just (its mean NPV is a few hundred euros)
    slides = list(Presentation(io.BytesIO(build_deck(report))).slides)
    months = set(re.findall(r"month (\d+)", "\n".join(_texts(slide) for slide in slides)))
    assert months == {str(mc.payback_month)}
    assert f"pays back in month {mc.payback_month}" in slides[2].shapes.title.text


def test_deck_titles_state_findings_with_figures_and_every_content_slide_has_speaker_notes(deck_bytes):
    prs = Presentation(io.BytesIO(deck_bytes))
    content = list(prs.slides)[1:]
    for slide in content:
        assert slide.has_notes_slide and len(slide.notes_slide.notes_text_frame.text) > 40, slide.shapes.title.text
    for slide in content[:-2]:  # the assumptions and method slides name their topic
        title = slide.shapes.title.text
        assert any(ch.isdigit() for ch in title) and ("€" in title or "%" in title), title
    assert content[1].shapes.title.text.startswith("Fixing it is worth")
    assert content[7].shapes.title.text.startswith("B loses")


def test_deck_titles_sit_inside_a_16_9_slide(deck_bytes):
    prs = Presentation(io.BytesIO(deck_bytes))
    for slide in list(prs.slides)[1:]:
        title = slide.shapes.title
        assert title.left + title.width <= prs.slide_width and title.top + title.height <= prs.slide_height


def test_deck_without_pin_or_ranges_skips_those_slides():
    p = load_preset("folklore")
    assert not p.ranges
    prs = Presentation(io.BytesIO(build_deck(Report(p.replace(draws=100)))))
    titles = [s.shapes.title.text for s in list(prs.slides)[1:]]
    assert len(prs.slides) == 9
    assert not any("moves the loss most" in t or "than A" in t for t in titles)


def test_libreoffice_converts_the_deck_to_pdf(deck_bytes, tmp_path):
    require(shutil.which("libreoffice") is not None, "LibreOffice", "apt-get install libreoffice-impress")
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(deck_bytes)
    subprocess.run(["libreoffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
                   check=True, capture_output=True, timeout=180)
    pdf = (tmp_path / "deck.pdf").read_bytes()
    pages = re.findall(rb"/Type\s*/Page(?![s\w])", pdf)
    assert pdf.startswith(b"%PDF") and len(pages) == len(Presentation(io.BytesIO(deck_bytes)).slides) == 11


def test_cli_report_writes_a_deck_and_a_workbook(tmp_path):
    out = subprocess.run([sys.executable, "-m", "estimator", "report", "hotel", "--out", str(tmp_path / "d.pptx"),
                          "--xlsx", str(tmp_path / "d.xlsx")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert len(Presentation(str(tmp_path / "d.pptx")).slides) == 10
    sheets = pd.read_excel(tmp_path / "d.xlsx", sheet_name=None)
    assert set(sheets) == {"Headline", "Monthly", "Fix", "Which fix first", "Assumptions"}
    assumptions = sheets["Assumptions"].set_index("Name")
    assert set(assumptions["Grade"]) <= {"published", "assumption"} and assumptions.loc["spend_per_star", "Value"] > 0
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "d.xlsx")
    headline = book["Headline"]
    assert [c.value for c in headline[1]] == ["Output", "Unit", "Value", "P10", "P90", "Note", "Key"]
    assert headline.cell(row=2, column=3).number_format == '"€"#,##0'      # revenue lost, its mean, in euros
    rating_row = next(r for r in range(2, headline.max_row + 1) if headline.cell(row=r, column=7).value == "rating_at_horizon")
    assert headline.cell(row=rating_row, column=3).number_format == "0.00"
    assert headline.freeze_panes == "A2"


def test_csv_and_xlsx_round_trip(shrug):
    _, det, mc = shrug
    monthly, head = monthly_table(mc), headline_table(mc)
    assert len(monthly) == det.params.horizon_months
    back = pd.read_csv(io.BytesIO(csv_bytes(monthly)))
    pd.testing.assert_frame_equal(back, monthly, check_dtype=False, rtol=1e-12)  # the CSV keeps its columns
    sheets = pd.read_excel(io.BytesIO(xlsx_bytes({"Headline": head, "Monthly": monthly})), sheet_name=None)
    # The workbook: readable headers, the same numbers at full precision (the key moved to the last column).
    assert list(sheets["Monthly"].columns[:2]) == ["Month", "Revenue lost in the month, mean"]
    np.testing.assert_allclose(sheets["Monthly"].to_numpy(float), monthly.to_numpy(float), rtol=1e-12)
    book = sheets["Headline"]
    assert list(book.columns) == ["Output", "Unit", "Value", "P10", "P90", "Note", "Key"]
    assert list(book["Key"]) == list(head["key"]) and list(book["Output"]) == list(head["output"])
    np.testing.assert_allclose(book[["Value", "P10", "P90"]].to_numpy(float),
                               head[["value", "p10", "p90"]].to_numpy(float), rtol=1e-12)


def test_the_headline_sheet_leads_with_the_value_and_its_band(shrug):
    _, det, mc = shrug
    head = headline_table(mc).set_index("key")
    assert list(head.columns) == ["output", "unit", "value", "p10", "p90"]  # no median, no run at the modes
    for key in head.index:
        value, band = mc.value(key), mc.band(key)
        assert head.loc[key, "value"] == (value if value is not None else pytest.approx(float("nan"), nan_ok=True))
        assert (head.loc[key, "p10"], head.loc[key, "p90"]) == (band if band is not None else pytest.approx(
            (float("nan"), float("nan")), nan_ok=True))
    assert head.loc["pv_revenue_loss", "value"] != det.pv_revenue_loss
    assert head.loc["pv_revenue_loss", "value"] != mc.headline["pv_revenue_loss"].p50


def test_the_monthly_sheet_is_the_mean_curves_beside_their_p10_and_p90(shrug):
    _, _, mc = shrug
    monthly = monthly_table(mc)
    assert not [c for c in monthly.columns if "p50" in c]
    assert monthly["cumulative_pv_revenue_loss_mean"].iloc[-1] == pytest.approx(mc.value("pv_revenue_loss"))
    assert (monthly["cumulative_pv_profit_gain_mean"] - monthly["cumulative_pv_fix_cost_mean"]).iloc[-1] == \
        pytest.approx(mc.value("npv_fix"))
    assert monthly["cumulative_npv_fix_mean"].iloc[-1] == pytest.approx(mc.value("npv_fix"))
    band = mc.bands["revenue_loss"]
    assert list(monthly["revenue_loss_p10"]) == list(band[0]) and list(monthly["revenue_loss_p90"]) == list(band[2])
    assert (monthly["revenue_loss_p10"] <= monthly["revenue_loss_p90"]).all()


def test_the_fix_sheet_follows_the_verdict_of_the_mean():
    from estimator.present.tables import fix_table

    pays = fix_table(Report(load_preset("hotel").replace(draws=2_000))).set_index("item")
    costly = Report(load_preset("hotel").replace(draws=2_000, fix_cost_per_month=6_000.0))
    loses = fix_table(costly).set_index("item")
    payback = "Payback month of the fix"
    assert pays.loc[payback, "value"] == Report(load_preset("hotel").replace(draws=2_000)).mc.payback_month
    assert np.isnan(loses.loc[payback, "value"]) and np.isnan(loses.loc[payback, "p10"])  # empty: the note says why
    assert loses.loc["Chance the fix pays off (share of draws)", "unit"] == "share"
    npv = "Net present value of the fix (profit)"
    assert loses.loc[npv, "value"] == costly.mc.value("npv_fix") < 0
    assert loses.loc["Break-even cost of the fix per month", "value"] == costly.mc.break_even_cost_per_month


def _needs_chromium():
    require(chromium_available(), "Chromium (for image export)", "apt-get install chromium")


def test_png_export_has_the_slide_size_and_colour(shrug):
    _needs_chromium()
    from PIL import Image

    _, _, mc = shrug
    import streamlit  # noqa: F401  (importing it replaces Plotly's default template: exports must not care)

    png = figure_image(fig.fig_cumulative_loss(mc, "EUR"), "png")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (1600, 900)
    pixels = np.asarray(image).astype(int)
    red_line = (np.abs(pixels - np.array([0xC0, 0x39, 0x2B])).max(axis=2) < 30).sum()
    assert red_line > 2_000  # the mean line is drawn in its own red, not black (no theme leak)
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50  # not monochrome


def test_svg_export_is_vector_text(shrug):
    _needs_chromium()
    _, _, mc = shrug
    svg = figure_image(fig.fig_customers(mc), "svg").decode()
    assert svg.lstrip().startswith("<svg") and "With the fix" in svg


def test_scenario_file_round_trip_gives_identical_monte_carlo(shrug):
    p, _, _ = shrug
    moved = p.replace(bad_visit_rate=0.02, tell_unhappy=8)
    again = parse_scenario(scenario_to_yaml(moved).encode())
    a, b = monte_carlo(moved, draws=500), monte_carlo(again, draws=500)
    np.testing.assert_array_equal(a.samples["pv_revenue_loss"], b.samples["pv_revenue_loss"])


@pytest.mark.parametrize("payload,message", [
    (b"a: &a [1,2]\nb: *a\n", "anchors"),
    (b"parameters:\n  customers: [1, 2]\n", "must be a number"),
    (b"parameters: 12\n", "must be a mapping"),
    (b"x" * (10 * 1024 * 1024), "too large"),
    (b"!!python/object/apply:os.system ['echo hacked']\n", "not valid YAML"),
])
def test_hostile_scenario_files_are_refused_cleanly(payload, message):
    with pytest.raises(ScenarioError, match=message):
        parse_scenario(payload, origin="upload.yaml")


def test_workbook_with_a_pinned_scenario_has_the_paired_comparison(tmp_path):
    from openpyxl import load_workbook

    from estimator import paired_difference
    from estimator.present.tables import data_tables

    a = Report(load_preset("gas_station").replace(draws=1_000))
    b = Report(load_preset("gas_station_recovered").replace(draws=1_000))
    paired = paired_difference(a.params, b.params)
    table = data_tables(b, a, paired)["A vs B"].set_index("unit", append=True)
    assert not [c for c in table.columns if "p50" in c]
    loss = table.iloc[0]
    assert loss["a_mean"] == paired.a["pv_revenue_loss"] and loss["b_mean"] == paired.b["pv_revenue_loss"]
    assert loss["b_minus_a_mean"] == paired.difference["pv_revenue_loss"].mean
    for _, row in table.iloc[:-1].iterrows():  # A, B and B − A reconcile on every row
        assert row["b_mean"] - row["a_mean"] == pytest.approx(row["b_minus_a_mean"], rel=1e-9, abs=1e-9)
    assert loss["b_minus_a_p10"] <= loss["b_minus_a_mean"] <= loss["b_minus_a_p90"]
    assert table.iloc[-1]["b_minus_a_mean"] == paired.chance_b_loses_less
    path = tmp_path / "ab.xlsx"
    path.write_bytes(xlsx_bytes(data_tables(b, a, paired)))
    sheet = load_workbook(path)["A vs B"]
    assert sheet.cell(row=2, column=3).number_format == '"€"#,##0'   # money with separators, in euros
    assert sheet.cell(row=1, column=5).value == "B − A, mean"
    assert sheet.cell(row=7, column=5).number_format == "0.0%"    # the chance as a percentage


def test_cli_report_with_a_pin_writes_the_comparison_sheet(tmp_path):
    out = subprocess.run([sys.executable, "-m", "estimator", "report", "gas_station_recovered", "--pin", "gas_station",
                          "--out", str(tmp_path / "d.pptx"), "--xlsx", str(tmp_path / "d.xlsx")],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    compare = pd.read_excel(tmp_path / "d.xlsx", sheet_name="A vs B")
    assert compare.loc[0, "B − A, mean"] < 0  # the clerk who apologises loses less than the shrug
    assert 0.5 < compare["B − A, mean"].iloc[-1] <= 1  # and does so in most draws
    # The slide says the sheet's difference.
    slide = list(Presentation(str(tmp_path / "d.pptx")).slides)[8]
    assert slide.shapes.title.text.startswith(f"B loses {_cash(-compare.loc[0, 'B − A, mean'])} less than A")


def test_a_download_that_cannot_be_made_brings_a_file_that_says_why():
    from estimator.app.export import _or_explained
    from estimator.present.deck import error_deck

    def broken() -> bytes:
        raise ValueError("All strings must be XML compatible")

    deck = Presentation(io.BytesIO(_or_explained(broken, error_deck)))
    text = " ".join(sh.text_frame.text for sh in deck.slides[0].shapes if sh.has_text_frame)
    assert "could not be made" in text and "XML compatible" in text
    assert _or_explained(lambda: b"ok", error_deck) == b"ok"

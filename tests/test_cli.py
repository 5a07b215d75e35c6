"""``python -m estimator``: readable tables, JSON, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from estimator import list_presets
from tests.conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "estimator", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_cli_prints_headline_channels_and_ladder_for_the_gas_station():
    out = _run("gas_station", "--draws", "500")
    assert out.returncode == 0, out.stderr
    for text in ("Revenue lost by not fixing (present value)", "Word of mouth", "He leaves", "Folk arithmetic", "EUR"):
        assert text in out.stdout


def test_cli_json_matches_the_api(gas_station):
    import pytest

    from estimator import Report, simulate

    out = _run("gas_station", "--json", "--draws", "200", "--seed", "3")
    data = json.loads(out.stdout)
    assert data["draws"] == 200 and data["seed"] == 3
    report = Report(gas_station.replace(draws=200, seed=3))
    mc, det = report.mc, simulate(gas_station)
    for key, row in data["headline"].items():  # every statistic, the value first
        assert set(row) == {"value", "band", "mean", "p10", "p50", "p90", "at_modes"}
        assert row["value"] == mc.value(key) and row["at_modes"] == getattr(det, key), key
        assert row["band"] == list(mc.band(key)), key
    loss = data["headline"]["pv_revenue_loss"]
    assert loss["p50"] == mc.headline["pv_revenue_loss"].p50 and loss["mean"] == loss["value"]
    assert data["fix_pays"] is mc.fix_pays and data["headline"]["payback_month"]["value"] == mc.payback_month
    assert sum(data["channels"].values()) == pytest.approx(loss["value"])  # the parts add up to the mean
    assert data["bridge"][-1]["value"] == pytest.approx(loss["value"])


def _table_row(text: str, label: str) -> list[str]:
    """The cells of the text table's row ``label`` (split at runs of two or more spaces)."""
    line = next(line for line in text.splitlines() if line.startswith(label))
    return [cell.strip() for cell in line[len(label):].split("  ") if cell.strip()]


def test_the_table_leads_with_the_mean_and_shows_the_modes_only_when_asked(gas_station):
    from estimator import Report, simulate
    from estimator.present.formatting import by_kind

    out = _run("gas_station", "--draws", "500")
    assert out.returncode == 0, out.stderr
    header = next(line for line in out.stdout.splitlines() if line.startswith("Headline"))
    assert header.split()[1:] == ["value", "(mean)", "P10", "P90"]
    mc = Report(gas_station.replace(draws=500)).mc
    for key, label in (("pv_revenue_loss", "Revenue lost by not fixing (present value)"),
                       ("npv_fix", "Net present value of the fix (profit)"),
                       ("customers_lost", "Customers lost vs the fix")):
        kind = "people" if key == "customers_lost" else "money"
        assert _table_row(out.stdout, label) == [by_kind(kind, v, "EUR") for v in (mc.value(key), *mc.band(key))]
    assert _table_row(out.stdout, "Payback month of the fix")[0] == f"month {mc.payback_month}"
    assert f"pays back in month {mc.payback_month}" in out.stdout
    at_modes = by_kind("money", simulate(gas_station).pv_revenue_loss, "EUR")
    title = "At the most likely values (one run, not the headline)"
    assert title not in out.stdout and at_modes not in out.stdout
    modes = _run("gas_station", "--draws", "500", "--modes").stdout
    assert modes.startswith(out.stdout.rstrip("\n"))  # the same report, and the run at the modes after it
    section = modes.split(title, 1)[1]
    assert _table_row(section, "  Revenue lost by not fixing (present value)") == [at_modes]


def test_a_fix_that_does_not_pay_gets_no_payback_month_in_the_text_or_json(tmp_path):
    from estimator import Report, load_preset, scenario_to_yaml
    from estimator.present.formatting import money

    costly = load_preset("hotel").replace(draws=2_000, fix_cost_per_month=6_000.0)
    path = tmp_path / "costly.yaml"
    path.write_text(scenario_to_yaml(costly))
    mc = Report(costly).mc
    assert not mc.fix_pays
    text = _run(str(path)).stdout
    assert f"It does not pay: it loses {money(-mc.value('npv_fix'))} net over 3 years" in text
    assert f"It would pay at up to {money(mc.break_even_cost_per_month)} a month." in text
    assert "pays back" not in text and _table_row(text, "Payback month of the fix") == ["not within the horizon"]
    payback = json.loads(_run(str(path), "--json").stdout)["headline"]["payback_month"]
    assert payback["value"] is None and payback["band"] is None and payback["p10"] is None
    assert payback["at_modes"] is None or isinstance(payback["at_modes"], float)  # the run at the modes, kept apart
    assert "It is worth" in _run("hotel", "--draws", "2000").stdout  # the hotel's own fix pays, just


def test_cli_accepts_a_scenario_file(tmp_path, gas_station):
    from estimator import scenario_to_yaml

    path = tmp_path / "mine.yaml"
    path.write_text(scenario_to_yaml(gas_station.replace(name="My station", draws=100)))
    out = _run(str(path))
    assert out.returncode == 0 and "My station" in out.stdout


def test_cli_reports_a_bad_preset_without_a_traceback():
    out = _run("no_such_preset")
    assert out.returncode == 2
    assert "unknown preset" in out.stderr and "Traceback" not in out.stderr


def test_cli_report_writes_one_png_and_svg_for_every_chart_in_the_list(tmp_path):
    from estimator import load_preset, scenario_to_yaml
    from estimator.present.figures import CHARTS
    from estimator.present.images import chromium_available
    from tests.browser import require

    require(chromium_available(), "Chromium", "apt-get install chromium")
    scenario = tmp_path / "small.yaml"
    scenario.write_text(scenario_to_yaml(load_preset("hotel").replace(draws=200)))
    out = subprocess.run([sys.executable, "-m", "estimator", "report", str(scenario), "--out", str(tmp_path / "d.pptx"),
                          "--images", str(tmp_path / "charts")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    written = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert written == sorted(f"{c.slug}.{fmt}" for c in CHARTS for fmt in ("png", "svg"))


def _one_line_error(out: subprocess.CompletedProcess[str]) -> str:
    assert out.returncode == 2, (out.returncode, out.stderr[-500:])
    assert "Traceback" not in out.stderr and out.stderr.count("\n") == 1, out.stderr
    assert out.stderr.startswith("error: ")
    return out.stderr


def test_special_files_are_refused_up_front(tmp_path):
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    assert "a FIFO" in _one_line_error(_run(str(fifo)))          # would wait forever
    assert "character device" in _one_line_error(_run(str(zero)))  # would never end
    assert "a directory" in _one_line_error(_run(str(folder)))
    assert "No such file" in _one_line_error(_run(str(tmp_path / "missing.yaml")))


def test_bad_output_paths_are_refused_before_any_work(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    assert "is a directory" in _one_line_error(_run("report", "hotel", "--out", str(folder)))
    assert "does not exist" in _one_line_error(_run("report", "hotel", "--out", str(tmp_path / "no" / "d.pptx")))
    deck = tmp_path / "d.pptx"
    (tmp_path / "file").write_text("x")
    assert "not a folder" in _one_line_error(_run("report", "hotel", "--out", str(deck), "--images", str(tmp_path / "file")))
    assert "does not exist" in _one_line_error(_run("report", "hotel", "--out", str(deck),
                                                    "--xlsx", str(tmp_path / "no" / "d.xlsx")))
    assert not deck.exists()  # nothing half-written


DRAWS_COMMANDS = {"summary": ["gas_station"], "report": ["report", "gas_station", "--out", "{tmp}/d.pptx"],
                  "fixes": ["fixes", "gas_station"],
                  "calibrate": ["calibrate", "gas_station", "--reviews",
                                str(ROOT / "docs" / "example_data" / "gas_station_reviews.csv")]}


@pytest.mark.parametrize("command", DRAWS_COMMANDS)
@pytest.mark.parametrize("draws", ["5", "0", "-1", str(10**9)])
def test_out_of_range_draws_are_one_plain_line_on_every_command(tmp_path, command, draws):
    """Every command that takes --draws answers a number out of range with the range, in one line, exit 2,
    and writes nothing."""
    args = [a.replace("{tmp}", str(tmp_path)) for a in DRAWS_COMMANDS[command]]
    message = _one_line_error(_run(*args, "--draws", draws))
    shown = f"{int(draws):,}"
    assert f"--draws {shown} is out of range: give 64 to 100,000" in message and "http" not in message, message
    assert list(tmp_path.iterdir()) == []


def test_the_draws_range_is_said_in_finnish_too():
    out = _run("gas_station", "--draws", "5", "--lang", "fi")
    assert out.returncode == 2 and out.stderr.count("\n") == 1, out.stderr
    # One line, its no-break spaces made plain (``user_message``).
    assert out.stderr.startswith("virhe: --draws 5 on sallitun alueen ulkopuolella: anna 64–100 000 (oletus 2 048")


def test_the_smallest_and_largest_draws_are_taken():
    from estimator.present.cli_common import MAX_DRAWS, MIN_DRAWS, checked_draws

    assert (MIN_DRAWS, MAX_DRAWS) == (64, 100_000)  # the model's own ceiling (the catalogue's bound)
    assert checked_draws(MIN_DRAWS) == MIN_DRAWS and checked_draws(MAX_DRAWS) == MAX_DRAWS
    out = _run("gas_station", "--json", "--draws", "64")
    assert out.returncode == 0 and json.loads(out.stdout)["draws"] == 64, out.stderr


def _strict(text: str):
    """JSON read by a strict parser: NaN, Infinity and -Infinity are not JSON."""
    def refuse(constant: str):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("preset", list_presets())
def test_json_is_strict_for_every_preset(preset):
    from tests.surfaces import run_cli

    code, out, err = run_cli([preset, "--json", "--draws", "1024"])
    assert code == 0, err
    data = _strict(out)
    assert data["scenario"] and data["headline"]["npv_fix"]["value"] is not None


def test_report_writes_the_format_its_out_names(tmp_path):
    from pypdf import PdfReader

    brief = tmp_path / "brief.pdf"
    out = _run("report", "gas_station", "--out", str(brief), "--draws", "1024")
    assert out.returncode == 0 and "wrote" in out.stdout, out.stderr
    assert brief.read_bytes().startswith(b"%PDF-") and len(PdfReader(brief).pages) == 1
    deck = tmp_path / "Deck.PPTX"
    assert _run("report", "gas_station", "--out", str(deck), "--draws", "1024").returncode == 0
    assert deck.read_bytes()[:2] == b"PK"  # a PowerPoint file (a zip), whatever the case of its suffix
    for name in ("x.docx", "x.pdf.txt", "deck"):
        message = _one_line_error(_run("report", "gas_station", "--out", str(tmp_path / name)))
        assert "must end in .pptx (the slide deck) or .pdf (the one-page brief)" in message, message
        assert not (tmp_path / name).exists()


def test_a_reader_that_stops_early_is_not_an_error():
    # The reader closes the pipe before the first line is printed, so every write meets a broken pipe.
    proc = subprocess.Popen([sys.executable, "-m", "estimator", "gas_station", "--draws", "200"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr


def test_calibrate_shows_the_loss_before_and_after_as_means_with_their_band():
    from estimator import calibrate, load_preset
    from estimator.present.formatting import money

    reviews = ROOT / "docs" / "example_data" / "gas_station_reviews.csv"
    out = _run("calibrate", "gas_station", "--reviews", str(reviews), "--draws", "64")
    assert out.returncode == 0, out.stderr
    cal = calibrate(load_preset("gas_station"), reviews=reviews.read_bytes(), names={"reviews": reviews.name},
                    loss_draws=64)
    assert "Revenue lost by not fixing (present value, mean of 64 draws)" in out.stdout
    header = next(line for line in out.stdout.splitlines() if "P10" in line)
    assert header.split() == ["value", "(mean)", "P10", "P90"]
    for label, loss in (("  before", cal.loss_before), ("  after", cal.loss_after)):
        assert _table_row(out.stdout, label) == [money(v) for v in (loss.mean, loss.p10, loss.p90)]
        assert money(loss.at_modes) not in out.stdout and money(loss.p50) not in out.stdout

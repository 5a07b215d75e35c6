"""``python -m estimator``: readable tables, JSON, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys

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
    from estimator import simulate

    out = _run("gas_station", "--json", "--draws", "200", "--seed", "3")
    data = json.loads(out.stdout)
    assert data["draws"] == 200 and data["seed"] == 3
    assert data["headline"]["pv_revenue_loss"]["deterministic"] == simulate(gas_station).pv_revenue_loss
    assert sum(data["channels"].values()) == __import__("pytest").approx(simulate(gas_station).pv_revenue_loss)


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


def test_out_of_range_draws_are_one_plain_line():
    message = _one_line_error(_run("gas_station", "--draws", "0"))
    assert "draws = 0 is outside the allowed range 1 to 100,000" in message and "http" not in message


def test_a_reader_that_stops_early_is_not_an_error():
    # The reader closes the pipe before the first line is printed, so every write meets a broken pipe.
    proc = subprocess.Popen([sys.executable, "-m", "estimator", "gas_station", "--draws", "200"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr

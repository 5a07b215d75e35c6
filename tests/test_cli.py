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

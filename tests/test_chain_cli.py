"""``python -m estimator chain``: the JSON the issue names, the same numbers as the model, files written,
mistakes in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from estimator import load_preset
from estimator.present.chain_files import read_outlets
from estimator.model.chain.example import HEADER, example_csv
from estimator.model.chain.run import fix_first, run_chain
from estimator.present.cli import main

ROOT = Path(__file__).resolve().parents[1]
DRAWS = "256"


@pytest.fixture(scope="module")
def outlets(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("chain") / "stations.csv"
    blanks = "," * (len(HEADER) - 3)
    path.write_text(example_csv(9) + f"BAD,Broken row,{blanks}\nST001,Twice,100{blanks}\n", encoding="utf-8")
    return path


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "estimator", "chain", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)


def test_json_has_every_outlet_and_the_chains_totals_as_the_model_gives_them(outlets, capsys):
    assert main(["chain", str(outlets), "--preset", "gas_station", "--json", "--draws", DRAWS]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    expected = run_chain(read_outlets(outlets.read_bytes(), outlets.name, load_preset("gas_station")), draws=256)
    assert [o["id"] for o in data["outlets"]] == [o.id for o in expected.outlets]
    for got, want in zip(data["outlets"], expected.outlets):
        assert set(got) >= {"id", "name", "value", "npv", "chance_pays_off", "payback_month", "rank"}
        assert got["value"] == {"mean": want.value.mean, "p10": want.value.p10, "p90": want.value.p90}
        assert got["npv"]["mean"] == want.npv.mean and got["rank"] == want.rank
        assert got["chance_pays_off"] == want.chance_pays_off and got["payback_month"] == want.payback_month
    chain = data["chain"]
    assert chain["value"] == {"mean": expected.value.mean, "p10": expected.value.p10, "p90": expected.value.p90}
    assert chain["npv"]["mean"] == expected.npv.mean and chain["chance_pays_off"] == expected.chance_pays_off
    assert len(data["rows_left_out"]) == 1 and "row 12" in data["rows_left_out"][0]
    assert "row 12" in err and "row 11" not in err  # the left-out row is named on standard error


def test_a_budget_chooses_as_fix_first_does(outlets, capsys):
    assert main(["chain", str(outlets), "--json", "--draws", DRAWS, "--budget-once", "9000"]) == 0
    data = json.loads(capsys.readouterr().out)
    result = run_chain(read_outlets(outlets.read_bytes(), outlets.name, load_preset("gas_station")), draws=256)
    assert data["fix_first"] == [o.id for o in fix_first(result.outlets, 9000.0, None)]
    assert 0 < len(data["fix_first"]) <= 3  # the preset's one-off cost is 3,000 an outlet


def test_the_table_shows_the_top_outlets_and_the_totals(outlets, capsys):
    assert main(["chain", str(outlets), "--draws", DRAWS, "--top", "3"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip()[:2].strip().isdigit()]
    assert [line.split()[0] for line in lines[:3]] == ["1", "2", "3"]
    assert "The chain, 10 outlets" in out and "Fix these first" in out


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".pptx"])
def test_out_writes_the_ranked_outlets(outlets, tmp_path, suffix, capsys):
    target = tmp_path / f"ranked{suffix}"
    assert main(["chain", str(outlets), "--draws", DRAWS, "--out", str(target)]) == 0
    data = target.read_bytes()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(target).worksheets[0]
        assert sheet.max_row == 11 and sheet.cell(2, 1).value == 1  # header + 10 outlets, rank 1 first
    elif suffix == ".csv":
        assert data.startswith(b"\xef\xbb\xbfRank,Id,") and data.count(b"\n") == 11
    else:
        assert data[:2] == b"PK"


def test_finnish_says_the_chain_in_finnish(outlets, capsys):
    assert main(["chain", str(outlets), "--draws", DRAWS, "--lang", "fi", "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert "toimipaikan ketju" in out and "Korjaa nämä ensin" in out


@pytest.mark.parametrize("args, words", [
    (["missing.csv"], "cannot read"),
    (["{outlets}", "--preset", "no_such_preset"], "unknown preset"),
    (["{outlets}", "--out", "ranked.txt"], "must end in .xlsx, .csv or .pptx"),
    (["{outlets}", "--draws", "5"], "out of range"),
    (["{outlets}", "--budget-once", "-3"], "at least 0"),
    (["/dev/zero"], "not a regular file"),
    (["{outlets}", "--scheduler", "tcp://127.0.0.1:9"], "could not run on the cluster"),
])
def test_mistakes_are_one_line_and_exit_code_2(outlets, args, words):
    extra = ["--draws", DRAWS] if "--draws" not in args else []
    done = run(*[a.replace("{outlets}", str(outlets)) for a in args], *extra)
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if not line.startswith("left out: ")]
    assert len(errors) == 1 and words in errors[0], done.stderr
    assert "Traceback" not in done.stderr

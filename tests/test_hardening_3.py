"""Hostile input, round 3: each break found by attacking the tool as a hostile visitor would, with a test
that fails without its fix (issue "many visitors", hardening round 3)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimator.model.own_data.tables import OwnDataError
from estimator.model.own_data.records import MAX_SURVEY_COUNT, read_survey

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "estimator", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=timeout)


def one_line_error(done: subprocess.CompletedProcess, words: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert words in done.stderr, done.stderr


@pytest.mark.parametrize("count", ["1e308", "1" + "0" * 300, str(MAX_SURVEY_COUNT + 1)])
def test_an_absurd_survey_count_is_refused_by_row_and_column(count):
    """1e308 answers overflowed the posteriors (an OverflowError that took the Your data tab's cards with it)."""
    with pytest.raises(OwnDataError) as caught:
        read_survey(f"answer,count\nsatisfied,{count}\ndissatisfied,5\n".encode(), "survey.csv")
    assert "survey.csv, row 2, column 'count'" in str(caught.value) and "more answers than any survey" in str(
        caught.value)
    assert read_survey(f"answer,count\nsatisfied,{MAX_SURVEY_COUNT}\ndissatisfied,5\n".encode(), "s.csv").respondents


def test_calibrate_with_an_absurd_survey_is_one_line(tmp_path):
    survey = tmp_path / "survey.csv"
    survey.write_text("answer,count\nsatisfied,1e308\ndissatisfied,1e308\n")
    one_line_error(run("calibrate", "gas_station", "--survey", str(survey), "--out", str(tmp_path / "c.yaml")),
                   "more answers than any survey")


def test_an_output_name_too_long_for_the_file_system_is_one_line(tmp_path):
    long = "a" * 300
    for option, target in (("--out", f"{long}.pptx"), ("--xlsx", f"{long}.xlsx"), ("--images", long)):
        extra = [] if option == "--out" else ["--out", str(tmp_path / "deck.pptx")]
        one_line_error(run("report", "hotel", *extra, option, str(tmp_path / target)), "bytes long")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes (POSIX)")
def test_an_output_that_is_a_pipe_is_refused_before_any_work(tmp_path):
    """A FIFO named deck.pptx: the deck was built, then writing it blocked forever."""
    fifo = tmp_path / "deck.pptx"
    os.mkfifo(fifo)
    one_line_error(run("report", "hotel", "--out", str(fifo), timeout=60), "not a regular file")


@pytest.mark.parametrize("args, words", [(["--agents", "2000000"], "at most 200,000"),
                                         (["--replications", "100000000"], "at most 1,000")])
def test_network_check_is_bounded(args, words):
    one_line_error(run("network-check", "gas_station", *args, timeout=60), words)


def test_a_story_retold_without_end_is_refused_by_the_network_check(tmp_path):
    scenario = tmp_path / "loud.yaml"
    scenario.write_text("name: Loud\ncurrency: EUR\nparameters:\n  tell_unhappy: 1000\n  retell_prob: 1\n")
    one_line_error(run("network-check", str(scenario), timeout=60), "tellings")


def test_a_static_table_shows_a_hostile_source_as_text(monkeypatch):
    """``st.table`` renders Markdown: a scenario's source could load an image from another host and show a
    phishing link on the Method tab."""
    import streamlit as st

    from estimator.app.widgets import static_table

    hostile = "![t](http://127.0.0.1:8999/pixel.png) [Session expired: sign in again](http://127.0.0.1:8999/login)"
    shown: list[pd.DataFrame] = []
    monkeypatch.setattr(st, "table", shown.append)
    static_table(pd.DataFrame({"Source": [hostile], "Value": [3.0]}, index=pd.Index(["[x](http://a)"], name="Name")))
    cell, label = shown[0]["Source"].iloc[0], shown[0].index[0]
    for text in (cell, label):
        assert "](" not in text and "\\]\\(" in text
    assert "\\!\\[" in cell and shown[0]["Value"].iloc[0] == 3.0


def test_an_output_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    """Outputs go through a temporary file renamed over the target: a failure midway leaves the old file as it
    was and no part file behind."""
    from estimator.present import cli_common

    target = tmp_path / "deck.pptx"
    target.write_bytes(b"the old deck")
    cli_common.write_atomically(target, b"the new deck")
    assert target.read_bytes() == b"the new deck" and [p.name for p in tmp_path.iterdir()] == ["deck.pptx"]

    def broken(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli_common.os, "replace", broken)
    with pytest.raises(OSError):
        cli_common.write_atomically(target, b"x" * 1000)
    assert target.read_bytes() == b"the new deck" and [p.name for p in tmp_path.iterdir()] == ["deck.pptx"]


def test_the_command_line_writes_its_outputs_through_the_atomic_writer(tmp_path, monkeypatch):
    from estimator.present import cli, cli_common

    written = []
    real = cli_common.write_atomically
    monkeypatch.setattr(cli, "write_atomically", lambda path, data: (written.append(path.name), real(path, data)))
    assert cli.main(["report", "folklore", "--draws", "64", "--out", str(tmp_path / "d.pptx"),
                     "--xlsx", str(tmp_path / "d.xlsx")]) == 0
    assert written == ["d.pptx", "d.xlsx"] and (tmp_path / "d.pptx").stat().st_size > 10_000


def test_a_file_of_blank_lines_is_refused_at_once():
    """A 10 MB file of blank lines held a visitor's computing slot for seconds, line by line."""
    import time

    from estimator.model.own_data.tables import MAX_LINES, read_table

    started = time.perf_counter()
    with pytest.raises(OwnDataError) as caught:
        read_table(b"date,stars\n" + b"\n" * (MAX_LINES + 10), "blank.csv")
    assert "mostly blank lines" in str(caught.value) and time.perf_counter() - started < 5
    table = read_table(b"date,stars\n" + b"\n" * 1000 + b"2026-01-05,4\n", "few.csv")
    assert table.rows == (("2026-01-05", "4"),) and table.row_numbers == (1002,)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab,;"\r\n \t')), max_size=80))
def test_lines_are_read_as_a_file_opened_with_universal_newlines_would_give_them(text):
    import io

    from estimator.model.own_data.tables import _lines

    assert list(_lines(text)) == io.StringIO(text, newline="").readlines()


def test_a_table_keeps_only_the_columns_its_reader_asks_for_and_still_checks_every_row():
    from estimator.model.own_data.records import read_reviews
    from estimator.model.own_data.tables import OwnDataError, read_table

    data = b"Review date,Stars,Text\n2026-01-02,4,a long review\n2026-01-03,2,another\n"
    table = read_table(data, "r.csv", keep=("review date", "stars"))
    assert table.header == ("Review date", "Stars", "Text")
    assert table.rows == (("2026-01-02", "4", ""), ("2026-01-03", "2", ""))
    assert read_table(data, "r.csv").rows[0][2] == "a long review"  # by default every column is kept
    with pytest.raises(OwnDataError, match="row 4"):  # a short row is refused whichever columns are kept
        read_table(data + b"2026-01-04\n", "r.csv", keep=("stars",))
    reviews = read_reviews(data, "r.csv")
    assert reviews.stars.tolist() == [4.0, 2.0] and reviews.info.columns == {"date": "Review date", "stars": "Stars"}


def test_uploads_are_read_one_visitor_at_a_time_and_the_turn_is_given_back():
    import threading
    import time

    from estimator.app import own_data

    order: list[str] = []
    assert own_data._READING.acquire(blocking=False)  # another visitor's files are being read

    def second_visitor() -> None:
        with own_data.reading_turn():
            order.append("second")

    waiting = threading.Thread(target=second_visitor)
    waiting.start()
    time.sleep(0.3)
    order.append("first")
    own_data._READING.release()
    waiting.join(timeout=10)
    assert order == ["first", "second"]
    assert own_data._READING.acquire(blocking=False)  # the second visitor gave the turn back
    own_data._READING.release()

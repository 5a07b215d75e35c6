"""Progress on long runs: the command line's bar on a terminal only, the Monte Carlo's progress callback."""

from __future__ import annotations

import io
import sys

from estimator import load_preset, monte_carlo
from estimator.model.engine.chunks import CHUNK_DRAWS
from estimator.present import cli_common


def test_the_monte_carlo_tells_its_progress_chunk_by_chunk_without_changing_a_number():
    p = load_preset("gas_station")
    seen: list[tuple[int, int]] = []
    with_bar = monte_carlo(p, draws=3 * CHUNK_DRAWS + 7, seed=4, progress=lambda done, total: seen.append((done, total)))
    without = monte_carlo(p, draws=3 * CHUNK_DRAWS + 7, seed=4)
    assert [done for done, _ in seen] == [CHUNK_DRAWS, 2 * CHUNK_DRAWS, 3 * CHUNK_DRAWS, 3 * CHUNK_DRAWS + 7]
    assert {total for _, total in seen} == {3 * CHUNK_DRAWS + 7}
    assert with_bar.value("npv_fix") == without.value("npv_fix")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_shows_on_a_terminal_for_a_long_run_and_never_in_a_pipe_or_json(monkeypatch):
    long = load_preset("gas_station").replace(draws=100_000, horizon_months=120)
    short = load_preset("gas_station")
    monkeypatch.setattr(sys, "stderr", io.StringIO())      # a pipe
    assert cli_common.progress_bar(long) is None
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli_common.progress_bar(long, quiet=True) is None  # --json
    assert cli_common.progress_bar(short) is None             # about 50 ms: no bar
    tell = cli_common.progress_bar(long)
    tell(50_000, 100_000)
    tell(100_000, 100_000)
    assert "Simulating" in terminal.getvalue() and "/100000" in terminal.getvalue()  # shown, then cleared when done

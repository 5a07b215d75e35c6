"""A chain of outlets (MODEL.md §23): outlets read from a table, run on common draws, the same numbers
wherever they run, totals whose band is that of the per-draw sum."""

from __future__ import annotations

import io
import os
from dataclasses import astuple
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from estimator import load_preset, monte_carlo
from estimator.model.chain import run as chain_run
from estimator.present.chain_files import read_outlets
from estimator.model.chain.example import example_csv
from estimator.model.chain.run import fix_first, run_chain
from estimator.model.own_data.tables import OwnDataError
from estimator.model.own_data.posteriors import beta_share

ROOT = Path(__file__).resolve().parents[1]
DRAWS = 512


@pytest.fixture(scope="module")
def gas():
    return load_preset("gas_station")


def table(text: str, base, name: str = "outlets.csv"):
    return read_outlets(text.encode("utf-8"), name, base)


def test_a_chain_of_one_outlet_is_the_single_outlet_scenario(gas):
    """No facts of its own: the outlet is the chain's scenario, and its figures are the Monte Carlo's bit for bit."""
    result = run_chain(table("id,name\nA,Alone\n", gas))
    mc = monte_carlo(gas)
    outlet = result.outlets[0]
    assert outlet.value == mc.headline["pv_revenue_loss"]
    assert outlet.npv == mc.headline["npv_fix"]
    assert outlet.chance_pays_off == mc.chance_fix_pays_off
    assert outlet.payback_month == mc.payback_month
    assert result.value == outlet.value and result.npv == outlet.npv


def test_an_outlets_facts_are_known_and_replace_the_chains(gas):
    """Its facts replace the chain's values and lose their ranges: the same as that scenario run alone."""
    uncertain = gas.uncertain("customers", 2000.0, 3000.0)
    result = run_chain(table("id,customers,spend_per_visit,margin\nB,4 000,40,30 %\n", uncertain), draws=DRAWS)
    alone = monte_carlo(uncertain.replace(customers=4000.0, spend_per_visit=40.0, gross_margin=0.3).known("customers"),
                        draws=DRAWS)
    assert result.outlets[0].value == alone.headline["pv_revenue_loss"]
    assert result.outlets[0].npv == alone.headline["npv_fix"]


def test_counts_calibrate_the_outlets_rate_and_a_written_rate_moves_the_chains_range(gas):
    outlets = table("id,bad visits,visits checked,bad_visit_rate\nA,4,400,\nB,,,0.02\n", gas).outlets
    estimate = beta_share(4, 400)
    a, b = outlets[0].params, outlets[1].params
    assert a.bad_visit_rate == estimate.mode
    assert a.ranges["bad_visit_rate"] == (min(estimate.low, estimate.mode), max(estimate.high, estimate.mode))
    assert a.grades["bad_visit_rate"] == "measured" and "4 of 400" in a.sources["bad_visit_rate"]
    low, high = gas.ranges["bad_visit_rate"]
    assert b.bad_visit_rate == 0.02 and b.ranges["bad_visit_rate"] == gas.replace(bad_visit_rate=0.02).ranges["bad_visit_rate"]
    assert b.ranges["bad_visit_rate"] != (low, high)


def test_the_chain_total_is_the_sum_of_its_outlets_and_the_ranks_follow_the_mean_npv(gas):
    result = run_chain(table(example_csv(12), gas), draws=DRAWS)
    assert result.value.mean == pytest.approx(sum(o.value.mean for o in result.outlets), rel=1e-12)
    assert result.npv.mean == pytest.approx(sum(o.npv.mean for o in result.outlets), rel=1e-12)
    npvs = [o.npv.mean for o in result.outlets]
    assert npvs == sorted(npvs, reverse=True)
    assert [o.rank for o in result.outlets] == list(range(1, 13))


def test_common_draws_make_the_chains_band_scale_with_its_size(gas):
    """N identical outlets move together: the chain's P10-P90 is N times one outlet's, far wider than the
    band of N independent outlets (about the square root of N times), which common draws rule out."""
    n = 4
    rows = "id\n" + "\n".join(f"S{i}" for i in range(n))
    result = run_chain(table(rows, gas), draws=DRAWS)
    one = result.outlets[0].value
    assert result.value.p10 == pytest.approx(n * one.p10, rel=1e-12)
    assert result.value.p90 == pytest.approx(n * one.p90, rel=1e-12)
    independent = sum(monte_carlo(gas, draws=DRAWS, seed=seed, design="random").samples["pv_revenue_loss"]
                      for seed in range(n))
    width_independent = np.subtract(*np.quantile(independent, [0.9, 0.1]))
    assert result.value.p90 - result.value.p10 > 1.5 * width_independent


def test_an_outlets_figures_do_not_depend_on_the_blocks_it_runs_in(gas, monkeypatch):
    text = example_csv(10)
    big = run_chain(table(text, gas), draws=DRAWS, engine="here")
    monkeypatch.setattr(chain_run, "BLOCK_LANES", DRAWS * 3)  # blocks of 3 outlets instead of 10
    small = run_chain(table(text, gas), draws=DRAWS, engine="here")
    assert [astuple(o) for o in big.outlets] == [astuple(o) for o in small.outlets]
    assert small.value.mean == pytest.approx(big.value.mean, rel=1e-12)


def test_worker_processes_give_the_same_numbers_bit_for_bit(gas, monkeypatch):
    monkeypatch.setattr(chain_run, "BLOCK_LANES", DRAWS * 2)
    outlets = table(example_csv(7), gas)
    here = run_chain(outlets, draws=DRAWS, engine="here")
    processes = run_chain(outlets, draws=DRAWS, engine="processes")
    assert processes.engine == "processes"
    assert [astuple(o) for o in here.outlets] == [astuple(o) for o in processes.outlets]
    assert (here.value, here.npv, here.chance_pays_off, here.payback_month) == \
        (processes.value, processes.npv, processes.chance_pays_off, processes.payback_month)


@pytest.fixture
def environment_kept():
    """A local Dask cluster leaves its workers' settings in this process's environment
    (``MALLOC_TRIM_THRESHOLD_``, thread counts, ``PYTHONHASHSEED``), and every later subprocess would
    inherit them (a memory test then measured glibc with its thresholds fixed): put it back."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def test_a_dask_cluster_gives_the_same_numbers_as_the_embedded_run(gas, environment_kept):
    """Two worker processes of a local Dask cluster, by client and by the scheduler's address."""
    distributed = pytest.importorskip("distributed")
    outlets = table(example_csv(20), gas)
    here = run_chain(outlets, draws=DRAWS, engine="here")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            by_client = run_chain(outlets, draws=DRAWS, scheduler=client)
        by_address = run_chain(outlets, draws=DRAWS, scheduler=cluster.scheduler_address)
    for result in (by_client, by_address):
        assert result.engine == "dask"
        assert [astuple(o) for o in result.outlets] == [astuple(o) for o in here.outlets]
        assert (result.value, result.npv, result.payback_month) == (here.value, here.npv, here.payback_month)


def test_bad_rows_are_named_by_row_and_column_and_the_rest_is_used(gas):
    text = ("id;name;customers;gross margin;bad visits;visits checked;market size\n"
            "A;Good;2 500;0,25;;;20 000\n"
            ";No id;2 500;0,25;;;\n"
            "C;Bad number;lots;0,25;;;\n"
            "A;Same id;2 500;0,25;;;\n"
            "E;Margin over one;2 500;1,5;;;\n"
            "F;Counts alone;2 500;0,25;3;;\n"
            "G;More bad than checked;2 500;0,25;50;40;\n"
            "H;Market below customers;30 000;0,25;;;20 000\n"
            "I;Also good;1 000;25 %;2;300;\n")
    read = table(text, gas)
    assert [o.id for o in read.outlets] == ["A", "I"]
    assert read.outlets[1].params.gross_margin == 0.25
    problems = read.problems
    assert len(problems) == 7
    for row, column in ((3, "id"), (4, "customers"), (5, "id"), (6, "gross margin"), (7, "bad visits"),
                        (8, "bad visits"), (9, "market size")):
        assert any(p.startswith(f"outlets.csv, row {row}, column '{column}'") for p in problems), (row, problems)
    assert "row 2" in next(p for p in problems if "row 5" in p)  # the id's first row is named


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"name,customers\nA,100\n", "no column names the outlets"),
    (b"id,customers\n,100\n", "no outlet could be used"),
    (b"PK\x03\x04not really a workbook", "not a readable Excel workbook"),
    (b"\x00\x01\x02binary" * 10, "binary"),
])
def test_a_file_that_cannot_be_a_chain_gets_one_clear_line(gas, data, words):
    with pytest.raises(OwnDataError) as caught:
        read_outlets(data, "outlets.csv", gas)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_a_workbook_reads_as_its_csv(gas):
    import pandas as pd

    text = example_csv(6)
    buffer = io.BytesIO()
    pd.read_csv(io.StringIO(text), dtype=str).to_excel(buffer, index=False)
    from_csv, from_xlsx = table(text, gas), read_outlets(buffer.getvalue(), "outlets.xlsx", gas)
    assert [(o.id, o.name, o.region, o.row) for o in from_csv.outlets] == \
        [(o.id, o.name, o.region, o.row) for o in from_xlsx.outlets]
    assert [o.params for o in from_csv.outlets] == [o.params for o in from_xlsx.outlets]


def test_the_shipped_example_is_the_generators():
    assert (ROOT / "docs/example_data/stations_120.csv").read_text(encoding="utf-8") == example_csv()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(npv=st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=12),
       costs=st.lists(st.tuples(st.floats(0, 1e5), st.floats(0, 1e4)), min_size=12, max_size=12),
       budget_once=st.one_of(st.none(), st.floats(0, 3e5)), budget_month=st.one_of(st.none(), st.floats(0, 3e4)))
def test_fix_first_stays_within_the_budget_and_takes_only_fixes_that_pay(npv, costs, budget_once, budget_month):
    from estimator.model.engine.percentiles import Summary

    outlets = [chain_run.OutletResult(f"o{i}", f"O{i}", "", i + 2, 1.0, Summary(0, 0, 0, 0), Summary(0, 0, 0, v), 0.5,
                                      None, once + 36 * month, once, month) for i, (v, (once, month)) in
               enumerate(zip(npv, costs))]
    chosen = fix_first(outlets, budget_once, budget_month)
    assert all(o.npv.mean > 0 for o in chosen)
    assert sum(o.fix_cost_once for o in chosen) <= (np.inf if budget_once is None else budget_once + 1e-6)
    assert sum(o.fix_cost_per_month for o in chosen) <= (np.inf if budget_month is None else budget_month + 1e-6)
    if budget_once is None and budget_month is None:
        assert {o.id for o in chosen} == {o.id for o in outlets if o.npv.mean > 0}
    else:  # nothing left out that paid and still fit what the chosen left of the budget
        left_once = (np.inf if budget_once is None else budget_once) - sum(o.fix_cost_once for o in chosen)
        left_month = (np.inf if budget_month is None else budget_month) - sum(o.fix_cost_per_month for o in chosen)
        assert not [o for o in outlets if o.npv.mean > 0 and o not in chosen
                    and o.fix_cost_once <= left_once and o.fix_cost_per_month <= left_month]


def test_every_message_of_the_outlets_table_can_be_said_in_finnish():
    """Each template filled with values of its kind and said in Finnish (a format spec the Finnish keeps
    on a value already written the Finnish way would raise)."""
    import string

    from estimator.model.chain import outlets as chain
    from estimator.model.inputs.text import Text
    from estimator.present import i18n

    for template in chain.TEXTS:
        fields = {name: (7 if spec else "x") for _, name, spec, _ in string.Formatter().parse(template) if name}
        with i18n.use("fi"):
            said = i18n.say(Text(template, **fields))
        assert said and said != Text(template, **fields), template

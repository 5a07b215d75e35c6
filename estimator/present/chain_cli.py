"""``python -m estimator chain OUTLETS.csv --preset P [--scheduler ADDRESS] [--json] [--out FILE]``.

A chain of outlets (MODEL.md §23): the table's outlets, each with its own business facts, under the
chain's behavioural assumptions (a preset or a scenario file), simulated on common draws and ranked by
the fix's mean net present value, with the chain's totals and their bands. It runs here (on this
machine's cores for a big chain) or on a Dask cluster (``--scheduler tcp://HOST:PORT``): the numbers
are the same wherever it runs. ``--out`` writes the ranked outlets as .xlsx or .csv, or slides as
.pptx. Mistakes (an unknown preset, a file that cannot be read, a cluster that cannot be reached) are
one line with exit code 2; rows that cannot be used are named on standard error and left out.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..model.chain.run import run_chain
from ..model.own_data.tables import MAX_OWN_DATA_BYTES
from ..model.scenarios import file_texts
from ..model.scenarios.scenario_files import ScenarioError, list_presets, load_preset, read_regular_file
from . import i18n
from .chain_files import read_outlets
from .chain_tables import chain_data, chosen_within, csv_bytes, first_totals, ranked_rows, totals_lines, workbook_bytes
from .cli_common import (
    Parser,
    UsageError,
    add_language,
    budget_amount,
    checked_draws,
    could_not_write,
    fail,
    parse_in_language,
    user_message,
    writable_file,
    write_atomically,
)
from .formatting import money
from .i18n import say, t

OUTPUTS = (".xlsx", ".csv", ".pptx")


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m estimator chain",
        description=t(
            "A chain of outlets: each outlet's revenue lost by not fixing and the fix's net present "
            "value under the chain's assumptions, on common draws, ranked, with the chain's totals."
        ),
    )
    parser.add_argument("outlets", help=t("the outlets table (.csv or .xlsx): id, name, region and business facts"))
    parser.add_argument(
        "--preset",
        default="gas_station",
        help=t(
            "the chain's assumptions: preset name ({presets}) or path to a .yaml scenario file",
            presets=", ".join(list_presets()),
        ),
    )
    parser.add_argument(
        "--scheduler", metavar="ADDRESS", help=t("run on a Dask cluster: its scheduler's address (tcp://HOST:PORT)")
    )
    parser.add_argument("--json", action="store_true", help=t("print JSON instead of tables"))
    parser.add_argument(
        "--out", metavar="FILE", help=t("also write the ranked outlets (.xlsx or .csv) or slides (.pptx)")
    )
    parser.add_argument("--top", type=int, default=20, help=t("outlets shown in the table (default 20)"))
    parser.add_argument("--budget-once", metavar="X", help=t("most the outlets fixed first may cost once"))
    parser.add_argument("--budget-per-month", metavar="Y", help=t("most the outlets fixed first may cost a month"))
    parser.add_argument("--draws", type=int, help=t("Monte Carlo draws (default: the scenario's)"))
    parser.add_argument("--seed", type=int, help=t("random seed (default: the scenario's)"))
    add_language(parser)
    return parser


def _out_path(text: str | None) -> Path | None:
    if text is None:
        return None
    path = writable_file(text, "--out")
    if path.suffix.lower() not in OUTPUTS or len(path.name) > 255:
        raise UsageError(t("--out '{path}' must end in .xlsx, .csv or .pptx", path=str(path)[:80]))
    return path


def _table(rows: list[list[str]]) -> list[str]:
    """Rows as aligned text: the outlet and region left-aligned, figures right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(w) if i in (1, 2) else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))
        ).rstrip()
        for row in rows
    ]


def render(result, first, top: int) -> str:  # noqa: ANN001 (ChainResult, chosen outlets)
    """The ranked table, the chain's totals and the outlets to fix first, as text in the reader's language."""
    cur = result.params.currency
    out = [
        t(
            "A chain of {count} outlets under {scenario} ({draws} draws, seed {seed}, common to every outlet)",
            count=len(result.outlets),
            scenario=say(result.params.name),
            draws=result.draws,
            seed=result.seed,
        ),
        t("Every figure is the mean of the draws, with P10 and P90 from the same draws."),
        "",
        t("Outlets ranked by the fix's net present value (top {top}):", top=min(top, len(result.outlets))),
        *_table(ranked_rows(result, top)),
        "",
        *totals_lines(result),
        "",
    ]
    if first:
        npv, _, _ = first_totals(first)
        out.append(
            t(
                "Fix these first ({count}, worth {value} net): {ids}",
                count=len(first),
                value=money(npv, cur, True),
                ids=", ".join(o.id for o in first[:30]) + (" …" if len(first) > 30 else ""),
            )
        )
    else:
        out.append(t("At these costs the fix pays at no outlet within the budget."))
    return "\n".join(out)


def _write(path: Path, result, first) -> None:  # noqa: ANN001
    suffix = path.suffix.lower()
    if suffix == ".pptx":
        from .deck_chain import chain_deck_bytes

        data = chain_deck_bytes(result, first)
    else:
        data = workbook_bytes(result, first) if suffix == ".xlsx" else csv_bytes(result, first)
    write_atomically(path, data)


def chain_main(argv: list[str]) -> int:
    """Entry point of ``python -m estimator chain``; returns the exit code."""
    args = parse_in_language(_parser, argv, lambda exc: user_message(exc))
    if isinstance(args, int):
        return args
    with i18n.use(args.lang):
        try:
            checked_draws(args.draws)
            if not 1 <= args.top <= 100_000:
                raise UsageError(t("--top must be 1 to 100,000 (got {top})", top=args.top))
            once = budget_amount(args.budget_once, "--budget-once")
            monthly = budget_amount(args.budget_per_month, "--budget-per-month")
            out = _out_path(args.out)
            base = load_preset(args.preset)
            path = Path(args.outlets)
            table = read_outlets(read_regular_file(path, MAX_OWN_DATA_BYTES, file_texts.DATA_FILE), path.name, base)
        except (UsageError, ScenarioError, ValueError) as exc:
            return fail(user_message(exc))
        for problem in table.problems:
            print(t("left out: {problem}", problem=say(problem)), file=sys.stderr)
        try:
            result = run_chain(table, draws=args.draws, seed=args.seed, scheduler=args.scheduler)
        except Exception as exc:  # noqa: BLE001 (only a cluster's failures are caught: here nothing else raises)
            if args.scheduler is None:
                raise
            return fail(
                t(
                    "could not run on the cluster at {address}: {reason}",
                    address=args.scheduler,
                    reason=" ".join(str(exc).split())[:200],
                )
            )
        first = chosen_within(result, once, monthly)
        text = (
            json.dumps(chain_data(result, first), indent=2, allow_nan=False)
            if args.json
            else render(result, first, args.top)
        )
        if out is not None:
            try:
                _write(out, result, first)
            except OSError as exc:
                print(could_not_write(exc), file=sys.stderr)
                return 3
        try:
            print(text)
            sys.stdout.flush()
        except BrokenPipeError:  # the reader stopped early (``| head``): not an error of ours
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        if out is not None and not args.json:
            print(t("wrote {path}", path=out), file=sys.stderr)
        return 0

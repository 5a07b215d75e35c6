"""``python -m estimator calibrate BASE [--reviews FILE] [--complaints FILE] [--survey FILE] ...``

Calibrates a preset or scenario file from the business's own data (``estimator.model.own_data.calibration``)
and prints what each file said, each value before and after with the data behind it, the checks,
and the loss before and after (its mean over the draws, as every surface shows it, with P10 and P90;
JSON keeps every statistic); ``--out`` writes the calibrated scenario file (checked before any work,
written whole or not at all). Every mistake is one line on stderr with exit code 2. The text is in
the language ``--lang`` asks for; JSON and the scenario file stay English.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..model.own_data.calibration import Calibration, Change, LossSummary, calibrate
from ..model.own_data.tables import MAX_OWN_DATA_BYTES
from ..model.scenarios.scenario_files import (
    ScenarioError,
    list_presets,
    load_preset,
    read_regular_file,
    scenario_to_yaml,
)
from . import i18n
from .cli_common import (
    Parser,
    UsageError,
    add_language,
    checked_draws,
    could_not_write,
    fail,
    parse_in_language,
    user_message,
    writable_file,
    write_atomically,
)
from .formatting import money, people, value_with_range
from .i18n import say, t


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m estimator calibrate",
        description=t(
            "Calibrate a scenario from the business's own data: a reviews export, a complaint log "
            "and a customer survey (CSV). Calibrated values are graded measured, with a source line "
            "naming the file, its rows and its period."
        ),
    )
    parser.add_argument(
        "base", help=t("preset name ({presets}) or path to a .yaml scenario file", presets=", ".join(list_presets()))
    )
    parser.add_argument("--reviews", help=t("reviews export (CSV with a date and a stars column)"))
    parser.add_argument("--complaints", help=t("complaint log (CSV with a date and an optional outcome column)"))
    parser.add_argument("--survey", help=t("customer survey: counts, one row per respondent, or NPS scores (CSV)"))
    parser.add_argument("--customers", type=int, help=t("the business's own count of regular customers"))
    parser.add_argument("--visits-per-month", type=float, help=t("the business's own visits per customer a month"))
    parser.add_argument("--out", help=t("write the calibrated scenario file here (.yaml)"))
    parser.add_argument("--json", action="store_true", help=t("print JSON instead of text"))
    parser.add_argument("--draws", type=int, help=t("Monte Carlo draws for the loss (default: the scenario's)"))
    add_language(parser)
    return parser


def _grade(grade: str) -> str:
    """A value's grade in the reader's language (the grade itself is stored in English)."""
    return {"published": t("published"), "measured": t("measured"), "assumption": t("assumption")}.get(grade, grade)


def _value(change: Change, after: bool) -> str:
    value, rng, grade = (
        (change.after, change.after_range, change.after_grade)
        if after
        else (change.before, change.before_range, change.before_grade)
    )
    return f"{value_with_range(change.unit, value, rng)}, {_grade(grade)}"


def _loss_row(label: str, loss: LossSummary, currency: str) -> str:
    """One row of the loss before or after: its mean over the draws, then P10 and P90."""
    cells = [money(v, currency) for v in (loss.mean, loss.p10, loss.p90)]
    return f"  {label:8s} " + " ".join(f"{c:>16s}" for c in cells)


def render(cal: Calibration, base_name: str) -> str:
    """The calibration as plain text, in the reader's language."""
    cur = cal.params.currency
    out = [
        t("Calibrated {base} ({name}) from the business's own data", base=base_name, name=say(cal.base.name)),
        "",
        t("Files read"),
    ]
    for info in cal.files:
        out.append(f"  {say(info.describe())}")
        out.append(f"    {say(info.summary)}" + "".join(f"; {say(note)}" for note in info.notes))
    out += ["", t("Values: before -> after (mode, P5 to P95 where uncertain, grade); the data behind each")]
    for change in cal.changes:
        out.append(f"  {say(change.label)} ({change.name}): {_value(change, False)} -> {_value(change, True)}")
        out.append(f"      {say(change.source)}")
    if not cal.changes:
        out.append("  " + t("none: the files gave nothing the model uses"))
    for title, lines in ((t("Checks"), cal.checks), (t("Warnings"), cal.warnings)):
        if lines:
            out += ["", title, *(f"  {say(line)}" for line in lines)]
    if cal.loss_before is not None and cal.loss_after is not None:
        out += [
            "",
            t("Revenue lost by not fixing (present value, mean of {draws} draws)", draws=people(cal.loss_after.draws)),
            f"  {'':8s} " + " ".join(f"{h:>16s}" for h in (t("value (mean)"), "P10", "P90")),
            _loss_row(t("before"), cal.loss_before, cur),
            _loss_row(t("after"), cal.loss_after, cur),
        ]
    return "\n".join(out)


def _read(path_text: str | None) -> tuple[bytes | None, str]:
    if path_text is None:
        return None, ""
    path = Path(path_text)
    # One byte past the limit, so that the reader can say in which row the limit is crossed.
    return read_regular_file(path, MAX_OWN_DATA_BYTES + 1, "data file"), path.name


def calibrate_main(argv: list[str]) -> int:
    """Entry point of ``python -m estimator calibrate``; returns the exit code."""
    args = parse_in_language(_parser, argv, lambda exc: user_message(exc, 500))
    if isinstance(args, int):
        return args
    with i18n.use(args.lang):
        return _calibrate(args)


def _calibrate(args: argparse.Namespace) -> int:
    """Calibrate, write the scenario file if asked, and print what was done (or one line of error)."""
    try:
        out = writable_file(args.out, "--out") if args.out else None
        if out is not None and out.suffix.lower() not in (".yaml", ".yml"):
            raise UsageError(t("--out '{path}' must end in .yaml or .yml (a scenario file)", path=out))
        if not (args.reviews or args.complaints or args.survey):
            raise UsageError(t("give at least one of --reviews, --complaints, --survey"))
        checked_draws(args.draws)
        base = load_preset(args.base)
        files = {kind: _read(getattr(args, kind)) for kind in ("reviews", "complaints", "survey")}
        cal = calibrate(
            base,
            files["reviews"][0],
            files["complaints"][0],
            files["survey"][0],
            names={kind: name for kind, (_, name) in files.items()},
            customers=args.customers,
            visits_per_month=args.visits_per_month,
            loss_draws=args.draws,
        )
        if out is not None:
            write_atomically(out, scenario_to_yaml(cal.params))
    except (UsageError, ScenarioError, ValueError) as exc:
        return fail(user_message(exc, 500))
    except OSError as exc:
        return fail(could_not_write(exc))
    try:
        if args.json:
            print(json.dumps({**cal.to_dict(), "out": str(out) if out else None}, indent=2, default=str))
        else:
            done = t("wrote {path}", path=out) if out else t("(write the scenario file with --out)")
            print(render(cal, args.base) + "\n\n" + done)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0

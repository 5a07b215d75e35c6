"""Command line: ``python -m estimator PRESET_OR_FILE [--json] [--modes] [--lang fi]``.

Prints the headline numbers, the channel split and the cost-of-one-shrug ladder, as a table or as
JSON. Every figure the table shows as the value of a quantity is its mean over the Monte Carlo draws
(``mc.value``), beside its P10 and P90 from the same draws, as on the page, the deck and the
workbook; the verdict on the fix follows the sign of its mean net present value. The run at the most
likely values is printed only with ``--modes``, in a section of its own, and JSON keeps every
statistic (value, mean, P10, P50, P90 and the value at the modes). The table, the deck and the
workbook are in the language ``--lang`` asks for; JSON stays English (it is read by programs).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from ..model.engine.runs import HEADLINE_KEYS, HEADLINE_LABELS
from ..model.engine.uncertainty import MonteCarloResult
from ..model.explain.analyses import CHANNEL_LABELS
from ..model.explain.report import Report
from ..model.inputs.fix_plans import fix_sections
from ..model.inputs.params import Params
from ..model.scenarios.scenario_files import ScenarioError, list_presets, load_preset
from . import i18n
from .cli_common import (
    UsageError,
    add_language,
    checked_draws,
    could_not_write,
    fail,
    fixed,
    json_number,
    language_in,
    progress_bar,
    user_message,
    writable_file,
    writable_folder,
    write_atomically,
)
from .formatting import by_kind, people, share
from .i18n import say, t
from .wording import fix_changes, fix_costs, over_horizon


def fix_in_words(params: Params) -> str:
    """What the fix changes and what it costs, in the reader's language.

    >>> from estimator import load_preset
    >>> fix_in_words(load_preset("gas_station"))
    'Bad-experience rate −80% (−90% to −60%): 1% → 0.2%; Complaint recovery +50 (+30 to +60) points: 10% → 60%; costs 3,000 EUR once and 600 EUR a month'
    """
    return t("{changes}; costs {costs}", changes=fix_changes(params), costs=fix_costs(params))


def _output(mc: MonteCarloResult, key: str, at_modes: float | None) -> dict[str, Any]:
    """One headline output's statistics for JSON (``report_data``)."""
    summary, band = mc.headline[key], mc.band(key)
    stats = {
        "value": json_number(mc.value(key)),
        "band": None if band is None else [json_number(v) for v in band],
        "mean": json_number(summary.mean),
        "p10": json_number(summary.p10),
        "p50": json_number(summary.p50),
        "p90": json_number(summary.p90),
        "at_modes": json_number(at_modes),
    }
    if key == "payback_month" and not mc.fix_pays:  # a fix that does not pay is given no payback month
        stats.update(value=None, band=None, mean=None, p10=None, p50=None, p90=None)
    return stats


def report_data(report: Report) -> dict[str, Any]:
    """Everything the CLI prints, as plain data (the JSON output): always English, whatever the
    reader's language, since programs read it.

    Each headline output has its ``value`` (``mc.value``: the mean over the draws; the payback
    month and break-even cost read off the mean curves), the ``band`` shown beside it (``mc.band``),
    its ``mean``, ``p10``, ``p50`` and ``p90`` over the draws and its value ``at_modes`` (one run at
    the most likely values); a percentile that no draw reaches within the horizon is null. A fix
    that does not pay (mean NPV not positive) has no payback month: its value, band and percentiles
    are null. The channels, ladder and bridge are means over the same draws and add up to the mean loss; the
    bridge starts at the one folk figure (``folk_figure``, the folk arithmetic's last rung).
    """
    params, det, mc, ladder = report.params, report.det, report.mc, report.ladder
    with i18n.use(i18n.DEFAULT):
        fix = fix_in_words(params)
    at_modes = det.headline()
    return {
        "scenario": params.name,
        "currency": params.currency,
        "horizon_months": int(params.horizon_months),
        "draws": mc.draws,
        "seed": mc.seed,
        "baseline": params.baseline,
        **fix_sections(params),
        "fix_in_words": fix,
        "fix_pays": mc.fix_pays,
        "chance_fix_pays_off": mc.chance_fix_pays_off,
        "steady_rating": det.steady_rating,
        "notes": list(det.notes),
        "headline": {key: _output(mc, key, at_modes[key]) for key in HEADLINE_KEYS},
        "channels": report.channels,
        "ladder": [{"rung": r.label, "value": r.value, "increment": r.increment} for r in ladder.rungs],
        "scenario_loss": ladder.scenario_loss,
        "folk": [{"rung": r.label, "value": r.value} for r in ladder.folk],
        "folk_figure": report.story.folk,
        "complaints_shrugged_off": ladder.shrugged_complainers,
        "times_unhappy": report.story.unhappy,
        "bridge": [{"key": s.key, "step": s.label, "value": s.value, "change": s.change} for s in report.bridge],
    }


def verdict(report: dict[str, Any], params: Params) -> list[str]:
    """Whether the fix pays, in the reader's language, from the sign of its mean net present value: its
    value and payback month, or what it loses and the most it could cost a month; the chance beside it."""
    cur, head = report["currency"], report["headline"]
    npv, payback, chance = (
        head["npv_fix"]["value"] or 0.0,
        head["payback_month"]["value"],
        share(report["chance_fix_pays_off"], 0),
    )
    over = over_horizon(params)
    if report["fix_pays"] and payback is not None:
        return [
            t(
                "It is worth {npv} net {over} and pays back in month {n}; it pays off in {chance} of draws.",
                npv=by_kind("money", npv, cur),
                over=over,
                n=f"{payback:.0f}",
                chance=chance,
            )
        ]
    lines = [
        t(
            "It does not pay: it loses {loss} net {over}; it pays off in {chance} of draws.",
            loss=by_kind("money", -npv, cur),
            over=over,
            chance=chance,
        )
    ]
    cost = head["break_even_cost_per_month"]["value"] or 0.0
    lines.append(
        t("It would pay at up to {cost} a month.", cost=by_kind("money", cost, cur))
        if cost > 0
        else t("No monthly cost lets it pay: its one-off cost alone is more than the profit it brings back.")
    )
    return lines


def _cell(kind: str, value: float | None, cur: str) -> str:
    """A table cell: the figure as its kind is written, a month that is never reached in words."""
    return by_kind(kind, value, cur) if kind == "month" or value is not None else ""


def render_table(report: dict[str, Any], params: Params, modes: bool = False) -> str:
    """The report as aligned plain-text tables, in the reader's language: the headline outputs as
    value (the mean over the draws), P10 and P90; with ``modes``, a section of its own with the run
    at the most likely values (not the headline)."""
    cur = report["currency"]
    values = {
        "scenario": say(report["scenario"]),
        "months": report["horizon_months"],
        "draws": people(report["draws"]),
        "seed": report["seed"],
    }
    first = (
        t("{scenario}  ({months} months, {draws} draws, seed {seed}, starting from today)", **values)
        if report["baseline"] == "today"
        else t("{scenario}  ({months} months, {draws} draws, seed {seed}, starting from a flawless business)", **values)
    )
    out = [
        first,
        t("Every figure is the mean of the draws, with P10 and P90 from the same draws."),
        t("The fix: {fix}.", fix=fix_in_words(params)),
        *verdict(report, params),
        *[t("Note: {note}", note=say(note)) for note in report["notes"]],
        "",
    ]
    labels = {key: (say(HEADLINE_LABELS[key][0]), HEADLINE_LABELS[key][1]) for key in report["headline"]}
    rows = [label for label, _ in labels.values()] + [say(CHANNEL_LABELS[key]) for key in report["channels"]]
    rows += [say(r["rung"]) for r in report["ladder"] + report["folk"]] + [say(s["step"]) for s in report["bridge"]]
    width = max([46, *map(len, rows)])  # English labels fit in 46; a longer translation widens the column
    headline, value = t("Headline"), t("value (mean)")
    out.append(f"{headline:{width}s} {value:>16s} {'P10':>16s} {'P90':>16s}")
    for key, row in report["headline"].items():
        label, kind = labels[key]
        band = row["band"] or []  # none for a payback month the fix does not reach
        cells = [_cell(kind, v, cur) for v in (row["value"], *band)]
        out.append(f"{label:{width}s} " + " ".join(f"{c:>16s}" for c in cells))
    out += ["", t("Where the loss comes from (Shapley split of the PV revenue loss, mean of the draws)")]
    total = sum(report["channels"].values())
    for key, value in report["channels"].items():
        part = share(value / total if total else 0.0)
        out.append(f"  {say(CHANNEL_LABELS[key]):{width}s} {by_kind('money', value, cur):>16s} {part:>7s}")
    total_label = t("Total")
    out.append(f"  {total_label:{width}s} {by_kind('money', report['headline']['pv_revenue_loss']['value'], cur):>16s}")
    out += ["", t("The cost of one shrug (PV revenue, one extra shrugged-off customer, mean of the draws)")]
    for rung in report["ladder"]:
        out.append(
            f"  {say(rung['rung']):{width}s} {by_kind('money', rung['value'], cur):>16s}"
            f"   (+{by_kind('money', rung['increment'], cur)})"
        )
    out += ["", t("Folk arithmetic (no overlap, no replacement, no discounting)")]
    for rung in report["folk"]:
        out.append(f"  {say(rung['rung']):{width}s} {by_kind('money', rung['value'], cur):>16s}")
    out += ["", t("He is not the only one: from the folk arithmetic to the model, step by step (mean of the draws)")]
    for step in report["bridge"]:
        sign = "+" if step["change"] > 0 else ""
        change = "" if step is report["bridge"][0] else f"   ({sign}{by_kind('money', step['change'], cur)})"
        out.append(f"  {say(step['step']):{width}s} {by_kind('money', step['value'], cur):>16s}{change}")
    if modes:
        out += ["", t("At the most likely values (one run, not the headline)")]
        for key, row in report["headline"].items():
            label, kind = labels[key]
            out.append(f"  {label:{width}s} {_cell(kind, row['at_modes'], cur):>16s}")
    return "\n".join(out)


def report_main(argv: list[str]) -> int:
    """``python -m estimator report SCENARIO --out deck.pptx`` (or ``--out brief.pdf``): the slide deck or the
    one-page brief, as ``--out`` names it, and, on request, the data workbook and chart images, in the language
    ``--lang`` asks for. An ``--out`` that is neither is refused before any work (one line, exit 2)."""
    with i18n.use(language_in(argv)):
        parser = argparse.ArgumentParser(
            prog="python -m estimator report",
            description=t("Write a 16:9 PowerPoint deck with native, editable charts for a preset or scenario file.")
            + " "
            + t(
                "With --out NAME.pdf, write the one-page brief instead: the decision, its chance, its chart, "
                "what moves it and the key assumptions."
            ),
        )
        parser.add_argument("scenario", help=t("preset name or path to a .yaml scenario file"))
        parser.add_argument(
            "--out",
            default="deck.pptx",
            help=t("the file to write: a .pptx slide deck (default: deck.pptx) or a .pdf one-page brief"),
        )
        parser.add_argument("--pin", help=t("a second preset or scenario file shown as A (the scenario is B)"))
        parser.add_argument("--xlsx", help=t("also write the monthly series and headline table to this workbook"))
        parser.add_argument("--images", help=t("also write every chart as PNG (1600x900) and SVG into this folder"))
        parser.add_argument("--draws", type=int, help=t("Monte Carlo draws (default: the scenario's)"))
        add_language(parser)
        args = parser.parse_args(argv)
    with i18n.use(args.lang):
        try:
            out = writable_file(args.out, "--out")
            if out.suffix.lower() not in (".pptx", ".pdf"):
                raise UsageError(
                    t("--out '{path}' must end in .pptx (the slide deck) or .pdf (the one-page brief)", path=out)
                )
            xlsx = writable_file(args.xlsx, "--xlsx") if args.xlsx else None
            images = writable_folder(args.images, "--images") if args.images else None
            draws = checked_draws(args.draws)
            params = load_preset(args.scenario)
            pinned = load_preset(args.pin) if args.pin else None
            if draws is not None:
                params = params.replace(draws=draws)
                pinned = pinned.replace(draws=draws) if pinned is not None else None
        except (UsageError, ScenarioError, ValueError) as exc:
            return fail(user_message(exc))
        preset = args.scenario if args.scenario in list_presets() else None
        try:
            return _write_report(params, pinned, out, xlsx, images, preset)
        except OSError as exc:
            return fail(could_not_write(exc))


def _write_report(
    params: Params, pinned: Params | None, out: Path, xlsx: Path | None, images: Path | None, preset: str | None = None
) -> int:
    """Write the deck (or, to a .pdf, the brief, with the link that reopens ``preset`` or the scenario itself),
    and the workbook and images if asked, after the paths were checked (in the reader's language: ``i18n.use``)."""
    from ..model.engine.uncertainty import paired_difference
    from .brief import brief_pdf, scenario_link
    from .deck import build_deck
    from .figures import CHARTS
    from .images import ExportUnavailable, figure_image
    from .tables import data_tables, xlsx_bytes

    started = time.perf_counter()
    # With A, B's draws are kept so that the paired run reads B's side from them instead of running B twice.
    report = Report(params, keep_draws=pinned is not None, progress=progress_bar(params))
    a = Report(pinned) if pinned is not None else None
    # One paired run for the slide and the sheet, with B's side read from B's own Monte Carlo.
    paired = paired_difference(pinned, params, b_run=report.mc) if pinned is not None else None
    if out.suffix.lower() == ".pdf":
        write_atomically(out, brief_pdf(report, scenario_link(params, preset, i18n.language())))
    else:
        write_atomically(out, build_deck(report, a, paired=paired))
    print(t("wrote {path} ({seconds} s)", path=out, seconds=fixed(time.perf_counter() - started, 1)))
    if xlsx is not None:
        write_atomically(xlsx, xlsx_bytes(data_tables(report, a, paired)))
        print(t("wrote {path}", path=xlsx))
    if images is not None:
        folder = images
        folder.mkdir(parents=True, exist_ok=True)
        try:
            for chart in CHARTS:
                figure = chart.build(report)
                for fmt in ("png", "svg"):
                    write_atomically(folder / f"{chart.slug}.{fmt}", figure_image(figure, fmt))
        except ExportUnavailable as exc:
            print(t("images skipped: {reason}", reason=user_message(exc, 1000)), file=sys.stderr)
            return 3
        print(t("wrote {n} images to {folder}", n=people(len(CHARTS) * 2), folder=folder))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m estimator``; returns the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "report":
        return report_main(argv[1:])
    if argv and argv[0] == "network-check":
        from .network_cli import network_check_main

        return network_check_main(argv[1:])
    if argv and argv[0] == "calibrate":
        from .calibrate_cli import calibrate_main

        return calibrate_main(argv[1:])
    if argv and argv[0] == "evidence":
        from .evidence import evidence_main

        return evidence_main(argv[1:])
    if argv and argv[0] == "fixes":
        from .fixes_cli import fixes_main

        return fixes_main(argv[1:])
    if argv and argv[0] == "chain":
        from .chain_cli import chain_main

        return chain_main(argv[1:])
    with i18n.use(language_in(argv)):
        parser = argparse.ArgumentParser(
            prog="python -m estimator",
            description=t(
                "What bad customer service costs: headline numbers, channel split and the "
                "cost of one shrug for a preset or a scenario file. "
                "'python -m estimator report SCENARIO --out deck.pptx' writes a slide deck; "
                "'python -m estimator network-check PRESET' checks word of mouth on a social network; "
                "'python -m estimator calibrate BASE --reviews FILE --complaints FILE --survey FILE "
                "--out scenario.yaml' calibrates a scenario from the business's own data."
            )
            + " "
            + t(
                "'python -m estimator fixes SCENARIO' ranks the scenario's menu of fixes, alone and "
                "combined, by what each is worth."
            )
            + " "
            + t(
                "'python -m estimator chain OUTLETS.csv --preset PRESET' ranks a chain's outlets by "
                "what the fix is worth at each."
            ),
        )
        parser.add_argument(
            "scenario",
            nargs="?",
            default="gas_station",
            help=t("preset name ({presets}) or path to a .yaml scenario file", presets=", ".join(list_presets())),
        )
        parser.add_argument("--json", action="store_true", help=t("print JSON instead of tables"))
        parser.add_argument("--draws", type=int, help=t("Monte Carlo draws (default: the scenario's)"))
        parser.add_argument("--seed", type=int, help=t("random seed (default: the scenario's)"))
        parser.add_argument(
            "--modes",
            action="store_true",
            help=t("also print the run at the most likely values, in a section of its own"),
        )
        add_language(parser)
        args = parser.parse_args(argv)
    with i18n.use(args.lang):
        return _summary(args)


def _summary(args: argparse.Namespace) -> int:
    """The headline numbers, channel split and ladder of ``args.scenario``, as tables or JSON."""
    try:
        checked_draws(args.draws)
        params = load_preset(args.scenario)
        if args.draws is not None or args.seed is not None:
            params = params.replace(**{k: v for k, v in (("draws", args.draws), ("seed", args.seed)) if v is not None})
    except (UsageError, ScenarioError, ValueError) as exc:
        return fail(user_message(exc))
    data = report_data(Report(params, progress=progress_bar(params, quiet=args.json)))
    try:  # strict JSON: "never" is null (``json_number``), never NaN or Infinity, which a standard parser rejects
        print(json.dumps(data, indent=2, allow_nan=False) if args.json else render_table(data, params, args.modes))
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped early (``| head``): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0

"""Command line: ``python -m estimator PRESET_OR_FILE [--json]``.

Prints the headline numbers (deterministic run and Monte Carlo P10/P50/P90), the
channel split and the cost-of-one-shrug ladder, as a table or as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from .formatting import value_of
from .analysis import CHANNEL_LABELS, channel_attribution, incident_ladder, tornado
from .params import Params
from .scenario_io import ScenarioError, list_presets, load_preset
from .simulation import HEADLINE_KEYS, HEADLINE_LABELS, monte_carlo, simulate


def format_value(value: float, kind: str, currency: str) -> str:
    """A number as a person reads it: thousands separators, currency, stars."""
    return value_of(kind, value, currency)


def build_report(params: Params, draws: int | None = None, seed: int | None = None) -> dict[str, Any]:
    """Everything the CLI prints, as plain data (the JSON output)."""
    det = simulate(params)
    mc = monte_carlo(params, draws=draws, seed=seed)
    ladder = incident_ladder(params)
    return {
        "scenario": params.name,
        "currency": params.currency,
        "horizon_months": int(params.horizon_months),
        "draws": mc.draws,
        "seed": mc.seed,
        "headline": {
            key: {"deterministic": det.headline()[key], "p10": mc.headline[key].p10,
                  "p50": mc.headline[key].p50, "p90": mc.headline[key].p90, "mean": mc.headline[key].mean}
            for key in HEADLINE_KEYS
        },
        "channels": channel_attribution(params),
        "ladder": [{"rung": r.label, "value": r.value, "increment": r.increment} for r in ladder.rungs],
        "scenario_loss": ladder.scenario_loss,
        "naive_total": ladder.naive_total,
        "unrecovered_customers": ladder.unrecovered_customers,
        "folk": [{"rung": r.label, "value": r.value} for r in ladder.folk],
    }


def render_table(report: dict[str, Any]) -> str:
    """The report as aligned plain-text tables."""
    cur = report["currency"]
    out = [f"{report['scenario']}  ({report['horizon_months']} months, {report['draws']:,} draws, "
           f"seed {report['seed']})", ""]
    out.append(f"{'Headline':46s} {'at modes':>16s} {'P10':>16s} {'P50':>16s} {'P90':>16s}")
    for key, row in report["headline"].items():
        label, kind = HEADLINE_LABELS[key]
        cells = [format_value(row[col], kind, cur) for col in ("deterministic", "p10", "p50", "p90")]
        out.append(f"{label:46s} " + " ".join(f"{c:>16s}" for c in cells))
    out += ["", "Where the loss comes from (Shapley split of the PV revenue loss, at modes)"]
    total = sum(report["channels"].values())
    for key, value in report["channels"].items():
        share = value / total if total else 0.0
        out.append(f"  {CHANNEL_LABELS[key]:46s} {format_value(value, 'money', cur):>16s} {share:>7.1%}")
    out.append(f"  {'Total':46s} {format_value(total, 'money', cur):>16s}")
    out += ["", "The cost of one shrug (PV revenue, one extra shrugged-off customer)"]
    for rung in report["ladder"]:
        out.append(f"  {rung['rung']:46s} {format_value(rung['value'], 'money', cur):>16s}"
                   f"   (+{format_value(rung['increment'], 'money', cur)})")
    out.append(f"  {'He is not the only one: this scenario':46s} "
               f"{format_value(report['scenario_loss'], 'money', cur):>16s}")
    out.append(f"  {'  naive: one shrug x ' + format_value(report['unrecovered_customers'], 'people', cur) + ' unrecovered':46s} "
               f"{format_value(report['naive_total'], 'money', cur):>16s}")
    out += ["", "Folk arithmetic (no overlap, no replacement, no discounting)"]
    for rung in report["folk"]:
        out.append(f"  {rung['rung']:46s} {format_value(rung['value'], 'money', cur):>16s}")
    return "\n".join(out)


def report_main(argv: list[str]) -> int:
    """``python -m estimator report SCENARIO --out deck.pptx``: the slide deck and, on request,
    the data workbook and chart images."""
    parser = argparse.ArgumentParser(
        prog="python -m estimator report",
        description="Write a 16:9 PowerPoint deck with native, editable charts for a preset or scenario file.")
    parser.add_argument("scenario", help="preset name or path to a .yaml scenario file")
    parser.add_argument("--out", default="deck.pptx", help="deck to write (default: deck.pptx)")
    parser.add_argument("--pin", help="a second preset or scenario file shown as A (the scenario is B)")
    parser.add_argument("--xlsx", help="also write the monthly series and headline table to this workbook")
    parser.add_argument("--images", help="also write every chart as PNG (1600x900) and SVG into this folder")
    args = parser.parse_args(argv)
    from .deck import DeckInput, build_deck
    from .exports import ExportUnavailable, figure_image, headline_table, monthly_table, xlsx_bytes

    try:
        params = load_preset(args.scenario)
        pinned = load_preset(args.pin) if args.pin else None
    except (ScenarioError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    mc = monte_carlo(params)
    a = (pinned, monte_carlo(pinned)) if pinned is not None else None
    d = DeckInput(params, mc, channel_attribution(params), incident_ladder(params), tornado(params), a)
    Path(args.out).write_bytes(build_deck(d))
    print(f"wrote {args.out} ({time.perf_counter() - started:.1f} s)")
    if args.xlsx:
        det = simulate(params)
        Path(args.xlsx).write_bytes(xlsx_bytes({"Headline": headline_table(det, mc), "Monthly": monthly_table(det, mc)}))
        print(f"wrote {args.xlsx}")
    if args.images:
        from . import figures as fig

        folder = Path(args.images)
        folder.mkdir(parents=True, exist_ok=True)
        charts = {"cumulative_loss": fig.fig_cumulative_loss(mc, params.currency),
                  "monthly_loss": fig.fig_monthly_loss(mc, params.currency), "customers": fig.fig_customers(mc),
                  "rating": fig.fig_rating(mc), "channels": fig.fig_channels(d.channels, params.currency),
                  "ladder": fig.fig_ladder(d.ladder, params.currency),
                  "tornado": fig.fig_tornado(d.tornado, simulate(params).pv_revenue_loss, params.currency)}
        try:
            for name, figure in charts.items():
                for fmt in ("png", "svg"):
                    (folder / f"{name}.{fmt}").write_bytes(figure_image(figure, fmt))
        except ExportUnavailable as exc:
            print(f"images skipped: {exc}", file=sys.stderr)
            return 3
        print(f"wrote {len(charts) * 2} images to {folder}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m estimator``; returns the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "report":
        return report_main(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python -m estimator",
        description="What bad customer service costs: headline numbers, channel split and the "
                    "cost of one shrug for a preset or a scenario file. "
                    "'python -m estimator report SCENARIO --out deck.pptx' writes a slide deck.")
    parser.add_argument("scenario", nargs="?", default="gas_station",
                        help=f"preset name ({', '.join(list_presets())}) or path to a .yaml scenario file")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--draws", type=int, help="Monte Carlo draws (default: the scenario's)")
    parser.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    args = parser.parse_args(argv)
    try:
        params = load_preset(args.scenario)
        if args.draws is not None or args.seed is not None:
            params = params.replace(**{k: v for k, v in (("draws", args.draws), ("seed", args.seed))
                                       if v is not None})
    except (ScenarioError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = build_report(params)
    print(json.dumps(report, indent=2) if args.json else render_table(report))
    return 0

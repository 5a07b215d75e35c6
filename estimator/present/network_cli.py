"""``python -m estimator network-check PRESET``: word of mouth on a social network beside the model.

Runs ``estimator.model.network.network_check`` (an agent-based simulation of the bad-story
channel) and prints the mean-field loss, the network's, their ratio with its standard error and
the graph's statistics as plain text. Errors are one line on stderr with exit code 2.
"""

from __future__ import annotations

import argparse
import math
import sys

from ..model.network import GRAPHS, NetworkCheck, network_check
from ..model.scenario_files import ScenarioError, list_presets, load_preset
from .formatting import money
from .cli_common import Parser, UsageError


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m estimator network-check",
        description="Word of mouth on a social network: the agent-based loss (bad stories only) "
                    "beside the model's mean-field loss, and their ratio.")
    parser.add_argument("scenario", help=f"preset name ({', '.join(list_presets())}) or path to a .yaml file")
    parser.add_argument("--graph", default="clustered", choices=GRAPHS,
                        help="clustered (small world), random, or mixing (no graph: the model's assumption)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--agents", type=int, default=20_000,
                        help="most people simulated; larger markets are scaled down (default 20000)")
    parser.add_argument("--replications", type=int, default=8, help="independent runs (default 8, at least 2)")
    return parser


def _share(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.3f}"


def _row(label: str, value: str, note: str = "") -> str:
    return f"  {label:38s} {value:>18s}" + (f"  {note}" if note else "")


def render(check: NetworkCheck, name: str, currency: str) -> str:
    """The check as plain text."""
    se_money = money(check.standard_error * abs(check.mean_field_loss), currency)
    lines = [
        f"Word of mouth on a network: {name}, "
        + ("random mixing (no graph)" if check.graph == "mixing" else f"{check.graph} graph"),
        f"  {check.agents:,} people simulated, {check.customers:,} of them customers (scale {check.scale:,.4g} : 1); "
        f"{check.replications} replications, seed {check.seed}, {check.seconds:.1f} s",
        "",
        "Word-of-mouth loss (present value of revenue, bad stories only)",
        _row("mean field (the model)", money(check.mean_field_loss, currency)),
        _row("network (agent-based)", money(check.network_loss, currency), f"± {se_money} (standard error)"),
        _row("network / mean field", f"{check.ratio:.3f}", f"± {check.standard_error:.3f}"),
        "",
        "Graph",
    ]
    if check.graph == "mixing":
        lines.append("  none: each telling reaches a random customer with probability η, else a random prospect")
    else:
        at_horizon = _share(check.customer_neighbour_share_at_horizon)
        lines += [_row("mean degree", f"{check.mean_degree:.2f}"),
                  _row("clustering", f"{check.clustering:.3f}"),
                  _row("customers among a customer's friends", _share(check.customer_neighbour_share),
                       f"(η = {check.target_share:.3f}; {at_horizon} at the horizon)"),
                  _row("customers among a prospect's friends", _share(check.prospect_neighbour_share))]
    lines += ["", "Tellings that reached customers",
              _row("told or retold by customers", _share(check.customer_tellings_to_customers)),
              _row("retold by prospects", _share(check.prospect_tellings_to_customers),
                   "(the mean field assumes η)")]
    return "\n".join(lines)


def network_check_main(argv: list[str]) -> int:
    """Entry point of ``python -m estimator network-check``; returns the exit code."""
    try:
        args = _parser().parse_args(argv)
        if args.agents < 100 or args.replications < 2 or args.seed < 0:
            raise UsageError("--agents must be at least 100, --replications at least 2, --seed at least 0")
        params = load_preset(args.scenario)
        check = network_check(params, graph=args.graph, seed=args.seed, agents=args.agents,
                              replications=args.replications)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except (UsageError, ScenarioError, ValueError) as exc:
        print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    print(render(check, args.scenario, params.currency))
    return 0

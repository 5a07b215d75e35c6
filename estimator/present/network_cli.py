"""``python -m estimator network-check PRESET``: word of mouth on a social network beside the model.

Runs ``estimator.model.network.network_check`` (an agent-based simulation of the bad-story
channel) and prints the mean-field loss, the network's, their ratio with its standard error and
the graph's statistics as plain text, in the language ``--lang`` asks for. Errors are one line on
stderr with exit code 2.
"""

from __future__ import annotations

import argparse
import math

from ..model.network import GRAPHS, NetworkCheck, network_check
from ..model.scenario_files import ScenarioError, list_presets, load_preset
from . import i18n
from .cli_common import Parser, UsageError, add_language, fail, fixed, language_in
from .formatting import money, people, setting_value
from .i18n import say, t


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m estimator network-check",
        description=t("Word of mouth on a social network: the agent-based loss (bad stories only) "
                      "beside the model's mean-field loss, and their ratio."))
    parser.add_argument("scenario", help=t("preset name ({presets}) or path to a .yaml file",
                                           presets=", ".join(list_presets())))
    parser.add_argument("--graph", default="clustered", choices=GRAPHS,
                        help=t("clustered (small world), random, or mixing (no graph: the model's assumption)"))
    parser.add_argument("--seed", type=int, default=0, help=t("random seed (default 0)"))
    parser.add_argument("--agents", type=int, default=20_000,
                        help=t("most people simulated; larger markets are scaled down (default 20000)"))
    parser.add_argument("--replications", type=int, default=8, help=t("independent runs (default 8, at least 2)"))
    add_language(parser)
    return parser


def _share(value: float) -> str:
    return t("n/a") if math.isnan(value) else fixed(value, 3)


def _lines(items: list[str | tuple[str, ...]]) -> list[str]:
    """Text lines as they are and ``(label, value[, note])`` rows aligned: labels in a column 38
    wide (wider if a translation needs it), values right-aligned in 18."""
    width = max([38, *(len(item[0]) for item in items if isinstance(item, tuple))])
    return [item if isinstance(item, str)
            else f"  {item[0]:{width}s} {item[1]:>18s}" + "".join(f"  {note}" for note in item[2:])
            for item in items]


def render(check: NetworkCheck, name: str, currency: str) -> str:
    """The check as plain text, in the reader's language."""
    se_money = money(check.standard_error * abs(check.mean_field_loss), currency)
    title = {"mixing": t("Word of mouth on a network: {name}, random mixing (no graph)", name=name),
             "clustered": t("Word of mouth on a network: {name}, clustered graph", name=name),
             "random": t("Word of mouth on a network: {name}, random graph", name=name)}[check.graph]
    items: list[str | tuple[str, ...]] = [
        title,
        "  " + t("{agents} people simulated, {customers} of them customers (scale {scale} : 1); "
                 "{replications} replications, seed {seed}, {seconds} s",
                 agents=people(check.agents), customers=people(check.customers),
                 scale=setting_value("", check.scale), replications=check.replications, seed=check.seed,
                 seconds=fixed(check.seconds, 1)),
        "",
        t("Word-of-mouth loss (present value of revenue, bad stories only)"),
        (t("mean field (the model)"), money(check.mean_field_loss, currency)),
        (t("network (agent-based)"), money(check.network_loss, currency),
         t("± {amount} (standard error)", amount=se_money)),
        (t("network / mean field"), fixed(check.ratio, 3), f"± {fixed(check.standard_error, 3)}"),
        "",
        t("Graph"),
    ]
    if check.graph == "mixing":
        items.append("  " + t("none: each telling reaches a random customer with probability η, "
                              "else a random prospect"))
    else:
        at_horizon = _share(check.customer_neighbour_share_at_horizon)
        items += [(t("mean degree"), fixed(check.mean_degree, 2)),
                  (t("clustering"), fixed(check.clustering, 3)),
                  (t("customers among a customer's friends"), _share(check.customer_neighbour_share),
                   t("(η = {share}; {at_horizon} at the horizon)", share=fixed(check.target_share, 3),
                     at_horizon=at_horizon)),
                  (t("customers among a prospect's friends"), _share(check.prospect_neighbour_share))]
    items += ["", t("Tellings that reached customers"),
              (t("told or retold by customers"), _share(check.customer_tellings_to_customers)),
              (t("retold by prospects"), _share(check.prospect_tellings_to_customers),
               t("(the mean field assumes η)"))]
    return "\n".join(_lines(items))


def network_check_main(argv: list[str]) -> int:
    """Entry point of ``python -m estimator network-check``; returns the exit code."""
    with i18n.use(language_in(argv)):
        try:
            args = _parser().parse_args(argv)
        except SystemExit as exc:  # --help
            return int(exc.code or 0)
        except UsageError as exc:
            return fail(_one_line(exc))
    with i18n.use(args.lang):
        try:
            if args.agents < 100 or args.replications < 2 or args.seed < 0:
                raise UsageError(t("--agents must be at least 100, --replications at least 2, --seed at least 0"))
            params = load_preset(args.scenario)
            check = network_check(params, graph=args.graph, seed=args.seed, agents=args.agents,
                                  replications=args.replications)
        except (UsageError, ScenarioError, ValueError) as exc:
            return fail(_one_line(exc))
        print(render(check, args.scenario, params.currency))
        return 0


def _one_line(exc: Exception) -> str:
    """A mistake as one line, in the reader's language where the catalogue has it."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return " ".join(say(first if getattr(first, "template", None) is not None else str(exc)).split())

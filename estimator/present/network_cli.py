"""``python -m estimator network-check PRESET``: word of mouth on a social network beside the model.

Runs ``estimator.model.explain.network.network_range`` (an agent-based simulation of the bad-story channel
on a clustered graph, a random graph and under random mixing, the control) and prints the range of
the ratio network / mean field, each with its standard error and the lowest and highest of its
seeds, as plain text in the language ``--lang`` asks for, or as JSON (``--json``, always English).
``--graph`` runs one graph and shows its statistics. Errors are one line on stderr with exit code 2.
"""

from __future__ import annotations

import argparse
import json
import math

from ..model.explain.network import DETERRENCE, GRAPHS, NetworkCheck, NetworkRange, network_check, network_range
from ..model.scenarios.scenario_files import ScenarioError, list_presets, load_preset
from . import i18n
from .cli_common import Parser, UsageError, add_language, fail, fixed, parse_in_language
from .formatting import money, people, setting_value
from .i18n import say, t


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m estimator network-check",
        description=t(
            "Word of mouth on a social network: the agent-based loss (bad stories only) beside the "
            "model's mean-field loss, and their ratio on a clustered graph, a random graph and under "
            "random mixing (the control)."
        ),
    )
    parser.add_argument(
        "scenario", help=t("preset name ({presets}) or path to a .yaml file", presets=", ".join(list_presets()))
    )
    parser.add_argument(
        "--graph",
        choices=GRAPHS,
        help=t(
            "only this graph, with its statistics: clustered (small world), random, or mixing "
            "(no graph: the model's assumption); default all three"
        ),
    )
    parser.add_argument("--seed", type=int, default=0, help=t("random seed (default 0)"))
    parser.add_argument(
        "--agents",
        type=int,
        default=20_000,
        help=t("most people simulated; larger markets are scaled down (default 20000)"),
    )
    parser.add_argument(
        "--replications",
        type=int,
        default=16,
        help=t("independent runs per graph, each with its own seed (default 16, at least 2)"),
    )
    parser.add_argument(
        "--echo", action="store_true", help=t("a story told again to someone who knows it (its teller too) acts again")
    )
    parser.add_argument(
        "--deterrence",
        choices=DETERRENCE,
        default="joiners",
        help=t(
            "whom a bad story keeps away: joiners (the prospects who would join, if they "
            "know it; default) or average (as many as the average prospect's awareness says)"
        ),
    )
    parser.add_argument("--json", action="store_true", help=t("print JSON instead of text"))
    add_language(parser)
    return parser


def _share(value: float) -> str:
    return t("n/a") if math.isnan(value) else fixed(value, 3)


def _lines(items: list[str | tuple[str, ...]]) -> list[str]:
    """Text lines as they are and ``(label, value[, note])`` rows aligned: labels in a column 38
    wide (wider if a translation needs it), values right-aligned in 18."""
    width = max([38, *(len(item[0]) for item in items if isinstance(item, tuple))])
    return [
        item
        if isinstance(item, str)
        else f"  {item[0]:{width}s} {item[1]:>18s}" + "".join(f"  {note}" for note in item[2:])
        for item in items
    ]


def _graph_name(graph: str) -> str:
    return {"clustered": t("clustered graph"), "random": t("random graph"), "mixing": t("random mixing (the control)")}[
        graph
    ]


def _seeds(check: NetworkCheck) -> str:
    ratios = [r for r in check.ratios if math.isfinite(r)]
    if not ratios:
        return t("n/a")
    return t("seeds {low} to {high}", low=fixed(min(ratios), 2), high=fixed(max(ratios), 2))


def _header(check: NetworkCheck, title: str, seconds: float) -> list[str | tuple[str, ...]]:
    """Title, size, rules and the influences the run used."""
    echo = (
        t("a story told again to someone who knows it acts again (echo)")
        if check.echo
        else t("no echo: a story is news to each person once")
    )
    deterrence = (
        t("a bad story keeps away the would-be joiners who know it")
        if check.deterrence == "joiners"
        else t("a bad story keeps away as many as the average prospect's awareness says")
    )
    return [
        title,
        "  "
        + t(
            "{agents} people simulated, {customers} of them customers (scale {scale} : 1); "
            "{replications} replications, seed {seed}, {seconds} s",
            agents=people(check.agents),
            customers=people(check.customers),
            scale=setting_value("", check.scale),
            replications=check.replications,
            seed=check.seed,
            seconds=fixed(seconds, 1),
        ),
        "  " + t("Rules: {echo}; {deterrence}.", echo=echo, deterrence=deterrence),
        "  "
        + t(
            "A customer who hears a bad story leaves with probability {customer}; a prospect who knows "
            "one stays away with {prospect}.",
            customer=fixed(check.influence, 3),
            prospect=fixed(check.prospect_influence, 3),
        ),
        "",
    ]


def _stories(check: NetworkCheck, label: str) -> tuple[str, ...]:
    """Customers lost to stories and prospects kept away, with their ratio."""
    return (
        label,
        f"{people(check.customers_lost_to_stories)} / {people(check.prospects_kept_away)}",
        t("({ratio} kept away per customer lost)", ratio=_share(check.kept_away_per_customer_lost)),
    )


def render_range(span: NetworkRange, name: str, currency: str) -> str:
    """The range as plain text, in the reader's language."""
    first = span.checks[0]
    items = _header(
        first,
        t("Word of mouth on a network: {name}, clustered graph, random graph and random mixing", name=name),
        span.seconds,
    )
    items += [
        t("Word-of-mouth loss (present value of revenue, bad stories only)"),
        (t("mean field (the model)"), money(first.mean_field_loss, currency)),
        "",
        t("Network / mean field (± standard error; lowest and highest of the seeds)"),
    ]
    items += [
        (_graph_name(c.graph), fixed(c.ratio, 3), f"± {fixed(c.standard_error, 3)}", _seeds(c)) for c in span.checks
    ]
    items += [(t("range on the graphs"), t("{low} to {high}", low=fixed(span.low, 2), high=fixed(span.high, 2)))]
    items += ["", t("Customers lost to bad stories / prospects kept away (over the horizon, whole market)")]
    items += [_stories(c, _graph_name(c.graph)) for c in span.checks]
    items += [
        "",
        t("Random mixing is the mean field's own assumption: its ratio should be 1 within its standard error."),
    ]
    return "\n".join(_lines(items))


def render(check: NetworkCheck, name: str, currency: str) -> str:
    """One graph's check as plain text, in the reader's language."""
    se_money = money(check.standard_error * abs(check.mean_field_loss), currency)
    title = {
        "mixing": t("Word of mouth on a network: {name}, random mixing (no graph)", name=name),
        "clustered": t("Word of mouth on a network: {name}, clustered graph", name=name),
        "random": t("Word of mouth on a network: {name}, random graph", name=name),
    }[check.graph]
    items = _header(check, title, check.seconds) + [
        t("Word-of-mouth loss (present value of revenue, bad stories only)"),
        (t("mean field (the model)"), money(check.mean_field_loss, currency)),
        (
            t("network (agent-based)"),
            money(check.network_loss, currency),
            t("± {amount} (standard error)", amount=se_money),
        ),
        (t("network / mean field"), fixed(check.ratio, 3), f"± {fixed(check.standard_error, 3)}", _seeds(check)),
        _stories(check, t("customers lost / prospects kept away")),
        "",
        t("Graph"),
    ]
    if check.graph == "mixing":
        items.append(
            "  " + t("none: each telling reaches a random customer with probability η, else a random prospect")
        )
    else:
        at_horizon = _share(check.customer_neighbour_share_at_horizon)
        items += [
            (t("mean degree"), fixed(check.mean_degree, 2)),
            (t("clustering"), fixed(check.clustering, 3)),
            (
                t("customers among a customer's friends"),
                _share(check.customer_neighbour_share),
                t(
                    "(η = {share}; {at_horizon} at the horizon, where the mean field has {mean_field})",
                    share=fixed(check.target_share, 3),
                    at_horizon=at_horizon,
                    mean_field=fixed(check.mean_field_share_at_horizon, 3),
                ),
            ),
            (t("customers among a prospect's friends"), _share(check.prospect_neighbour_share)),
        ]
    items += [
        "",
        t("Tellings that reached customers"),
        (t("told or retold by customers"), _share(check.customer_tellings_to_customers)),
        (t("retold by prospects"), _share(check.prospect_tellings_to_customers), t("(the mean field assumes η)")),
    ]
    return "\n".join(_lines(items))


#: Bounds of a network check: people simulated, runs per graph, and the tellings one bad experience may
#: lead to (k_n / (1 - rho), with its retellings). Beyond them a run takes minutes and gigabytes (20,000
#: agents x 16 runs take seconds; tell_unhappy 1,000 with every hearer retelling ran past 90 s and 1.5 GB).
MAX_AGENTS = 200_000
MAX_REPLICATIONS = 1_000
MAX_TELLINGS = 2_000


def _check_spread(params) -> None:  # noqa: ANN001 (Params)
    """A ``UsageError`` when a story would be told more often than the check can follow."""
    retell = float(params.retell_prob)
    tellings = float(params.tell_unhappy) / (1.0 - retell) if retell < 1.0 else math.inf
    if tellings > MAX_TELLINGS:
        raise UsageError(
            t(
                "this scenario's bad story reaches {tellings} tellings (tell_unhappy / (1 - retell_prob)); "
                "the network check follows at most {limit}",
                limit=people(MAX_TELLINGS),
                tellings=people(tellings) if math.isfinite(tellings) else t("endless"),
            )
        )


def network_check_main(argv: list[str]) -> int:
    """Entry point of ``python -m estimator network-check``; returns the exit code."""
    args = parse_in_language(_parser, argv, _one_line)
    if isinstance(args, int):
        return args
    with i18n.use(args.lang):
        try:
            if args.agents < 100 or args.replications < 2 or args.seed < 0:
                raise UsageError(t("--agents must be at least 100, --replications at least 2, --seed at least 0"))
            if args.agents > MAX_AGENTS or args.replications > MAX_REPLICATIONS:
                raise UsageError(
                    t(
                        "--agents may be at most {agents} and --replications at most {replications}: "
                        "a check of the mean field needs no more",
                        agents=people(MAX_AGENTS),
                        replications=people(MAX_REPLICATIONS),
                    )
                )
            params = load_preset(args.scenario)
            _check_spread(params)
            rules = {
                "seed": args.seed,
                "agents": args.agents,
                "replications": args.replications,
                "echo": args.echo,
                "deterrence": args.deterrence,
            }
            result = (
                network_range(params, **rules)
                if args.graph is None
                else network_check(params, graph=args.graph, **rules)
            )
        except (UsageError, ScenarioError, ValueError) as exc:
            return fail(_one_line(exc))
        if args.json:
            print(json.dumps({"scenario": args.scenario, "currency": params.currency, **result.to_dict()}, indent=2))
        elif isinstance(result, NetworkRange):
            print(render_range(result, args.scenario, params.currency))
        else:
            print(render(result, args.scenario, params.currency))
        return 0


def _one_line(exc: Exception) -> str:
    """A mistake as one line, in the reader's language where the catalogue has it."""
    first = exc.args[0] if len(exc.args) == 1 else None
    text = first if isinstance(first, str) and getattr(first, "template", None) is not None else str(exc)
    return " ".join(say(text).split())

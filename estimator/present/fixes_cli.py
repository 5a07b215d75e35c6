"""``python -m estimator fixes PRESET_OR_FILE [--budget-once X] [--budget-per-month Y] [--json]``.

Which fix first (MODEL.md §18): each fix of the scenario's menu alone and every combination of them,
simulated on the scenario's own draws (``Report.menu``), ranked by mean net present value, as a table
in the language ``--lang`` asks for or as JSON (always English, strict: no NaN or infinity). Every
figure is the menu's own: the mean over the draws with its P10–P90 from the same draws, the payback
month read off the mean curve, the chance of paying off (§16). A budget given here replaces the
scenario's own (nothing is simulated again: the same combinations are judged against it). Mistakes
(an unknown preset, a budget that is not an amount of at least 0) are one line with exit code 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from ..model.engine.menu import MenuResult, Option
from ..model.explain.report import Report
from ..model.inputs.params import Params
from ..model.scenarios.scenario_files import ScenarioError, list_presets, load_preset
from . import i18n
from .cli_common import (
    Parser,
    UsageError,
    add_language,
    budget_amount,
    checked_draws,
    fail,
    json_band,
    json_number,
    parse_in_language,
    user_message,
)
from .formatting import money, people, share
from .i18n import say, t
from .menu_tables import budget_words, fixes_label, has_budget, ranked_rows, signed_money
from .wording import over_horizon


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m estimator fixes",
        description=t(
            "Which fix first: each fix on the scenario's menu alone and every combination of them, "
            "simulated on the same draws and ranked by net present value, with the best within a budget."
        ),
    )
    parser.add_argument(
        "scenario",
        help=t("preset name ({presets}) or path to a .yaml scenario file", presets=", ".join(list_presets())),
    )
    parser.add_argument(
        "--budget-once",
        metavar="X",
        help=t("most the chosen fixes may cost once, expected (default: the scenario's budget)"),
    )
    parser.add_argument(
        "--budget-per-month",
        metavar="Y",
        help=t("most the chosen fixes may cost a month, expected (default: the scenario's budget)"),
    )
    parser.add_argument("--json", action="store_true", help=t("print JSON instead of tables"))
    parser.add_argument("--draws", type=int, help=t("Monte Carlo draws (default: the scenario's)"))
    parser.add_argument("--seed", type=int, help=t("random seed (default: the scenario's)"))
    add_language(parser)
    return parser


def option_data(option: Option) -> dict[str, Any]:
    """One combination for JSON: its fixes (as the scenario names them) and the menu's own figures."""
    return {
        "name": option.name,
        "members": list(option.members),
        "npv": json_band(option.npv),
        "chance_pays_off": json_number(option.chance_pays_off),
        "payback_month": None if option.payback_month is None else int(option.payback_month),
        "pv_cost": json_number(option.pv_cost),
        "return_on_spend": json_number(option.return_on_spend),
        "within_budget": bool(option.within_budget),
        "efficient": bool(option.efficient),
    }


def menu_data(params: Params, menu: MenuResult) -> dict[str, Any]:
    """Everything ``fixes`` prints, as plain data (the JSON output, English): each fix alone with what it
    adds to the best combination (``marginal_value``), every combination ranked, the best within the
    budget (null: none pays, doing none is best) and the budget (null: no cap)."""
    budget = (
        {"once": json_number(menu.budget_once), "per_month": json_number(menu.budget_per_month)}
        if has_budget(menu)
        else None
    )
    return {
        "scenario": params.name,
        "currency": params.currency,
        "draws": int(menu.draws),
        "seed": int(menu.seed),
        "budget": budget,
        "fixes": [
            {**option_data(o), "marginal_value": json_number(menu.marginal.get(o.members[0]))} for o in menu.singles
        ],
        "combinations": [option_data(o) for o in menu.options],
        "best": option_data(menu.best) if menu.best is not None else None,
    }


def _table(rows: list[list[str]]) -> list[str]:
    """Rows as aligned text: the fixes last (left-aligned, as long as they are), the rest right-aligned."""
    order = [0, *range(2, len(rows[0])), 1]
    widths = [max(len(row[i]) for row in rows) for i in order]
    return [
        "  ".join(row[i].ljust(w) if i == 1 else row[i].rjust(w) for i, w in zip(order, widths)).rstrip()
        for row in rows
    ]


def _best_line(label: str, option: Option | None, params: Params, capped: bool = False) -> str:
    """The best combination in one sentence, with its figures; or that none pays (within the budget if
    ``capped``)."""
    cur, over = params.currency, over_horizon(params)
    if option is None:
        return (
            t(
                "{label}: none. No combination within the budget pays {over}, so doing none of them is best.",
                label=label,
                over=over,
            )
            if capped
            else t(
                "{label}: none. At these costs no combination pays {over}, so doing none of them is best.",
                label=label,
                over=over,
            )
        )
    values = dict(
        label=label,
        fixes=fixes_label(option),
        value=money(option.npv.mean, cur, True),
        over=over,
        low=money(option.npv.p10, cur, True),
        high=money(option.npv.p90, cur, True),
        chance=share(option.chance_pays_off, 0),
        cost=money(option.pv_cost, cur, True),
    )
    if option.payback_month is None:  # not for a best combination (its mean NPV is positive); kept safe
        return t(
            "{label}: {fixes}. Worth {value} net {over} (P10 {low}, P90 {high}), for {cost} in present value; "
            "it pays off in {chance} of draws.",
            **values,
        )
    return t(
        "{label}: {fixes}. Worth {value} net {over} (P10 {low}, P90 {high}), for {cost} in present value; "
        "it pays off in {chance} of draws and pays back in month {month}.",
        month=option.payback_month,
        **values,
    )


def render_menu(params: Params, menu: MenuResult) -> str:
    """The ranked table, the best combination with and without the budget, and each fix's marginal
    value, as plain text in the reader's language."""
    cur = params.currency
    out = [
        t(
            "Which fix first: {scenario} ({fixes} fixes on the menu, {combinations} combinations; {draws} draws, "
            "seed {seed})",
            scenario=say(params.name),
            fixes=len(params.menu),
            combinations=len(menu.options),
            draws=people(menu.draws),
            seed=menu.seed,
        ),
        t("Every figure is the mean of the draws, with P10 and P90 from the same draws."),
    ]
    if has_budget(menu):
        out.append(
            t(
                "Budget: at most {budget} (expected cost of the chosen fixes).",
                budget=budget_words(menu.budget_once, menu.budget_per_month, cur),
            )
        )
    out += ["", t("Every combination, ranked by net present value:"), *_table(ranked_rows(menu, cur)), ""]
    if has_budget(menu):
        out.append(_best_line(t("Do first, within the budget"), menu.best, params, capped=True))
        out.append(_best_line(t("Do first, without the budget"), menu.within(None, None).best, params))
    else:
        out.append(_best_line(t("Do first"), menu.best, params))
    out += [
        "",
        t("What each fix adds to the best combination (for one in it: what taking it out would lose):")
        if menu.best is not None
        else t("What each fix is worth alone (no combination within the budget pays):")
        if has_budget(menu)
        else t("What each fix is worth alone (no combination pays):"),
    ]
    width = max(len(say(o.members[0])) for o in menu.singles)
    out += [f"  {say(name):{width}s}  {signed_money(value, cur):>12s}" for name, value in menu.marginal.items()]
    return "\n".join(out)


def fixes_main(argv: list[str]) -> int:
    """Entry point of ``python -m estimator fixes``; returns the exit code."""
    args = parse_in_language(_parser, argv, lambda exc: user_message(exc))
    if isinstance(args, int):
        return args
    with i18n.use(args.lang):
        try:
            checked_draws(args.draws)
            params = load_preset(args.scenario)
            if args.draws is not None or args.seed is not None:
                params = params.replace(
                    **{k: v for k, v in (("draws", args.draws), ("seed", args.seed)) if v is not None}
                )
            once = budget_amount(args.budget_once, "--budget-once", params.budget_once)
            monthly = budget_amount(args.budget_per_month, "--budget-per-month", params.budget_per_month)
        except (UsageError, ScenarioError, ValueError) as exc:
            return fail(user_message(exc))
        menu = Report(params).menu.within(once, monthly)  # the scenario's own run, judged against this budget
        if args.json:
            text = json.dumps(menu_data(params, menu), indent=2, allow_nan=False)
        elif not params.menu:
            text = t(
                "{scenario} has no menu of fixes, so there is nothing to rank: add a 'menu:' section to the "
                "scenario file.",
                scenario=say(params.name),
            )
        else:
            text = render_menu(params, menu)
        try:
            print(text)
            sys.stdout.flush()
        except BrokenPipeError:  # the reader stopped early (``| head``): not an error of ours
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0

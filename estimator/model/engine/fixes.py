"""Applying a fix to a batch of lanes: relative, uncertain, never worse than today (§17).

A fix is carried as a ``FixPlan``: its steps (a setting, how it changes, and the lane that holds
each draw's amount) and the lanes holding its costs. The amounts and costs are drawn once per
scenario (``attach_fix_draws``) into lanes of their own, so every variant of a lane (its fixed
twin, a channel switched off, a chunk of draws) carries them, and the same fix gets the same draws
in every run of the same seed: the headline, a menu's table and a comparison agree draw by draw.

The scenario's own fix draws its change to each setting from that setting's own dimension of the
scenario's Sobol points (``sampling.UNIFORM_ROWS``). Each menu fix's draws come from a stream of its
own, named by the fix and the setting (a Latin hypercube column seeded by the scenario's seed and the
name). Either way, adding a fix, or a change to a fix, leaves every other fix's draws, and every
model parameter's, as they were.

A combination of fixes applies its members in menu order, each to the value the earlier ones left,
and each never worse than that value; so two relative cuts of the same setting multiply (−50 % and
−40 % make −70 %, not −90 %): fixes that touch the same thing overlap. Costs add.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np

from ..inputs.catalogue import BETTER, SPECS, ModelParam, model_param
from ..inputs.fix_plans import Change, Cost, as_change
from .lane_keys import FixLane, Lanes
from .pert import pert_from_uniform

#: The member name of a scenario's own fix (menu fixes are named by their names).
OWN = "The fix"

#: Lane keys of the catalogue's fix costs: the own fix's, and the reported fix's wherever it comes from.
COST_ONCE: Final = "fix_cost_once"
COST_PER_MONTH: Final = "fix_cost_per_month"

#: A lane holding a cost: the catalogue's cost lanes, or a menu fix's own (``cost_key``).
CostLane = Literal["fix_cost_once", "fix_cost_per_month"] | FixLane


def amount_key(member: str, setting: str) -> FixLane:
    """The lane holding each draw's amount of ``member``'s change of ``setting``."""
    return FixLane(f"fix|{member}|{setting}")


def cost_key(member: str, which: str) -> FixLane:
    """The lane holding each draw's ``cost_once`` or ``cost_per_month`` of menu fix ``member``."""
    return FixLane(f"fix|{member}|{which}")


@dataclass(frozen=True)
class FixStep:
    """One change of one setting within a plan: its kind, the lane of its amounts, and the change."""

    setting: ModelParam
    kind: str
    key: FixLane
    change: Change


@dataclass(frozen=True)
class FixPlan:
    """A fix (or a combination of menu fixes) as the engine runs it.

    ``steps`` apply in order; ``cost_once`` and ``cost_per_month`` are the lanes whose sum is each
    draw's cost; ``members`` names the fixes it is made of.
    """

    steps: tuple[FixStep, ...]
    cost_once: tuple[CostLane, ...]
    cost_per_month: tuple[CostLane, ...]
    members: tuple[str, ...]

    @property
    def settings(self) -> frozenset[str]:
        """The settings the plan changes."""
        return frozenset(step.setting for step in self.steps)

    @property
    def empty(self) -> bool:
        return not self.steps

    def zeroes(self, setting: str) -> bool:
        """Whether the plan surely takes ``setting`` to 0 in every draw (a full cut of bad visits)."""
        return any(step.setting == setting and _surely_zero(step.change) for step in self.steps)


def _surely_zero(change: Change) -> bool:
    if change.change == "target":
        return change.high == 0.0
    if change.change == "relative":
        return change.high == -1.0
    return change.high <= -1.0


def own_plan(fix: Mapping[str, Change]) -> FixPlan:
    """The scenario's own fix; its costs are the catalogue's ``fix_cost_once``/``fix_cost_per_month``."""
    changes = {name: as_change(change) for name, change in fix.items()}
    steps = tuple(
        FixStep(model_param(name), change.change, amount_key(OWN, name), change) for name, change in changes.items()
    )
    return FixPlan(steps, (COST_ONCE,), (COST_PER_MONTH,), (OWN,))


def menu_plan(menu: Sequence, members: Sequence[int]) -> FixPlan:
    """The combination of the menu fixes at positions ``members`` (applied in menu order)."""
    chosen = [menu[i] for i in sorted(set(members))]
    steps = tuple(
        FixStep(model_param(name), change.change, amount_key(fix.name, name), change)
        for fix in chosen
        for name, change in fix.changes.items()
    )
    return FixPlan(
        steps,
        tuple(cost_key(fix.name, "cost_once") for fix in chosen),
        tuple(cost_key(fix.name, "cost_per_month") for fix in chosen),
        tuple(fix.name for fix in chosen),
    )


def reported_plan(params) -> FixPlan:  # noqa: ANN001 (Params: imported by params' users, not here)
    """The fix every tab reports on: the chosen menu fixes together, else the scenario's own fix.

    Its costs are read from the catalogue's cost lanes, which ``attach_fix_draws`` fills with the
    chosen fixes' costs when a choice is made (so what matters most sees them too).
    """
    if not params.chosen:
        return own_plan(params.fix)
    positions = [i for i, fix in enumerate(params.menu) if fix.name in params.chosen]
    plan = menu_plan(params.menu, positions)
    return FixPlan(plan.steps, (COST_ONCE,), (COST_PER_MONTH,), plan.members)


def changed_value(kind: str, today: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """The value a change gives, before the never-worse rule and the bounds.

    >>> import numpy as np
    >>> round(float(changed_value("relative", np.array([0.01]), np.array([-0.8]))[0]), 12)
    0.002
    >>> float(changed_value("points", np.array([0.1]), np.array([0.5]))[0]), float(changed_value("target", np.array([0.1]), np.array([0.6]))[0])
    (0.6, 0.6)
    """
    if kind == "relative":
        return today * (1.0 + amount)
    if kind == "points":
        return today + amount
    return np.broadcast_to(amount, today.shape).copy()


def fixed_values(lanes: Lanes, plan: FixPlan) -> dict[ModelParam, np.ndarray]:
    """Each changed setting's value with the fix, lane by lane.

    Every step starts from the value the earlier steps left (today's for the first), and its result
    is kept within the setting's bounds and never worse than where it started (``BETTER`` says which
    way is better): a fix never makes a draw's service worse than that draw's today.

    Examples
    --------
    >>> import numpy as np
    >>> from estimator.model.inputs.fix_plans import Change
    >>> plan = own_plan({"bad_visit_rate": Change(change="target", mode=0.03, low=0.03, high=0.03)})
    >>> lanes = {"bad_visit_rate": np.array([0.02, 0.05]), amount_key(OWN, "bad_visit_rate"): np.array([0.03, 0.03])}
    >>> fixed_values(lanes, plan)["bad_visit_rate"].tolist()   # a target above today keeps today
    [0.02, 0.03]
    """
    values: dict[ModelParam, np.ndarray] = {}
    for step in plan.steps:
        before = values.get(step.setting, lanes[step.setting])
        spec = SPECS[step.setting]
        after = np.clip(changed_value(step.kind, before, lanes[step.key]), spec.lower, spec.upper)
        values[step.setting] = np.minimum(after, before) if BETTER[step.setting] < 0 else np.maximum(after, before)
    return values


def plan_costs(lanes: Lanes, plan: FixPlan) -> tuple[np.ndarray, np.ndarray]:
    """Each lane's one-off and monthly cost of the plan (its members' costs added)."""
    n = next(iter(lanes.values())).shape[0]
    once = np.zeros(n)
    monthly = np.zeros(n)
    for key in plan.cost_once:
        once += lanes[key]
    for key in plan.cost_per_month:
        monthly += lanes[key]
    return once, monthly


def named_uniforms(seed: int, name: str, draws: int) -> np.ndarray:
    """Uniforms on [0, 1) for ``draws`` draws of the quantity ``name``: one Latin hypercube column
    (each of the ``draws`` equal slices of [0, 1) holds exactly one), from a stream seeded by the seed
    and the name alone, so no other quantity's draws move when this one is added or removed.

    >>> u = named_uniforms(42, "fix|Toilet rounds|bad_visit_rate", 8)
    >>> sorted((u * 8).astype(int).tolist()) == list(range(8))
    True
    """
    if draws <= KEPT_UNIFORM_DRAWS:  # a slider move draws the same columns again: keep them (read-only)
        return _kept_uniforms(int(seed), name, int(draws))
    return _make_uniforms(int(seed), name, int(draws))


#: Named columns of up to this many draws are made once and kept (at most 64 of them: 16 MB).
KEPT_UNIFORM_DRAWS = 32_768


def _make_uniforms(seed: int, name: str, draws: int) -> np.ndarray:
    rng = np.random.default_rng([seed & 0xFFFFFFFFFFFF, zlib.crc32(name.encode("utf-8"))])
    return (rng.permutation(draws) + rng.random(draws)) / draws


@functools.lru_cache(maxsize=64)
def _kept_uniforms(seed: int, name: str, draws: int) -> np.ndarray:
    column = _make_uniforms(seed, name, draws)
    column.flags.writeable = False
    return column


def _draw(low: float, mode: float, high: float, seed: int | None, name: str, draws: int) -> np.ndarray:
    if seed is None or high <= low:
        return np.full(draws, float(mode))
    return pert_from_uniform(low, mode, high, named_uniforms(seed, name, draws).copy())  # overwritten in place


def _cost_draws(cost: Cost, seed: int | None, name: str, draws: int) -> np.ndarray:
    return _draw(cost.low, cost.mode, cost.high, seed, name, draws)


def fix_draws(
    params,
    draws: int,
    seed: int | None,  # noqa: ANN001
    own: Mapping[str, np.ndarray] | None = None,
) -> Lanes:
    """The lanes of every fix of a scenario: each change's amount (own fix and every menu fix) and
    each menu fix's costs, drawn from PERT (``seed`` None: every value at its mode, one per lane).
    ``own`` holds the uniforms of the own fix's change to each setting (read, not kept); without them
    the own fix draws from named streams like the menu's."""
    out: Lanes = {}
    for name, change in params.fix.items():
        change, key = as_change(change), amount_key(OWN, name)
        if own is not None and name in own and seed is not None and change.high > change.low:
            # A copy: a view would keep every row of the scenario's uniforms alive with the lanes.
            out[key] = pert_from_uniform(change.low, change.mode, change.high, own[name].copy())
        else:
            out[key] = _draw(change.low, change.mode, change.high, seed, key, draws)
    for fix in params.menu:
        for name, change in fix.changes.items():
            key = amount_key(fix.name, name)
            out[key] = _draw(change.low, change.mode, change.high, seed, key, draws)
        for which in ("cost_once", "cost_per_month"):
            key = cost_key(fix.name, which)
            out[key] = _cost_draws(getattr(fix, which), seed, key, draws)
    return out


def attach_fix_draws(
    params,
    lanes: Lanes,
    seed: int | None,  # noqa: ANN001
    own: Mapping[str, np.ndarray] | None = None,
) -> Lanes:
    """``lanes`` with the scenario's fix draws added (``fix_draws``); where menu fixes are chosen,
    the catalogue's cost lanes become the chosen fixes' costs added up (in place; returned)."""
    draws = next(iter(lanes.values())).shape[0]
    lanes.update(fix_draws(params, draws, seed, own))
    if params.chosen:
        once, monthly = plan_costs(
            lanes, menu_plan(params.menu, [i for i, fix in enumerate(params.menu) if fix.name in params.chosen])
        )
        lanes[COST_ONCE], lanes[COST_PER_MONTH] = once, monthly
    return lanes


def planned_costs(params) -> tuple[float, float]:  # noqa: ANN001
    """The reported fix's planned one-off and monthly cost at their most likely values: the catalogue's
    for the scenario's own fix, the chosen menu fixes' added up otherwise."""
    if not params.chosen:
        return float(params.fix_cost_once), float(params.fix_cost_per_month)
    chosen = [fix for fix in params.menu if fix.name in params.chosen]
    return sum(fix.cost_once.mode for fix in chosen), sum(fix.cost_per_month.mode for fix in chosen)

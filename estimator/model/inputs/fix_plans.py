"""A fix as managers plan it (docs/methodology.md, section 7; MODEL.md §17–§18).

A fix changes service settings, each **relative to today** (``bad visits −80 %``), by **points**
(``complaints resolved +50 points``) or to an absolute **target**, and the change may be uncertain
(PERT low/mode/high), like any assumption. ``Change`` is one such change; ``Cost`` a fix's cost
(certain or a PERT range); ``MenuFix`` one named candidate fix of a scenario's menu, with its
changes, its costs and where they come from. The engine that applies them is ``fixes``.

A bare number where a change is expected is a target (what v2's scenario files wrote).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .catalogue import FIXABLE, SPECS
from .clean import clean_text
from .text import Text

ChangeKind = Literal["relative", "points", "target"]

#: The kinds of change, in the order a planner offers them (relative is the default).
CHANGE_KINDS: tuple[ChangeKind, ...] = ("relative", "points", "target")

#: Most fixes a menu may hold: every combination is simulated (2^6 − 1 = 63).
MAX_MENU_FIXES = 6

#: A scenario file's sections about fixes.
FIX_SECTIONS: tuple[str, ...] = ("fix", "menu", "chosen", "budget")

#: Largest relative change (+1,000 %); a relative cut is at most −100 %.
MAX_RELATIVE_CHANGE = 10.0

NOT_FIXABLE = "fix: '{name}' is not a service setting a fix can change; allowed: {allowed}"
CHANGE_NOT_READ = "must be a number, or a change with a mode (relative, points or a target)"
BAD_CHANGE = "fix: {name}: '{kind}' is not a kind of change; allowed: relative, points, target"
CHANGE_NOT_FINITE = "fix: {name}: the change must be a finite number (got {value})"
CHANGE_ORDER = "fix: {name}: low = {low:g}, mode = {mode:g}, high = {high:g} must satisfy low <= mode <= high"
RELATIVE_OUT = "fix: {name}: a relative change of {value:g} is outside -1 (all gone) to 10 (+1,000 %)"
POINTS_OUT = "fix: {name}: a change of {value:g} points is outside -1 to 1"
TARGET_OUT = "fix: {name}: the target {value:g} is outside the allowed range 0 to 1"
COST_NEGATIVE = "menu: '{fix}': {which} must be a finite amount of at least 0, with low <= mode <= high"
MENU_TOO_LONG = "menu: at most 6 fixes (got {count}): every combination of them is simulated"
MENU_SAME_NAME = "menu: two fixes are named '{fix}'; each needs its own name"
MENU_NO_CHANGE = "menu: '{fix}' changes nothing; give it at least one change"
CHOSEN_UNKNOWN = "chosen: '{fix}' is not on the menu"
TEXTS: tuple[str, ...] = (
    CHANGE_NOT_READ,
    BAD_CHANGE,
    CHANGE_NOT_FINITE,
    CHANGE_ORDER,
    RELATIVE_OUT,
    POINTS_OUT,
    TARGET_OUT,
    COST_NEGATIVE,
    MENU_TOO_LONG,
    MENU_SAME_NAME,
    MENU_NO_CHANGE,
    CHOSEN_UNKNOWN,
)


def _with_range(value: Any) -> Any:
    """A mapping with a mode and no low or high is certain: low = high = mode."""
    if isinstance(value, Mapping) and "mode" in value:
        value = dict(value)
        value.setdefault("low", value["mode"])
        value.setdefault("high", value["mode"])
    return value


def _check_kind(value: Any) -> Any:
    """A change written as a mapping names its kind among ``CHANGE_KINDS``."""
    if isinstance(value, Mapping) and "change" in value and value["change"] not in CHANGE_KINDS:
        raise ValueError(Text(BAD_CHANGE, name="?", kind=str(value["change"])[:20]))
    return value


class Change(BaseModel):
    """One planned change of a service setting, with how sure the manager is of it.

    ``change`` says how ``mode`` (and ``low``/``high``, a PERT range; equal to ``mode`` when the
    change is certain) act on the setting's value today: ``relative`` multiplies it by (1 + x),
    ``points`` adds x in the setting's own unit (0.5 on a share is 50 points), ``target`` replaces
    it by x. Applied to a draw, the fixed value is never worse than that draw's today (``fixes``).

    Examples
    --------
    >>> Change(change="relative", mode=-0.8, low=-0.9, high=-0.6).uncertain
    True
    >>> Change.model_validate(0.002)            # a bare number is a target
    Change(change='target', mode=0.002, low=0.002, high=0.002)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    change: ChangeKind = "relative"
    mode: float
    low: float
    high: float

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, value: Any) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = {"change": "target", "mode": float(value)}
        if not isinstance(value, (Mapping, Change)):
            raise ValueError(Text(CHANGE_NOT_READ))
        return _with_range(_check_kind(value))

    @property
    def uncertain(self) -> bool:
        """Whether the change is a range rather than one value."""
        return self.high > self.low

    def problem(self, name: str) -> Text | None:
        """What is wrong with this change of setting ``name`` (None if nothing)."""
        values = (self.low, self.mode, self.high)
        if not all(math.isfinite(v) for v in values):
            bad = next(v for v in values if not math.isfinite(v))
            return Text(CHANGE_NOT_FINITE, name=name, value=bad)
        if not self.low <= self.mode <= self.high:
            return Text(CHANGE_ORDER, name=name, low=self.low, mode=self.mode, high=self.high)
        limits = {
            "relative": (-1.0, MAX_RELATIVE_CHANGE, RELATIVE_OUT),
            "points": (-1.0, 1.0, POINTS_OUT),
            "target": (SPECS[name].lower, SPECS[name].upper, TARGET_OUT),
        }
        lower, upper, message = limits[self.change]
        for value in values:
            if not lower <= value <= upper:
                return Text(message, name=name, value=value)
        return None

    def at_mode(self) -> Change:
        """The same change without its uncertainty."""
        return self.model_copy(update={"low": self.mode, "high": self.mode})


class Cost(BaseModel):
    """A fix's cost, in the scenario's currency: certain (a number) or a PERT range."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mode: float = 0.0
    low: float = 0.0
    high: float = 0.0

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, value: Any) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = {"mode": float(value)}
        return _with_range(value)

    def at_mode(self) -> Cost:
        """The same cost, certain."""
        return self.model_copy(update={"low": self.mode, "high": self.mode})

    @property
    def valid(self) -> bool:
        values = (self.low, self.mode, self.high)
        return all(math.isfinite(v) for v in values) and 0.0 <= self.low <= self.mode <= self.high

    @property
    def mean(self) -> float:
        """The PERT mean, (low + 4·mode + high) / 6: what the cost is expected to be."""
        return (self.low + 4.0 * self.mode + self.high) / 6.0


def as_change(value: Change | float) -> Change:
    """A change; a bare number (what a v2 caller or file gives) is a target."""
    return value if isinstance(value, Change) else Change.model_validate(value)


def fixed_at_mode(changes: Mapping[str, Change | float]) -> dict[str, Change]:
    """The same changes without their uncertainty."""
    return {name: as_change(change).at_mode() for name, change in changes.items()}


def changes_problem(changes: Mapping[str, Change]) -> Text | None:
    """The first thing wrong with a set of changes (a setting a fix may not change, a bad value)."""
    for name, change in changes.items():
        if name not in FIXABLE:
            return Text(NOT_FIXABLE, name=name, allowed=", ".join(FIXABLE))
        problem = change.problem(name)
        if problem is not None:
            return problem
    return None


class MenuFix(BaseModel):
    """One candidate fix of a scenario's menu: what it changes, what it costs and why.

    Examples
    --------
    >>> toilet = MenuFix(name="Toilet rounds", changes={"bad_visit_rate": {"mode": -0.5}},
    ...                  cost_once=2000, cost_per_month={"mode": 540, "low": 400, "high": 800})
    >>> toilet.changes["bad_visit_rate"].change, toilet.cost_per_month.mean
    ('relative', 560.0)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=60, description="The fix's name, as a manager says it.")
    description: str = Field("", max_length=1_000, description="What the fix is.")
    changes: dict[str, Change] = Field(description="Service setting -> its change.")
    cost_once: Cost = Field(default_factory=Cost, description="One-off cost, at the start.")
    cost_per_month: Cost = Field(default_factory=Cost, description="Running cost, each month.")
    source: str = Field("", max_length=5_000, description="Where the effect and the costs come from.")
    grade: Literal["measured", "published", "assumption"] = "assumption"

    @field_validator("name", "description", "source", mode="before")
    @classmethod
    def _clean_words(cls, value: Any) -> Any:
        return clean_text(value).strip() if isinstance(value, str) else value

    def at_mode(self) -> MenuFix:
        """The same fix with its changes and costs certain (at their most likely values)."""
        return self.model_copy(
            update={
                "changes": fixed_at_mode(self.changes),
                "cost_once": self.cost_once.at_mode(),
                "cost_per_month": self.cost_per_month.at_mode(),
            }
        )

    @model_validator(mode="after")
    def _check(self) -> MenuFix:
        if not self.changes:
            raise ValueError(Text(MENU_NO_CHANGE, fix=self.name))
        problem = changes_problem(self.changes)
        if problem is not None:
            raise ValueError(problem)
        for which, cost in (("cost_once", self.cost_once), ("cost_per_month", self.cost_per_month)):
            if not cost.valid:
                raise ValueError(Text(COST_NEGATIVE, fix=self.name, which=which))
        return self


def check_menu(menu: tuple[MenuFix, ...], chosen: tuple[str, ...]) -> None:
    """A menu holds at most ``MAX_MENU_FIXES`` fixes with distinct names; what is chosen is on it."""
    if len(menu) > MAX_MENU_FIXES:
        raise ValueError(Text(MENU_TOO_LONG, count=len(menu)))
    names = [fix.name for fix in menu]
    for name in names:
        if names.count(name) > 1:
            raise ValueError(Text(MENU_SAME_NAME, fix=name))
    for name in chosen:
        if name not in names:
            raise ValueError(Text(CHOSEN_UNKNOWN, fix=name[:60]))


def change_to_mapping(change: Change) -> float | dict[str, Any]:
    """A change as a scenario file writes it: a bare number for a certain target, else a mapping
    (low and high only where the change is uncertain)."""
    if change.change == "target" and not change.uncertain:
        return change.mode
    out: dict[str, Any] = {"change": change.change, "mode": change.mode}
    if change.uncertain:
        out.update(low=change.low, high=change.high)
    return out


def cost_to_mapping(cost: Cost) -> float | dict[str, float]:
    """A cost as a scenario file writes it: a number if certain, else mode, low and high."""
    return cost.mode if cost.high <= cost.low else {"mode": cost.mode, "low": cost.low, "high": cost.high}


def menu_to_mapping(menu: tuple[MenuFix, ...]) -> list[dict[str, Any]]:
    """A menu as a scenario file's ``menu:`` list."""
    return [
        {
            "name": fix.name,
            "description": fix.description,
            "changes": {name: change_to_mapping(change) for name, change in fix.changes.items()},
            "cost_once": cost_to_mapping(fix.cost_once),
            "cost_per_month": cost_to_mapping(fix.cost_per_month),
            "source": fix.source,
            "grade": fix.grade,
        }
        for fix in menu
    ]


def fix_sections(params: Any) -> dict[str, Any]:
    """A scenario's ``fix``, ``menu``, ``chosen`` and ``budget`` as its file writes them (no empty
    menu, choice or budget)."""
    out: dict[str, Any] = {"fix": {name: change_to_mapping(as_change(change)) for name, change in params.fix.items()}}
    if params.menu:
        out["menu"] = menu_to_mapping(params.menu)
    if params.chosen:
        out["chosen"] = list(params.chosen)
    budget = {
        key: value
        for key, value in (("once", params.budget_once), ("per_month", params.budget_per_month))
        if value is not None
    }
    if budget:
        out["budget"] = budget
    return out


BAD_MENU = "{origin}: 'menu' must be a list of fixes, each with a name, changes and costs"
BAD_CHOSEN = "{origin}: 'chosen' must be a list of the menu's fix names"
BAD_BUDGET = "{origin}: 'budget' may hold 'once' and 'per_month', each an amount of at least 0"
TEXTS = TEXTS + (BAD_MENU, BAD_CHOSEN, BAD_BUDGET)


def fix_fields(data: Mapping[str, Any], origin: str, bad_fix: str) -> dict[str, Any]:
    """The ``fix``, ``menu`` and ``chosen`` of a scenario file's mapping, shaped for ``Params`` (which
    validates them); a section of the wrong shape raises ``ValueError`` with a message naming it."""
    fields: dict[str, Any] = {}
    fix = data.get("fix")
    if fix is not None:
        if not isinstance(fix, Mapping):
            raise ValueError(Text(bad_fix, origin=origin))
        fields["fix"] = {str(k): v for k, v in fix.items()}
    menu = data.get("menu")
    if menu is not None:
        if not isinstance(menu, list) or not all(isinstance(item, Mapping) for item in menu):
            raise ValueError(Text(BAD_MENU, origin=origin))
        fields["menu"] = tuple(menu)
    chosen = data.get("chosen")
    if chosen is not None:
        if not isinstance(chosen, list) or not all(isinstance(item, str) for item in chosen):
            raise ValueError(Text(BAD_CHOSEN, origin=origin))
        fields["chosen"] = tuple(chosen)
    budget = data.get("budget")
    if budget is not None:
        if (
            not isinstance(budget, Mapping)
            or set(budget) - {"once", "per_month"}
            or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v >= 0
                for v in budget.values()
            )
        ):
            raise ValueError(Text(BAD_BUDGET, origin=origin))
        fields.update({f"budget_{key}": float(value) for key, value in budget.items()})
    return fields

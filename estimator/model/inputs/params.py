"""``Params``: one validated, immutable scenario (modes, ranges, metadata).

Each parameter's field is declared with its type and built from the catalogue, so bounds,
units and help text exist in one place. A value outside its bounds raises a
``pydantic.ValidationError`` whose message names the field, the value and the allowed range.

Uncertainty lives beside the modes: ``ranges[name] = (low, high)`` for each uncertain
parameter. ``Params.replace`` moves modes the way a slider does: the range keeps its
relative width around the new mode, clamped to the parameter's bounds.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationInfo, field_validator, model_validator

from .catalogue import SPECS, UNCERTAIN_PARAMS, ParamName, ParamSpec, _fmt
from .clean import clean_text  # noqa: F401  (re-exported: scenario texts are cleaned here)
from .fix_plans import NOT_FIXABLE, Change, MenuFix, changes_problem, check_menu, fixed_at_mode
from .text import Text

Range = tuple[float, float]

#: The messages of a value ``Params`` refuses (templates; ``{allowed}`` is a range, ``{unit}`` a unit).
NOT_FINITE = "{name} must be a finite number (got {value}); allowed: {allowed} {unit}"
NOT_FINITE_NO_UNIT = "{name} must be a finite number (got {value}); allowed: {allowed}"
OUT_OF_RANGE = "{name} = {value:g} is outside the allowed range {allowed} {unit}"
OUT_OF_RANGE_NO_UNIT = "{name} = {value:g} is outside the allowed range {allowed}"
BAD_CURRENCY = "currency {value} may contain only letters and currency signs (EUR, €, US$)"
#: ``{market_size}`` is the setting's name as a scenario file spells it.
MARKET_NOT_LARGER = (
    "customers = {customers:,.0f} must be smaller than {market_size} = {market:,.0f} (the market "
    "includes today's customers)"
)
NOT_UNCERTAIN = "ranges: '{name}' is not an uncertain model parameter; allowed: {allowed}"
RANGE_WITHOUT_MODE = (
    "{name}: range low = {low:g}, high = {high:g} must contain the value {mode:g} (low <= value <= high)"
)
UNKNOWN_GRADES = "grades: unknown parameter(s) {names}"
#: A setting's allowed range, as ``ParamSpec.describe_range`` writes it.
FROM_TO = "{low:,} to {high:,}"
MORE_THAN_TO = "more than {low:,} to {high:,}"
AT_LEAST = "at least {low:,}"
MORE_THAN = "more than {low:,}"
TEXTS: tuple[str, ...] = (
    NOT_FINITE,
    NOT_FINITE_NO_UNIT,
    OUT_OF_RANGE,
    OUT_OF_RANGE_NO_UNIT,
    BAD_CURRENCY,
    MARKET_NOT_LARGER,
    NOT_UNCERTAIN,
    RANGE_WITHOUT_MODE,
    NOT_FIXABLE,
    UNKNOWN_GRADES,
    FROM_TO,
    MORE_THAN_TO,
    AT_LEAST,
    MORE_THAN,
)


def _bound(value: float) -> int | float | None:
    """A bound as a number that ``{:,}`` writes as ``describe_range`` does (None if none does)."""
    number = int(value) if float(value).is_integer() and math.isfinite(value) else float(value)
    return number if format(number, ",") == _fmt(value) else None


def allowed_range(spec: ParamSpec) -> str:
    """``spec.describe_range()`` as a text another language can say (``0 to 1``, ``at least 1``).

    >>> allowed_range(SPECS["bad_visit_rate"]), allowed_range(SPECS["bad_visit_rate"]).template
    ('0 to 1', '{low:,} to {high:,}')
    """
    english, low = spec.describe_range(), _bound(spec.lower)
    if spec.upper == float("inf"):
        made = None if low is None else Text(MORE_THAN if spec.strict_lower else AT_LEAST, low=low)
    else:
        high = _bound(spec.upper)
        made = (
            None
            if low is None or high is None
            else Text(MORE_THAN_TO if spec.strict_lower else FROM_TO, low=low, high=high)
        )
    return made if made is not None and made == english else english


def check_value(spec: ParamSpec, value: float) -> None:
    """Raise ``ValueError`` naming field, value and allowed range if ``value`` is out of bounds."""
    unit = {"unit": Text(spec.unit)} if spec.unit else {}
    if not math.isfinite(value):
        raise ValueError(
            Text(
                NOT_FINITE if spec.unit else NOT_FINITE_NO_UNIT,
                name=spec.name,
                value=repr(value),
                allowed=allowed_range(spec),
                **unit,
            )
        )
    too_low = value <= spec.lower if spec.strict_lower else value < spec.lower
    if too_low or value > spec.upper:
        raise ValueError(
            Text(
                OUT_OF_RANGE if spec.unit else OUT_OF_RANGE_NO_UNIT,
                name=spec.name,
                value=value,
                allowed=allowed_range(spec),
                **unit,
            )
        )


def _clamp(spec: ParamSpec, value: float) -> float:
    return min(max(value, spec.lower), spec.upper)


def shift_range(spec: ParamSpec, old_mode: float, new_mode: float, rng: Range) -> Range:
    """Move a (low, high) range with its mode, keeping its relative width.

    The range is scaled by ``new_mode / old_mode`` (shifted by the difference when the old
    mode is 0), clamped to the parameter's bounds and widened if needed so that it still
    contains the new mode.
    """
    low, high = rng
    if old_mode != 0:
        ratio = new_mode / old_mode
        low, high = low * ratio, high * ratio  # bounds are never negative, so ratio >= 0
    else:
        low, high = low + new_mode - old_mode, high + new_mode - old_mode
    low, high = _clamp(spec, low), _clamp(spec, high)
    return min(low, new_mode), max(high, new_mode)


def _is_currency_character(ch: str) -> bool:
    return ch.isalpha() or unicodedata.category(ch) == "Sc" or ch in " ."


def _kind(spec: ParamSpec) -> type[int] | type[float]:
    """A parameter's Python type: ``int`` for a whole-number setting never drawn, else ``float``."""
    return int if (spec.integer and not spec.uncertain) else float


def _param(name: ParamName) -> Any:
    """The pydantic field of catalogue parameter ``name``: its default, label, help, unit and group.

    The bounds are checked by ``Params._check_bounds``; NaN/inf pass the type check of a float so
    that the bounds check can name the field and range.
    """
    spec = SPECS[name]
    extra: dict[str, JsonValue] = {"unit": spec.unit, "symbol": spec.symbol, "group": spec.group}
    allow_inf_nan = True if _kind(spec) is float else None
    return Field(
        spec.default, title=spec.label, description=spec.help, json_schema_extra=extra, allow_inf_nan=allow_inf_nan
    )


class Params(BaseModel):
    """A validated, immutable scenario: one value (the mode) per catalogue parameter, optional (low, high)
    ranges for the Monte Carlo, and name/currency/sources.

    Each catalogue parameter is declared below with its type, so that the type checker knows every
    name; its default, bounds, label and help come from the catalogue (``_param``), which stays the
    one place they are written. tests/test_typing.py holds the declarations equal to the catalogue.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field("Custom scenario", max_length=200, description="Scenario name.")
    description: str = Field("", max_length=5_000, description="What the scenario is.")
    currency: str = Field("EUR", min_length=1, max_length=8, description="Currency code for money values.")
    ranges: dict[str, Range] = Field(default_factory=dict, description="(low, high) of each uncertain parameter.")
    sources: dict[str, str] = Field(default_factory=dict, description="Where each parameter's value comes from.")
    grades: dict[str, Literal["measured", "published", "assumption"]] = Field(
        default_factory=dict,
        description="How each value is known: the business's own data (measured), "
        "a study with its place (published), or a reasoned guess (assumption).",
    )
    baseline: Literal["today", "flawless"] = Field(
        "today",
        description="Where both arms start: the business as it is today under its current service "
        "(today), or a flawless business that starts shrugging (flawless, as in v1).",
    )
    fix: dict[str, Change] = Field(
        default_factory=lambda: {"bad_visit_rate": Change(change="target", mode=0.0, low=0.0, high=0.0)},
        description="The scenario's own fix: service parameter -> its change (relative to today, by points or "
        "to a target; a bare number is a target). Never worse than today in any draw.",
    )
    menu: tuple[MenuFix, ...] = Field((), description="Candidate fixes, each with its changes and costs (at most 6).")
    chosen: tuple[str, ...] = Field(
        (), description="The menu fixes whose combination every tab reports on; none: the scenario's own fix."
    )
    budget_once: float | None = Field(
        None, ge=0, allow_inf_nan=False, description="Most the chosen fixes may cost once (expected); none: no cap."
    )
    budget_per_month: float | None = Field(
        None, ge=0, allow_inf_nan=False, description="Most the chosen fixes may cost a month (expected); none: no cap."
    )

    # The catalogue's parameters, in catalogue order: ``float``, or ``int`` for a whole-number setting
    # that is never drawn (``_kind``).
    customers: float = _param("customers")
    max_customers: int = _param("max_customers")
    market_size: float = _param("market_size")
    visits_per_month: float = _param("visits_per_month")
    spend_per_visit: float = _param("spend_per_visit")
    gross_margin: float = _param("gross_margin")
    monthly_attrition: float = _param("monthly_attrition")
    bad_visit_rate: float = _param("bad_visit_rate")
    delight_rate: float = _param("delight_rate")
    complaint_rate: float = _param("complaint_rate")
    recovery_rate: float = _param("recovery_rate")
    churn_silent: float = _param("churn_silent")
    churn_unresolved: float = _param("churn_unresolved")
    churn_recovered: float = _param("churn_recovered")
    stated_to_actual_churn: float = _param("stated_to_actual_churn")
    tell_unhappy: float = _param("tell_unhappy")
    tell_happy: float = _param("tell_happy")
    retell_prob: float = _param("retell_prob")
    influence_negative: float = _param("influence_negative")
    deterrence_ratio: float = _param("deterrence_ratio")
    influence_positive: float = _param("influence_positive")
    homophily: float = _param("homophily")
    memory_months: float = _param("memory_months")
    review_rate_unhappy: float = _param("review_rate_unhappy")
    review_rate_happy: float = _param("review_rate_happy")
    stars_unhappy: float = _param("stars_unhappy")
    stars_happy: float = _param("stars_happy")
    initial_rating: float = _param("initial_rating")
    initial_reviews: float = _param("initial_reviews")
    review_halflife_months: float = _param("review_halflife_months")
    acquisition_per_star: float = _param("acquisition_per_star")
    spend_per_star: float = _param("spend_per_star")
    fix_cost_once: float = _param("fix_cost_once")
    fix_cost_per_month: float = _param("fix_cost_per_month")
    horizon_months: int = _param("horizon_months")
    discount_rate_annual: float = _param("discount_rate_annual")
    draws: int = _param("draws")
    seed: int = _param("seed")

    @field_validator(*SPECS, mode="after")
    @classmethod
    def _check_bounds(cls, value: float, info: ValidationInfo) -> float:
        assert info.field_name is not None  # a field validator always names its field
        check_value(SPECS[info.field_name], float(value))
        return value

    @field_validator("name", "description", mode="before")
    @classmethod
    def _clean_words(cls, value: Any, info: ValidationInfo) -> Any:
        """Names and descriptions reach slides, spreadsheets and titles: no control or spoofing characters."""
        return clean_text(value, keep_newlines=info.field_name == "description") if isinstance(value, str) else value

    @field_validator("sources", mode="before")
    @classmethod
    def _clean_sources(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {key: clean_text(text) if isinstance(text, str) else text for key, text in value.items()}
        return value

    @field_validator("currency")
    @classmethod
    def _check_currency(cls, value: str) -> str:
        """A currency is a code or a symbol (EUR, €, US$): letters, currency signs, spaces and dots only,
        so that it can never start a spreadsheet formula, a link or markup wherever it is shown."""
        if not value.strip() or not all(_is_currency_character(ch) for ch in value):
            raise ValueError(Text(BAD_CURRENCY, value=repr(value[:8])))
        return value.strip()

    @model_validator(mode="after")
    def _check_consistency(self) -> Params:
        """Cross-field rules: market larger than the customer base; ranges around their modes."""
        if self.customers >= self.market_size:
            raise ValueError(
                Text(MARKET_NOT_LARGER, customers=self.customers, market_size="market_size", market=self.market_size)
            )
        for name, (low, high) in self.ranges.items():
            if name not in UNCERTAIN_PARAMS:
                raise ValueError(Text(NOT_UNCERTAIN, name=name, allowed=", ".join(UNCERTAIN_PARAMS)))
            spec = SPECS[name]
            check_value(spec, low)
            check_value(spec, high)
            mode = getattr(self, name)
            if not low <= mode <= high:
                raise ValueError(Text(RANGE_WITHOUT_MODE, name=name, low=low, high=high, mode=mode))
        problem = changes_problem(self.fix)
        if problem is not None:
            raise ValueError(problem)
        check_menu(self.menu, self.chosen)
        unknown = set(self.grades) - set(SPECS)
        if unknown:
            raise ValueError(Text(UNKNOWN_GRADES, names=str(sorted(unknown))))
        return self

    def replace(self, **changes: Any) -> Params:
        """A validated copy with some values changed, as a slider would change them.

        Ranges of changed parameters move with the new value (relative width kept).
        Unknown names raise ``ValueError``.
        """
        data = self.model_dump()
        ranges = dict(data["ranges"])
        for name, value in changes.items():
            if name not in data:
                raise ValueError(f"unknown parameter '{name}'")
            if name in ranges and name in SPECS:
                ranges[name] = shift_range(SPECS[name], float(data[name]), float(value), ranges[name])
            data[name] = value
        if "ranges" not in changes:
            data["ranges"] = ranges
        return type(self).model_validate(data)

    def value_range(self, name: str) -> Range:
        """(low, high) of a parameter: its range if uncertain, else (value, value)."""
        value = float(getattr(self, name))
        low, high = self.ranges.get(name, (value, value))
        return low, high

    def without_uncertainty(self) -> Params:
        """The same scenario with every range collapsed onto its mode: the parameters', and the fix's
        and the menu's changes and costs."""
        menu = tuple(fix.at_mode() for fix in self.menu)
        return self.replace(ranges={}).model_copy(update={"fix": fixed_at_mode(self.fix), "menu": menu})

    def known(self, *names: str) -> Params:
        """The same scenario with ``names`` marked known: their ranges removed (no uncertainty)."""
        unknown = [name for name in names if name not in SPECS]
        if unknown:
            raise ValueError(f"unknown parameter(s) {unknown}")
        return self.replace(ranges={k: v for k, v in self.ranges.items() if k not in names})

    def uncertain(self, name: str, low: float, high: float) -> Params:
        """The same scenario with ``name`` marked uncertain between ``low`` and ``high``."""
        return self.replace(ranges={**self.ranges, name: (float(low), float(high))})

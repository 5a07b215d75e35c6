"""Calibrating a scenario from the business's own data: reviews, complaint log, survey.

``calibrate`` reads the files' bytes (``own_records``), turns their counts into posteriors and
PERT ranges (``posteriors``, ``calibration_sources``; docs/methodology.md, section 8c) and returns
a ``Calibration``: the new, validated ``Params`` (each calibrated value with its grade and a
source line naming the file, its rows and its period) and the report: each value before and
after, what was read from each file, checks (the rating's drift, where two files give the same
value), warnings, and the loss before and after.

``strict=True`` (the command line) raises ``OwnDataError`` for the first unusable file;
``strict=False`` (an upload page) keeps each file's error in ``errors`` and calibrates from the
files that could be read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..engine.runs import simulate
from ..engine.uncertainty import monte_carlo
from ..inputs.catalogue import CATALOGUE, SPECS
from ..inputs.params import Params, Range, check_value
from ..inputs.text import Text
from .calibration_sources import Basis, Calibrated, complaints_from_log, from_reviews, from_survey, recovery_from_log
from .posteriors import Estimate, drift
from .records import FileInfo, read_complaints, read_reviews, read_survey
from .tables import OwnDataError, problem_of

KINDS = ("reviews", "complaints", "survey")

#: What calibration says (templates): mistakes in the facts given, checks and warnings.
#: ``{market_size}`` is the setting's name as a scenario file spells it.
NOT_WHOLE_CUSTOMERS = "customers = {customers:g} must be a whole number of people"
CUSTOMERS_NOT_BELOW_MARKET = ("customers = {customers:,.0f} must be smaller than {market_size} = {market:,.0f} of the "
                              "scenario")
NOTHING_TO_CALIBRATE = "nothing to calibrate from: give a reviews export, a complaint log or a survey"
STEADY_RATING = "steady rating R* (section 2.2): {steady:.2f} against today's {today:.2f}"
TWO_FILES = ("{name}: two files give it; used {mode:.3g} ({low:.3g} to {high:.3g}) from {origin}, the narrower; "
             "{other} gives {other_mode:.3g} ({other_low:.3g} to {other_high:.3g})")
FILES_DISAGREE = ("{name}: the two files disagree (their P5-P95 ranges do not overlap); check what each counts as a "
                  "complaint or a resolution")
RATING_DRIFT = "rating drift in {name}: {drift} (reported, not put into the model)"
RECENT_MEAN = "recency-weighted mean of the stars {weighted:.2f} against the plain mean {mean:.2f}"
TEXTS: tuple[str, ...] = (NOT_WHOLE_CUSTOMERS, CUSTOMERS_NOT_BELOW_MARKET, NOTHING_TO_CALIBRATE, STEADY_RATING,
                          TWO_FILES, FILES_DISAGREE, RATING_DRIFT, RECENT_MEAN)
DEFAULT_NAMES = {"reviews": "reviews.csv", "complaints": "complaints.csv", "survey": "survey.csv"}


@dataclass(frozen=True)
class Change:
    """One value before and after calibration, with the data behind it."""

    name: str
    label: str
    unit: str
    before: float
    before_range: Range | None
    before_grade: str
    after: float
    after_range: Range | None
    after_grade: str
    source: str


@dataclass(frozen=True)
class LossSummary:
    """A scenario's revenue lost by not fixing (present value): its mean over the draws (the figure
    shown), P10/P50/P90, and the run at the modes (kept for the JSON report)."""

    at_modes: float
    mean: float
    p10: float
    p50: float
    p90: float
    draws: int
    steady_rating: float


@dataclass(frozen=True)
class Calibration:
    """The calibrated scenario and what calibration did (see the module)."""

    base: Params
    params: Params
    changes: tuple[Change, ...]
    files: tuple[FileInfo, ...]
    errors: dict[str, str] = field(default_factory=dict)
    checks: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    loss_before: LossSummary | None = None
    loss_after: LossSummary | None = None

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain data (JSON)."""
        def rng(r: Range | None) -> list[float] | None:
            return None if r is None else [float(r[0]), float(r[1])]

        def loss(s: LossSummary | None) -> dict[str, float] | None:
            return None if s is None else {"value": s.mean, "mean": s.mean, "at_modes": s.at_modes, "p10": s.p10, "p50": s.p50, "p90": s.p90,
                                           "draws": int(s.draws), "steady_rating": s.steady_rating}

        return {
            "scenario": self.params.name, "currency": self.params.currency,
            "files": [{"kind": f.kind, "name": f.name, "rows": f.rows, "first": str(f.first or ""),
                       "last": str(f.last or ""), "columns": dict(f.columns), "encoding": f.encoding,
                       "separator": f.separator, "decimal_comma": f.decimal_comma, "notes": list(f.notes),
                       "summary": f.summary} for f in self.files],
            "errors": dict(self.errors),
            "changes": [{"name": c.name, "label": c.label, "unit": c.unit, "before": c.before,
                         "before_range": rng(c.before_range), "before_grade": c.before_grade, "after": c.after,
                         "after_range": rng(c.after_range), "after_grade": c.after_grade, "source": c.source}
                        for c in self.changes],
            "checks": list(self.checks), "warnings": list(self.warnings),
            "loss_before": loss(self.loss_before), "loss_after": loss(self.loss_after),
        }


def loss_summary(params: Params, draws: int | None = None) -> LossSummary:
    """The PV revenue loss: its mean and P10/P50/P90 (``monte_carlo``), and at the modes (``simulate``)."""
    det = simulate(params)
    mc = monte_carlo(params, draws=draws)
    h = mc.headline["pv_revenue_loss"]
    return LossSummary(det.pv_revenue_loss, h.mean, h.p10, h.p50, h.p90, mc.draws, det.steady_rating)


def _check_facts(base: Params, customers: float | None, visits_per_month: float | None) -> None:
    if customers is not None:
        check_value(SPECS["customers"], float(customers))
        if not float(customers).is_integer():
            raise ValueError(Text(NOT_WHOLE_CUSTOMERS, customers=customers))
        if customers >= base.market_size:
            raise ValueError(Text(CUSTOMERS_NOT_BELOW_MARKET, customers=customers, market_size="market_size",
                                  market=base.market_size))
    if visits_per_month is not None:
        check_value(SPECS["visits_per_month"], float(visits_per_month))


def calibrate(base: Params, reviews: bytes | None = None, complaints: bytes | None = None,
              survey: bytes | None = None, *, names: Mapping[str, str] | None = None,
              customers: int | None = None, visits_per_month: float | None = None,
              window_months: float = 12.0, nps_bad_max: int = 6, strict: bool = True,
              with_loss: bool = True, loss_draws: int | None = None) -> Calibration:
    """Calibrate ``base`` from the business's own files.

    Parameters
    ----------
    base : Params
        The scenario to start from (a preset or the user's file); values no file speaks to stay.
    reviews, complaints, survey : bytes, optional
        The files' contents (CSV; see ``own_records`` for the columns and layouts read).
    names : mapping, optional
        File name of each kind (``{"reviews": "mine.csv"}``), used in messages and source lines.
    customers, visits_per_month : optional
        The business's own counts (till data): graded measured, and used by the rates below.
    window_months : float
        Rates and review stars are read from the last this many months of each file (12).
    nps_bad_max : int
        Highest NPS score read as a bad experience (6: the detractors), an assumption.
    strict : bool
        Raise ``OwnDataError`` for the first unusable file (True), or record it in ``errors``
        and go on with the others (False).
    with_loss, loss_draws : optional
        Compute the loss before and after (Monte Carlo with ``loss_draws`` or the scenario's draws).

    Returns
    -------
    Calibration

    Examples
    --------
    >>> from estimator import load_preset
    >>> log = b"date,outcome\\n2026-01-05,resolved\\n2026-01-20,unresolved\\n2026-02-11,unresolved\\n"
    >>> cal = calibrate(load_preset("gas_station"), complaints=log, with_loss=False)
    >>> change = {c.name: c for c in cal.changes}["recovery_rate"]     # 1 of 3 resolved: mode 1/3
    >>> change.before, round(change.after, 4), change.after_grade
    (0.1, 0.3333, 'measured')
    >>> calibrate(load_preset("gas_station"), reviews=b"date,stars\\n2026-01-05,7\\n", names={"reviews": "r.csv"})
    Traceback (most recent call last):
    ...
    estimator.model.own_data.tables.OwnDataError: r.csv, row 2, column 'stars': 7 is outside 1 to 5 stars (a 1-10 score? convert it to 1-5 stars)
    """
    _check_facts(base, customers, visits_per_month)
    names = {**DEFAULT_NAMES, **{k: v for k, v in (names or {}).items() if v}}
    readers = {"reviews": read_reviews, "complaints": read_complaints,
               "survey": lambda data, name: read_survey(data, name, nps_bad_max)}
    records: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for kind, data in (("reviews", reviews), ("complaints", complaints), ("survey", survey)):
        if data is None:
            continue
        try:
            records[kind] = readers[kind](data, names[kind])
        except OwnDataError as exc:
            if strict:
                raise
            errors[kind] = problem_of(exc)
    if strict and not records and customers is None and visits_per_month is None:
        raise OwnDataError(Text(NOTHING_TO_CALIBRATE))
    basis = Basis(base, np.random.default_rng(base.seed))
    checks: list[str] = []
    warnings: list[str] = [note for r in records.values() for note in r.info.notes if "not counted" in note]
    _business_facts(basis, customers, visits_per_month)
    candidates: dict[str, list[tuple[Calibrated, Any]]] = {"complaint_rate": [], "recovery_rate": []}
    if "survey" in records:
        for found, sampler in from_survey(basis, records["survey"]):
            (candidates[found.name].append((found, sampler)) if found.name in candidates
             else basis.add(found, sampler))
    log = records.get("complaints")
    if log is not None and (found_r := recovery_from_log(log)) is not None:
        candidates["recovery_rate"].append(found_r)
    _choose(basis, "recovery_rate", candidates["recovery_rate"], checks, warnings)
    if log is not None:
        result = complaints_from_log(basis, log, window_months)
        (warnings.append(result) if isinstance(result, str) else candidates["complaint_rate"].append(result))
    _choose(basis, "complaint_rate", candidates["complaint_rate"], checks, warnings)
    if "reviews" in records:
        found_reviews, notes = from_reviews(basis, records["reviews"], window_months)
        for found in found_reviews:
            basis.add(found)
        warnings += notes
        checks += _review_checks(records["reviews"], basis)
    params = _calibrated_params(base, basis.found, [r.info for r in records.values()])
    changes = tuple(_change(base, params, spec.name) for spec in CATALOGUE if spec.name in basis.found)
    before = after = None
    if with_loss and (changes or strict):
        before, after = loss_summary(base, loss_draws), loss_summary(params, loss_draws)
        checks.append(Text(STEADY_RATING, steady=after.steady_rating, today=params.initial_rating))
    return Calibration(base, params, changes, tuple(r.info for r in records.values()), errors, tuple(checks),
                       tuple(warnings), before, after)


def _business_facts(basis: Basis, customers: float | None, visits_per_month: float | None) -> None:
    if customers is not None:
        basis.add(Calibrated("customers", float(customers), None, "measured",
                             f"Measured: the business's own count of regular customers, given for calibration "
                             f"({customers:,.0f})"))
    if visits_per_month is not None:
        basis.add(Calibrated("visits_per_month", float(visits_per_month), None, "measured",
                             f"Measured: the business's own visits per regular customer a month, given for "
                             f"calibration ({visits_per_month:g})"))


def _estimate(candidate: Calibrated) -> Estimate:
    assert candidate.estimate is not None  # a value read from a file always comes with its range
    return candidate.estimate


def _choose(basis: Basis, name: str, found: list[tuple[Calibrated, Any]], checks: list[str],
            warnings: list[str]) -> None:
    """Use the candidate with the narrower P5-P95; say what the other one gave."""
    if not found:
        return
    found = sorted(found, key=lambda pair: _estimate(pair[0]).width)
    basis.add(*found[0])
    for other, _ in found[1:]:
        a, b = _estimate(found[0][0]), _estimate(other)
        checks.append(Text(TWO_FILES, name=name, mode=a.mode, low=a.low, high=a.high,
                           origin=found[0][0].origin, other=other.origin, other_mode=b.mode,
                           other_low=b.low, other_high=b.high))
        if a.high < b.low or b.high < a.low:
            warnings.append(Text(FILES_DISAGREE, name=name))


def _review_checks(reviews: Any, basis: Basis) -> list[str]:
    d = drift(reviews.days, reviews.stars)
    weights = 0.5 ** ((int(reviews.days.max()) - reviews.days) / 30.4375 / basis.value("review_halflife_months"))
    weighted = float(np.dot(weights, reviews.stars) / weights.sum())
    return [Text(RATING_DRIFT, name=reviews.info.name, drift=d.describe()),
            Text(RECENT_MEAN, weighted=weighted, mean=float(reviews.stars.mean()))]


def _calibrated_params(base: Params, found: Mapping[str, Calibrated], infos: list[FileInfo]) -> Params:
    data = base.model_dump()
    ranges, sources, grades = dict(data["ranges"]), dict(data["sources"]), dict(data["grades"])
    for name, item in found.items():
        data[name] = item.value
        e = item.estimate
        if e is not None and SPECS[name].uncertain and e.low < e.high:
            ranges[name] = (min(e.low, item.value), max(e.high, item.value))
        else:
            ranges.pop(name, None)
        sources[name], grades[name] = item.source, item.grade
    files = "; ".join(info.describe() for info in infos)
    data.update(ranges=ranges, sources=sources, grades=grades, name=f"{base.name} (calibrated)"[:200],
                description=(f"{base.description}\n\nCalibrated from the business's own data: {files}.")[:5000])
    return Params.model_validate(data)


def _change(base: Params, params: Params, name: str) -> Change:
    spec = SPECS[name]
    return Change(name, spec.label, spec.unit, float(getattr(base, name)), base.ranges.get(name),
                  base.grades.get(name, "assumption"), float(getattr(params, name)), params.ranges.get(name),
                  params.grades.get(name, "assumption"), params.sources.get(name, ""))

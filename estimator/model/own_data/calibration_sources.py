"""From the business's own records to model values: the arithmetic of calibration.

Every formula here is in docs/methodology.md, section 8c. In short, with u = 1 − exp(−p·f)
the share of customers with a bad visit in a month (section 2):

- survey: p = bad / respondents, c = complained / bad, r = resolved / complained (Beta posteriors);
- complaint log: r = resolved / (resolved + unresolved) (Beta); complaints a month K (Poisson)
  give c = K / (u·C);
- reviews: R0 = plain mean of the stars; n0 = Σ 0.5^(age/h) (the model's recency-weighted stock);
  in the last ``window_months``, 1-2 star reviews a month m⁻ and other reviews a month m⁺ give
  w_n = m⁻ / N and w_p = m⁺ / (C − N) with N = u·(1 − c·r)·C unhappy, unrecovered customers a
  month; σ_n and σ_p are the mean stars of the 1-2 star and the other reviews.

A value computed from a count and scenario values (c from the log, w_n, w_p) carries the count's
posterior and those values' uncertainty: the same draws of each value are used wherever it
appears (``Basis.draws``), so a ratio's range is computed from joint draws.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np

from ..engine.sampling import pert_sample
from ..inputs.params import Params
from ..inputs.text import Text
from .posteriors import DAYS_PER_MONTH, Estimate, band_mean, beta_share, from_draws, poisson_rate
from .records import ComplaintLog, FileInfo, Reviews, Survey

GRADE_ORDER = ("assumption", "published", "measured")

#: Draws used to carry uncertainty through a ratio (fixed by the scenario's seed).
PROPAGATION_DRAWS = 40_000

Sampler = Callable[[np.random.Generator, int], np.ndarray]

#: The warnings calibration writes about what a file could not give (templates; the source lines
#: stored in a scenario stay English).
WINDOW = "{start} to {end} ({months:.1f} months)"
#: ``{setting}``, ``{p}``... are settings' names as a scenario file spells them (complaint_rate).
LOG_TOO_SHORT = "{name}: the log covers less than a month; {setting} is not read from it"
NO_BAD_VISITS = "{name}: {p} is 0, so {setting} cannot be read from complaint counts"
TOO_MANY_COMPLAINTS = (
    "{name}: {complaints:.3g} complaints a month but only {unhappy:.3g} customers a month with a "
    "bad visit ({p}, {f}, {customers}): {setting} would exceed 1; not used"
)
REVIEWS_TOO_SHORT = "{name}: the reviews cover less than a month; review rates and stars are not read"
NO_LOW_REVIEWS = "{name}: no 1-2 star reviews in {window}; {setting} is left as it was"
NO_HIGH_REVIEWS = "{name}: no 3-5 star reviews in {window}; {setting} is left as it was"
TOO_MANY_LOW_REVIEWS = (
    "{name}: {rate:.3g} 1-2 star reviews a month against {per:.3g} N = u·(1 − c·r)·C unhappy, "
    "unrecovered customers a month: {setting} would exceed 1 or is undefined; left as it was"
)
TOO_MANY_HIGH_REVIEWS = (
    "{name}: {rate:.3g} 3-5 star reviews a month against {per:.3g} C − N other customers a "
    "month: {setting} would exceed 1 or is undefined; left as it was"
)
_REST_ON = {"p": "bad_visit_rate", "f": "visits_per_month", "customers": "customers"}
TEXTS: tuple[str, ...] = (
    WINDOW,
    LOG_TOO_SHORT,
    NO_BAD_VISITS,
    TOO_MANY_COMPLAINTS,
    REVIEWS_TOO_SHORT,
    NO_LOW_REVIEWS,
    NO_HIGH_REVIEWS,
    TOO_MANY_LOW_REVIEWS,
    TOO_MANY_HIGH_REVIEWS,
)


@dataclass(frozen=True)
class Calibrated:
    """One model value from the business's data: the estimate (None for a known value), its
    grade and its source line."""

    name: str
    value: float
    estimate: Estimate | None
    grade: str
    source: str
    origin: str = ""


class Basis:
    """The scenario's values as calibration proceeds: modes, grades, and joint draws of each
    value for carrying uncertainty through ratios."""

    def __init__(self, base: Params, rng: np.random.Generator, draws: int = PROPAGATION_DRAWS) -> None:
        self.base, self.rng, self.n = base, rng, draws
        self.found: dict[str, Calibrated] = {}
        self._samplers: dict[str, Sampler] = {}
        self._draws: dict[str, np.ndarray] = {}

    def value(self, name: str) -> float:
        return self.found[name].value if name in self.found else float(getattr(self.base, name))

    def grade(self, name: str) -> str:
        return self.found[name].grade if name in self.found else self.base.grades.get(name, "assumption")

    def draws(self, name: str) -> np.ndarray:
        """Draws of ``name``: its posterior if calibrated, else its PERT range, else its value."""
        if name not in self._draws:
            if name in self._samplers:
                self._draws[name] = self._samplers[name](self.rng, self.n)
            elif name not in self.found and name in self.base.ranges:
                low, high = self.base.ranges[name]
                self._draws[name] = pert_sample(low, self.value(name), high, self.n, self.rng)
            else:
                self._draws[name] = np.full(self.n, self.value(name))
        return self._draws[name]

    def add(self, found: Calibrated, sampler: Sampler | np.ndarray | None = None) -> None:
        self.found[found.name] = found
        self._draws.pop(found.name, None)
        if isinstance(sampler, np.ndarray):
            self._draws[found.name] = sampler
        elif sampler is not None:
            self._samplers[found.name] = sampler

    def weakest(self, floor: str, names: tuple[str, ...]) -> str:
        """The weakest grade among ``floor`` and the grades of ``names``."""
        return min([floor, *(self.grade(n) for n in names)], key=GRADE_ORDER.index)

    def unhappy_share(self, p: np.ndarray | float, f: np.ndarray | float) -> np.ndarray:
        return -np.expm1(-np.asarray(p) * np.asarray(f))


def _pct(x: float) -> str:
    return f"{x * 100:.3g} %"


def _range_text(e: Estimate, fmt: Callable[[float], str] = _pct) -> str:
    return f"{fmt(e.mode)} (P5-P95 {fmt(e.low)} to {fmt(e.high)}; {e.rule})"


def _rows(info: FileInfo) -> str:
    period = f", {info.period}" if info.period else ""
    return f"{info.name} ({info.rows:,} rows{period})"


def beta_sampler(k: int, n: int) -> Sampler:
    return lambda rng, size: rng.beta(1.0 + k, 1.0 + n - k, size)


def _share(name: str, k: int, n: int, grade: str, source: str, file_name: str) -> tuple[Calibrated, Sampler]:
    """A share observed as ``k`` of ``n``: its Beta posterior (mode, P5-P95), the source line with the
    posterior's summary added, and the sampler of the posterior for the ratios that divide by it."""
    posterior = beta_share(k, n)
    return (
        Calibrated(
            name, posterior.mode, posterior, grade, f"{source}; Beta(1,1) prior: {_range_text(posterior)}", file_name
        ),
        beta_sampler(k, n),
    )


def from_survey(basis: Basis, survey: Survey) -> list[tuple[Calibrated, Sampler]]:
    """p, and where the survey asks, c and r, from a survey (Beta posteriors)."""
    floor = "assumption" if survey.layout == "nps" else "measured"
    label = "Assumption (NPS mapping)" if survey.layout == "nps" else "Measured"

    def share(name: str, k: int, n: int, what: str) -> tuple[Calibrated, Sampler]:
        return _share(name, k, n, floor, f"{label}: {_rows(survey.info)}: {what}", survey.info.name)

    what = (
        f"{survey.bad:,} of {survey.respondents:,} scored 0-{survey.nps_bad_max}, read as a bad experience "
        "(detractors: the mapping is an assumption, not a measurement, and likely an upper end)"
        if survey.layout == "nps"
        else f"{survey.bad:,} of {survey.respondents:,} respondents had a bad experience"
    )
    out = [
        share("bad_visit_rate", survey.bad, survey.respondents, f"{what}, read as the share of visits that go badly")
    ]
    if survey.complaint_answers:
        out.append(
            share(
                "complaint_rate",
                survey.complained,
                survey.complaint_answers,
                f"{survey.complained:,} of {survey.complaint_answers:,} respondents with a bad experience complained",
            )
        )
    if survey.resolution_answers:
        out.append(
            share(
                "recovery_rate",
                survey.resolved,
                survey.resolution_answers,
                f"{survey.resolved:,} of {survey.resolution_answers:,} complainers say it was resolved",
            )
        )
    return out


@dataclass(frozen=True)
class Window:
    """The recent period rates are read from: ``months`` of exposure ending at ``end``."""

    start: date
    end: date
    months: float

    def describe(self) -> str:
        return Text(WINDOW, start=self.start.isoformat(), end=self.end.isoformat(), months=self.months)


def window_of(days: np.ndarray, window_months: float) -> Window:
    """The last ``window_months`` before the latest date, or the whole file if it is shorter."""
    end = int(days.max())
    start = max(int(days.min()), end - int(round(window_months * DAYS_PER_MONTH)))
    return Window(date.fromordinal(start), date.fromordinal(end), (end - start) / DAYS_PER_MONTH)


def recovery_from_log(log: ComplaintLog) -> tuple[Calibrated, Sampler] | None:
    """r from the outcomes in a complaint log (Beta posterior), or None without outcomes."""
    known = log.resolved + log.unresolved
    if not known:
        return None
    return _share(
        "recovery_rate",
        log.resolved,
        known,
        "measured",
        f"Measured: {_rows(log.info)}: {log.resolved:,} of {known:,} complaints with a known outcome were "
        f"resolved ({log.unknown:,} not known, left out; the log's own view of resolution)",
        log.info.name,
    )


def complaints_from_log(basis: Basis, log: ComplaintLog, window_months: float) -> tuple[Calibrated, np.ndarray] | str:
    """c = K / (u·C) from the complaints a month in the log's last ``window_months`` (or a reason why not)."""
    window = window_of(log.days, window_months)
    if window.months < 1:
        return Text(LOG_TOO_SHORT, name=log.info.name, setting="complaint_rate")
    count = int(np.count_nonzero(log.days >= window.start.toordinal()))
    rate = poisson_rate(count, window.months)
    rests_on = ("bad_visit_rate", "visits_per_month", "customers")
    p, f, customers = (basis.value(n) for n in rests_on)
    unhappy = float(basis.unhappy_share(p, f)) * customers
    if unhappy <= 0:
        return Text(NO_BAD_VISITS, name=log.info.name, p="bad_visit_rate", setting="complaint_rate")
    mode = rate.mode / unhappy
    if mode > 1:
        return Text(
            TOO_MANY_COMPLAINTS,
            name=log.info.name,
            complaints=rate.mode,
            unhappy=unhappy,
            setting="complaint_rate",
            **_REST_ON,
        )
    k = basis.rng.gamma(count + 1.0, 1.0 / window.months, basis.n)
    draws = k / (
        basis.unhappy_share(basis.draws("bad_visit_rate"), basis.draws("visits_per_month")) * basis.draws("customers")
    )
    c = from_draws(mode, draws, 0.0, 1.0)
    grade = basis.weakest("measured", rests_on)
    source = (
        f"{grade.capitalize()}: {_rows(log.info)}: {count:,} complaints in {window.describe()}, "
        f"{rate.mode:.3g} a month, divided by u·C = {unhappy:.4g} customers a month with a bad visit "
        f"(bad_visit_rate {_pct(p)}, visits_per_month {f:g}, customers {customers:,.0f}; grades "
        f"{', '.join(basis.grade(n) for n in rests_on)}); the range carries the count's Poisson posterior "
        f"and those values' ranges: {_range_text(c)}"
    )
    return Calibrated("complaint_rate", c.mode, c, grade, source, log.info.name), np.clip(draws, 0.0, 1.0)


def from_reviews(basis: Basis, reviews: Reviews, window_months: float) -> tuple[list[Calibrated], list[str]]:
    """R0, n0, and from the last ``window_months``: w_n, w_p, σ_n, σ_p (with reasons for any left out)."""
    info, stars, days = reviews.info, reviews.stars, reviews.days
    out: list[Calibrated] = []
    notes: list[str] = []
    mean = float(np.mean(stars))
    out.append(
        Calibrated(
            "initial_rating",
            mean,
            None,
            "measured",
            f"Measured: {_rows(info)}: plain mean of {len(stars):,} reviews' stars, as review "
            f"sites show it: {mean:.4g}",
        )
    )
    h = basis.value("review_halflife_months")
    age_months = (int(days.max()) - days) / DAYS_PER_MONTH
    stock = float(np.sum(0.5 ** (age_months / h)))
    grade = basis.weakest("measured", ("review_halflife_months",))
    out.append(
        Calibrated(
            "initial_reviews",
            stock,
            None,
            grade,
            f"{grade.capitalize()}: {_rows(info)}: {len(stars):,} reviews, each weighted 0.5^(age / "
            f"{h:g} months) (review_halflife_months, {basis.grade('review_halflife_months')}) from "
            f"{info.last}: the model's recency-weighted stock {stock:.4g}",
        )
    )
    window = window_of(days, window_months)
    if window.months < 1:
        return out, notes + [Text(REVIEWS_TOO_SHORT, name=info.name)]
    recent = days >= window.start.toordinal()
    bad, good = stars[recent & (stars <= 2)], stars[recent & (stars > 2)]
    for name, band, levels, what, none_note in (
        ("stars_unhappy", bad, (1, 2), "1-2 star", NO_LOW_REVIEWS),
        ("stars_happy", good, (3, 4, 5), "3-5 star", NO_HIGH_REVIEWS),
    ):
        if len(band) == 0:
            notes.append(Text(none_note, name=info.name, window=window.describe(), setting=name))
            continue
        e = band_mean(band, levels, basis.rng)
        out.append(
            Calibrated(
                name,
                e.mode,
                e,
                "measured",
                f"Measured: {_rows(info)}: mean stars of the {len(band):,} {what} reviews in "
                f"{window.describe()} (Dirichlet(1) prior on the star levels): "
                f"{_range_text(e, lambda x: f'{x:.3g}')}",
            )
        )
    rates, more = _review_rates(basis, info, window, len(bad), len(good))
    return out + rates, notes + more


def _review_rates(
    basis: Basis, info: FileInfo, window: Window, n_bad: int, n_good: int
) -> tuple[list[Calibrated], list[str]]:
    rests_on = ("bad_visit_rate", "visits_per_month", "complaint_rate", "recovery_rate", "customers")
    p, f, c, r, customers = (basis.value(n) for n in rests_on)
    unrecovered = float(basis.unhappy_share(p, f)) * (1 - c * r) * customers
    d = {n: basis.draws(n) for n in rests_on}
    unrecovered_draws = (
        basis.unhappy_share(d["bad_visit_rate"], d["visits_per_month"])
        * (1 - d["complaint_rate"] * d["recovery_rate"])
        * d["customers"]
    )
    grade = basis.weakest("measured", rests_on)
    values = ", ".join(f"{n} {basis.value(n):.4g}" for n in rests_on)
    grades = ", ".join(basis.grade(n) for n in rests_on)
    out: list[Calibrated] = []
    notes: list[str] = []
    for name, count, stars, per, per_draws, divisor, too_many in (
        (
            "review_rate_unhappy",
            n_bad,
            "1-2 star",
            unrecovered,
            unrecovered_draws,
            "N = u·(1 − c·r)·C unhappy, unrecovered customers a month",
            TOO_MANY_LOW_REVIEWS,
        ),
        (
            "review_rate_happy",
            n_good,
            "3-5 star",
            customers - unrecovered,
            d["customers"] - unrecovered_draws,
            "C − N other customers a month",
            TOO_MANY_HIGH_REVIEWS,
        ),
    ):
        rate = poisson_rate(count, window.months)
        if per <= 0 or rate.mode > per:
            notes.append(Text(too_many, name=info.name, rate=rate.mode, per=per, setting=name))
            continue
        draws = basis.rng.gamma(count + 1.0, 1.0 / window.months, basis.n) / np.maximum(per_draws, 1e-12)
        e = from_draws(rate.mode / per, draws, 0.0, 1.0)
        out.append(
            Calibrated(
                name,
                e.mode,
                e,
                grade,
                f"{grade.capitalize()}: {_rows(info)}: {count:,} {stars} reviews in {window.describe()}, "
                f"{rate.mode:.3g} a month, divided by {divisor} = {per:.4g} ({values}; grades "
                f"{grades}); the range carries the count's Poisson posterior and those values' ranges: "
                f"{_range_text(e, lambda x: f'{x:.3g}')}",
            )
        )
    return out, notes

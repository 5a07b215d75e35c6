"""The parameter catalogue: one declaration per model parameter.

Everything that needs to know about a parameter reads it from here: the validated
``Params`` schema (bounds and error messages), the preset loader, the dashboard's
sliders and tooltips, and the methodology table. Nothing is retyped elsewhere.

Names, symbols and meanings follow the model specification (docs/methodology.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

Group = Literal[
    "Business",
    "Service failures & complaints",
    "Word of mouth",
    "Online reviews",
    "The fix",
    "Simulation",
]

#: Display order of the groups (sidebar expanders, methodology table).
GROUPS: tuple[Group, ...] = (
    "Business",
    "Service failures & complaints",
    "Word of mouth",
    "Online reviews",
    "The fix",
    "Simulation",
)

#: The name of every parameter of the model equations, in catalogue order, spelt out for the type
#: checker: a lane (engine/lanes.py) is indexed by these, so a misspelt name fails the type check.
#: tests/test_typing.py holds it equal to ``MODEL_PARAMS``; the catalogue below stays the truth.
ModelParam = Literal[
    "customers", "max_customers", "market_size", "visits_per_month", "spend_per_visit", "gross_margin",
    "monthly_attrition", "bad_visit_rate", "delight_rate", "complaint_rate", "recovery_rate", "churn_silent",
    "churn_unresolved", "churn_recovered", "stated_to_actual_churn", "tell_unhappy", "tell_happy", "retell_prob",
    "influence_negative", "deterrence_ratio", "influence_positive", "homophily", "memory_months",
    "review_rate_unhappy", "review_rate_happy", "stars_unhappy", "stars_happy", "initial_rating", "initial_reviews",
    "review_halflife_months", "acquisition_per_star", "spend_per_star", "fix_cost_once", "fix_cost_per_month",
    "discount_rate_annual",
]
#: The Monte Carlo settings: the catalogue's parameters that are not in the model equations.
SimulationSetting = Literal["horizon_months", "draws", "seed"]
#: The name of any catalogue parameter.
ParamName = ModelParam | SimulationSetting


@dataclass(frozen=True)
class ParamSpec:
    """One model parameter: what it means, its unit and the values it may take.

    ``lower``/``upper`` are the hard bounds the model accepts; ``slider_max`` is a
    practical upper end for a slider where the hard bound is very large.
    ``default`` is the value used when a scenario file leaves the parameter out.
    ``uncertain`` says whether a preset may give it a ``low``/``high`` range for
    the Monte Carlo (simulation settings never are).
    """

    name: ParamName
    symbol: str
    label: str
    unit: str
    group: Group
    lower: float
    upper: float
    default: float
    step: float
    help: str
    integer: bool = False
    uncertain: bool = True
    slider_max: float | None = None
    strict_lower: bool = False

    @property
    def slider_upper(self) -> float:
        """Upper end of a slider: the hard bound unless a practical one is set."""
        return self.upper if self.slider_max is None else self.slider_max

    def describe_range(self) -> str:
        """Human-readable allowed range, e.g. ``0 to 1`` or ``more than 0``."""
        lo = _fmt(self.lower)
        if self.upper == float("inf"):
            return f"more than {lo}" if self.strict_lower else f"at least {lo}"
        opener = "more than " if self.strict_lower else ""
        return f"{opener}{lo} to {_fmt(self.upper)}"


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:g}"


INF = float("inf")

CATALOGUE: tuple[ParamSpec, ...] = (
    # --- Business -------------------------------------------------------------------
    ParamSpec("customers", "C0", "Regular customers", "people", "Business",
              1, 10_000_000, 3_000, 100,
              "Regular customers at the start (month 0).", integer=True, slider_max=200_000),
    ParamSpec("max_customers", "C_max", "Most customers the business can serve", "people", "Business",
              0, 1e9, 0, 100,
              "A ceiling on regular customers: the capacity of the place, or the share of the market it "
              "can hope to win. The fix cannot grow the business past it. 0 means no ceiling; a ceiling "
              "below today's customers is read as today's (no growth at all).",
              integer=True, uncertain=False, slider_max=400_000),
    ParamSpec("market_size", "M", "Market (catchment) size", "people", "Business",
              2, 100_000_000, 25_000, 1_000,
              "People within reach who could be customers. Must be larger than the regular "
              "customers.", integer=True, slider_max=2_000_000),
    ParamSpec("visits_per_month", "f", "Visits per customer", "visits/customer/month", "Business",
              0.05, 60, 4.3, 0.1,
              "How often a regular customer comes in a month (weekly = 4.3)."),
    ParamSpec("spend_per_visit", "s", "Spend per visit", "currency/visit", "Business",
              0.01, 1_000_000, 45, 1,
              "Average revenue per visit, in the scenario's currency.", slider_max=2_000),
    ParamSpec("gross_margin", "g", "Incremental margin", "share of revenue", "Business",
              0, 1, 0.2, 0.01,
              "What an extra euro of revenue leaves after the costs that come with it (goods sold, "
              "cleaning, commissions), not the average operating margin: a guest in a room or a seat that "
              "is there anyway leaves far more than the average. Profit lost = margin x revenue lost."),
    ParamSpec("monthly_attrition", "β", "Natural attrition", "share/month", "Business",
              0, 0.5, 0.01, 0.001,
              "Share of customers lost each month for reasons unrelated to service (moving, "
              "changing jobs). New customers replace them at the same rate in steady state."),
    # --- Service failures & complaints --------------------------------------------------
    ParamSpec("bad_visit_rate", "p", "Bad-experience rate", "share of visits",
              "Service failures & complaints", 0, 1, 0.02, 0.001,
              "Share of visits that go badly (dirty toilet, a shrug instead of help)."),
    ParamSpec("delight_rate", "p_d", "Delight rate", "share of visits",
              "Service failures & complaints", 0, 1, 0.01, 0.001,
              "Share of visits that exceed expectations and produce a good story."),
    ParamSpec("complaint_rate", "c", "Complaint rate", "share of unhappy customers",
              "Service failures & complaints", 0, 1, 0.05, 0.01,
              "Share of unhappy customers who tell the business. Most never do."),
    ParamSpec("recovery_rate", "r", "Complaint recovery", "share of complaints",
              "Service failures & complaints", 0, 1, 0.3, 0.01,
              "Share of complaints resolved to the customer's satisfaction (an apology and a "
              "fix)."),
    ParamSpec("churn_silent", "q_s", "Churn: silent unhappy", "probability",
              "Service failures & complaints", 0, 1, 0.25, 0.01,
              "Probability that an unhappy customer who did not complain says they will stop coming "
              "(a stated intention; 'Churn: said to done' turns it into real leaving)."),
    ParamSpec("churn_unresolved", "q_u", "Churn: complaint shrugged off", "probability",
              "Service failures & complaints", 0, 1, 0.5, 0.01,
              "Probability that a customer who complained and was not helped says they will stop coming "
              "(a stated intention; 'Churn: said to done' turns it into real leaving)."),
    ParamSpec("churn_recovered", "q_r", "Churn: complaint recovered", "probability",
              "Service failures & complaints", 0, 1, 0.05, 0.01,
              "Probability that a customer whose complaint was resolved still says they will stop coming "
              "(a stated intention; 'Churn: said to done' turns it into real leaving)."),
    ParamSpec("stated_to_actual_churn", "k_i", "Churn: said to done", "share",
              "Service failures & complaints", 0, 1, 1, 0.01,
              "Of the customers who say they will not come back, the share who really stop. Surveys "
              "measure intentions, and fewer act on them; no study gives the gap for these cases, so "
              "presets state it as an assumption with a wide range. 1 = everyone who says so leaves."),
    # --- Word of mouth ---------------------------------------------------------------------
    ParamSpec("tell_unhappy", "k_n", "People an unhappy customer tells", "people",
              "Word of mouth", 0, 1_000, 9, 1,
              "People an unhappy, unrecovered customer tells about it.", slider_max=100),
    ParamSpec("tell_happy", "k_p", "People a happy customer tells", "people",
              "Word of mouth", 0, 1_000, 5, 1,
              "People a delighted customer tells (a customer whose complaint was put right is as likely "
              "to be delighted as one with no bad visit, no more).", slider_max=100),
    ParamSpec("retell_prob", "ρ", "Retelling probability", "probability",
              "Word of mouth", 0, 1, 0.1, 0.01,
              "Probability that someone who hears a story passes it on, to as many people, a "
              "month later. Each telling then starts (retelling x people told) new ones: below "
              "1 the chain dies out, at 1 or more it runs until the market is saturated."),
    ParamSpec("influence_negative", "h_n", "Bad story: hearer stays away", "probability",
              "Word of mouth", 0, 1, 0.1, 0.01,
              "Probability that a customer who hears a bad story leaves."),
    ParamSpec("deterrence_ratio", "R_d", "Bad story: prospects kept away per customer lost", "ratio",
              "Word of mouth", 0, 100, 4, 0.1,
              "New customers a bad story keeps away for every customer it makes leave, in today's "
              "business. Sets how strongly a bad story puts an aware prospect off coming; East et al. "
              "(2017) find negative word of mouth deters new buyers more than four times as much as it "
              "loses existing ones.", slider_max=20),
    ParamSpec("influence_positive", "h_p", "Good story: hearer comes", "probability",
              "Word of mouth", 0, 1, 0.01, 0.005,
              "Probability that a prospect who hears a good story becomes a customer."),
    ParamSpec("homophily", "κ", "Hearers who are customers (x random)", "multiplier",
              "Word of mouth", 1, 1_000, 3, 0.1,
              "How much likelier a hearer is to be a customer than a random person in the "
              "market (friends live and shop nearby).", slider_max=20),
    ParamSpec("memory_months", "τ", "Story memory", "months", "Word of mouth",
              1, 600, 12, 1,
              "How long a prospect keeps a story in mind (1/τ forgotten each month).",
              slider_max=60),
    # --- Online reviews ---------------------------------------------------------------------
    ParamSpec("review_rate_unhappy", "w_n", "Reviews by unhappy customers", "probability/month",
              "Online reviews", 0, 1, 0.01, 0.001,
              "Probability that an unhappy, unrecovered customer writes a review that month."),
    ParamSpec("review_rate_happy", "w_p", "Reviews by other customers", "probability/month",
              "Online reviews", 0, 1, 0.003, 0.0005,
              "Probability that any other customer writes a review in a month."),
    ParamSpec("stars_unhappy", "σ_n", "Stars from unhappy reviewers", "stars (1-5)",
              "Online reviews", 1, 5, 1.5, 0.1, "Mean stars of reviews by unhappy customers."),
    ParamSpec("stars_happy", "σ_p", "Stars from other reviewers", "stars (1-5)",
              "Online reviews", 1, 5, 4.5, 0.1, "Mean stars of reviews by other customers."),
    ParamSpec("initial_rating", "R0", "Rating today", "stars (1-5)", "Online reviews",
              1, 5, 4.2, 0.1, "Average rating readers see at month 0."),
    ParamSpec("initial_reviews", "n0", "Reviews today", "reviews", "Online reviews",
              0, 10_000_000, 150, 10,
              "Recency-weighted number of reviews behind today's rating; more reviews make the "
              "rating slower to move.", slider_max=5_000),
    ParamSpec("review_halflife_months", "h", "Review half-life", "months", "Online reviews",
              0.5, 600, 12, 1,
              "After this many months a review counts half as much (readers see recent ones).",
              slider_max=60),
    ParamSpec("acquisition_per_star", "e", "New customers per star", "relative change/star",
              "Online reviews", 0, 10, 0.05, 0.01,
              "Relative change of new-customer inflow per star of rating (0.05 = +5% per star).",
              slider_max=1),
    ParamSpec("spend_per_star", "e_s", "Spend per visit per star", "relative change/star",
              "Online reviews", 0, 10, 0, 0.01,
              "Relative change of spend per visit per star of rating, from a price premium a better "
              "rating allows (0.1 = +10% per star).", slider_max=0.5),
    # --- The fix -------------------------------------------------------------------------------
    ParamSpec("fix_cost_once", "K_0", "Cost of the fix, one-off", "currency", "The fix",
              0, 1e10, 0, 500,
              "What fixing the service costs once, at the start (training, repairs).", slider_max=200_000),
    ParamSpec("fix_cost_per_month", "K_m", "Cost of the fix, per month", "currency/month", "The fix",
              0, 1e9, 0, 50,
              "What keeping the service fixed costs each month (staff time, cleaning).", slider_max=20_000),
    # --- Simulation ---------------------------------------------------------------------------
    ParamSpec("horizon_months", "H", "Horizon", "months", "Simulation",
              1, 120, 36, 1, "How many months ahead the loss is counted.",
              integer=True, uncertain=False),
    ParamSpec("discount_rate_annual", "d", "Discount rate", "per year", "Simulation",
              0, 1, 0.08, 0.01,
              "Annual rate used to discount future revenue to present value.", uncertain=False),
    ParamSpec("draws", "", "Monte Carlo draws", "draws", "Simulation",
              1, 100_000, 2_048, 1_024,
              "Number of scenarios drawn from the ranges (scrambled Sobol points). 2,048 puts the mean within "
              "0.1 %, the median within 1.5 % and P10/P90 within 2.5 % of a far larger run on every preset; more "
              "is smoother and slower.",
              integer=True, uncertain=False),
    ParamSpec("seed", "", "Random seed", "", "Simulation",
              0, 2**32 - 1, 42, 1,
              "Fixes the random draws so the same settings always give the same numbers.",
              integer=True, uncertain=False, slider_max=10_000),
)

SPECS: dict[str, ParamSpec] = {spec.name: spec for spec in CATALOGUE}

#: Parameters of the model equations (everything but the Monte Carlo settings).
MODEL_PARAMS = cast("tuple[ModelParam, ...]", tuple(
    s.name for s in CATALOGUE if s.name not in ("draws", "seed", "horizon_months")
))

#: Parameters a fix may change: how the service runs, not the business it serves.
FIXABLE: tuple[str, ...] = tuple(s.name for s in CATALOGUE if s.group == "Service failures & complaints"
                                 and s.name != "stated_to_actual_churn")

#: Which way is better for each setting a fix may change: -1 where lower is better (bad visits,
#: leaving), +1 where higher is (delight; complaints, since a customer who complains can be put
#: right and one who stays silent cannot; recovery). A fix never moves a setting the other way.
BETTER: dict[str, int] = {"bad_visit_rate": -1, "delight_rate": 1, "complaint_rate": 1, "recovery_rate": 1,
                          "churn_silent": -1, "churn_unresolved": -1, "churn_recovered": -1}

#: How well a value is known: the business's own data, a study or benchmark, or a reasoned guess.
GRADES: tuple[str, ...] = ("measured", "published", "assumption")

#: Parameters a preset may give a low/high range for.
UNCERTAIN_PARAMS: tuple[str, ...] = tuple(s.name for s in CATALOGUE if s.uncertain)


def model_param(name: str) -> ModelParam:
    """``name``, a name read from outside (a scenario's fix), as the model parameter it names.

    Raises ``KeyError`` if it names none.

    >>> model_param("bad_visit_rate")
    'bad_visit_rate'
    """
    if name not in MODEL_PARAMS:
        raise KeyError(f"unknown model parameter '{name}'")
    return name


def specs_in_group(group: Group) -> list[ParamSpec]:
    """The catalogue entries of one group, in catalogue order."""
    return [s for s in CATALOGUE if s.group == group]

"""Which dimension of the Sobol points each drawn quantity owns: by name, for good.

Every uncertain quantity a scenario draws (each model parameter, and the scenario's own fix's change
to each setting a fix can change) takes its uniforms from one dimension of the scenario's scrambled
Sobol points, looked up here by name. The points are always made in ``RESERVED_DIMENSIONS``
dimensions, whatever the catalogue holds, so a dimension's uniforms depend only on the seed and the
dimension: adding a parameter (appended here, on a dimension no one used) or removing one leaves every
other quantity's draws exactly as they were, and a scenario re-run after an upgrade gives the figures
it gave before (``tests/test_stable_draws.py`` adds a dummy parameter and compares).

**Append only.** A new quantity goes at the end; a removed one keeps its place (its dimension is
simply not read). Reordering this list, or making the points in more dimensions than
``RESERVED_DIMENSIONS``, would move every draw of every seed. Plain Monte Carlo (``design="random"``)
uses the same rows of independent uniforms.
"""

from __future__ import annotations

#: Dimensions the Sobol points are made in: room for 22 more quantities. Changing it moves every draw.
RESERVED_DIMENSIONS = 64

#: Each drawn quantity's dimension is its position here (append only; see the module's docstring).
SOBOL_DIMENSIONS: tuple[str, ...] = (
    "customers",
    "max_customers",
    "market_size",
    "visits_per_month",
    "spend_per_visit",
    "gross_margin",
    "monthly_attrition",
    "bad_visit_rate",
    "delight_rate",
    "complaint_rate",
    "recovery_rate",
    "churn_silent",
    "churn_unresolved",
    "churn_recovered",
    "stated_to_actual_churn",
    "tell_unhappy",
    "tell_happy",
    "retell_prob",
    "influence_negative",
    "deterrence_ratio",
    "influence_positive",
    "homophily",
    "memory_months",
    "review_rate_unhappy",
    "review_rate_happy",
    "stars_unhappy",
    "stars_happy",
    "initial_rating",
    "initial_reviews",
    "review_halflife_months",
    "acquisition_per_star",
    "spend_per_star",
    "fix_cost_once",
    "fix_cost_per_month",
    "discount_rate_annual",
    "fix|bad_visit_rate",
    "fix|delight_rate",
    "fix|complaint_rate",
    "fix|recovery_rate",
    "fix|churn_silent",
    "fix|churn_unresolved",
    "fix|churn_recovered",
)

#: Position of each quantity, by name.
DIMENSION: dict[str, int] = {name: i for i, name in enumerate(SOBOL_DIMENSIONS)}


def own_fix_dimension(setting: str) -> str:
    """The name under which the own fix's change to ``setting`` owns a dimension.

    >>> DIMENSION[own_fix_dimension("bad_visit_rate")] > DIMENSION["discount_rate_annual"]
    True
    """
    return f"fix|{setting}"

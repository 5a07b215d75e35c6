"""Model settings said in words: what the fix changes, and what it costs."""

from __future__ import annotations

from ..model.catalogue import SPECS
from ..model.params import Params
from .formatting import money, setting_value
from .i18n import t, tn


def fix_changes(params: Params) -> str:
    """What the scenario's fix changes, setting by setting: ``Bad-experience rate 1% → 0.2%``.

    >>> from estimator import load_preset
    >>> p = load_preset("gas_station").model_copy(update={"fix": {"bad_visit_rate": 0.002}})
    >>> fix_changes(p)
    'Bad-experience rate 1% → 0.2%'
    """
    parts = []
    for name, value in params.fix.items():
        spec = SPECS[name]
        parts.append(f"{t(spec.label)} {setting_value(spec.unit, getattr(params, name))} → {setting_value(spec.unit, value)}")
    return "; ".join(parts) or t("nothing")


def fix_costs(params: Params, compact: bool = False) -> str:
    """What the fix costs: ``5,000 EUR once and 400 EUR a month`` (or ``nothing``); ``compact``
    money as the page says it.

    >>> from estimator import load_preset
    >>> p = load_preset("gas_station").replace(fix_cost_once=1_500_000, fix_cost_per_month=60_000)
    >>> fix_costs(p.replace(fix_cost_once=5000, fix_cost_per_month=400)), fix_costs(p, compact=True)
    ('5,000 EUR once and 400 EUR a month', '€1.50 M once + €60.0 k a month')
    """
    once, monthly = float(params.fix_cost_once), float(params.fix_cost_per_month)
    if compact:
        parts = ([t("{amount} once", amount=money(once, params.currency, True))] if once else []) + (
            [t("{amount} a month", amount=money(monthly, params.currency, True))] if monthly else [])
        return " + ".join(parts) or t("nothing")
    parts = ([t("{amount} once", amount=money(once, params.currency))] if once else []) + (
        [t("{amount} a month", amount=money(monthly, params.currency))] if monthly else [])
    return t(" and ").join(parts) or t("nothing")


def horizon_words(params: Params) -> str:
    """The horizon as people say it: ``3 years``, ``1 year``, ``18 months``.

    >>> from estimator import load_preset
    >>> p = load_preset("gas_station")
    >>> horizon_words(p), horizon_words(p.replace(horizon_months=12)), horizon_words(p.replace(horizon_months=18))
    ('3 years', '1 year', '18 months')
    """
    months = int(params.horizon_months)
    if months % 12:
        return tn("{n} month", "{n} months", months, n=months)
    years = months // 12
    return tn("{n} year", "{n} years", years, n=years)


def over_horizon(params: Params) -> str:
    """"Over" the horizon as a sentence says it: ``over 3 years`` (Finnish ``3 vuoden aikana``,
    whose number takes a case the bare ``horizon_words`` cannot give).

    >>> from estimator import load_preset
    >>> over_horizon(load_preset("gas_station")), over_horizon(load_preset("gas_station").replace(horizon_months=18))
    ('over 3 years', 'over 18 months')
    """
    months = int(params.horizon_months)
    if months % 12:
        return tn("over {n} month", "over {n} months", months, n=months)
    return tn("over {n} year", "over {n} years", months // 12, n=months // 12)


def period_label(params: Params) -> str:
    """The short period a card covers: ``3 yr``, ``18 mo``.

    >>> from estimator import load_preset
    >>> period_label(load_preset("gas_station")), period_label(load_preset("gas_station").replace(horizon_months=18))
    ('3 yr', '18 mo')
    """
    months = int(params.horizon_months)
    return t("{n} yr", n=months // 12) if months % 12 == 0 else t("{n} mo", n=months)

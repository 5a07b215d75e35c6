"""Model settings said in words: what the fix changes, and what it costs."""

from __future__ import annotations

from collections.abc import Callable

from ..model.engine.fixes import planned_costs
from ..model.engine.runs import fixed_at_modes
from ..model.inputs.catalogue import SPECS
from ..model.inputs.fix_plans import Change
from ..model.inputs.params import Params
from .formatting import money, setting_value, share
from .i18n import say, t, tn


def _signed_share(value: float) -> str:
    """A relative change as a signed percentage: ``−80%``, ``+50%``."""
    return ("+" if value > 0 else "\u2212" if value < 0 else "") + share(abs(value), digits=0)


def change_words(name: str, change: Change) -> str:
    """How a change is planned, in words: ``−80% (−90% to −60%)``, ``+50 points``, ``to 0.2%``.

    >>> change_words("bad_visit_rate", Change(change="relative", mode=-0.8, low=-0.9, high=-0.6))
    '−80% (−90% to −60%)'
    >>> change_words("recovery_rate", Change(change="points", mode=0.5)), change_words("bad_visit_rate", Change.model_validate(0.002))
    ('+50 points', 'to 0.2%')
    >>> change_words("recovery_rate", Change(change="points", mode=0.5, low=0.3, high=0.6))
    '+50 (+30 to +60) points'
    """
    unit = SPECS[name].unit
    shares = unit.startswith(("share", "probability"))
    word: Callable[[float], str]
    if change.change == "relative":
        word = _signed_share
    elif change.change == "points" and shares:

        def word(x: float) -> str:
            return ("+" if x > 0 else "\u2212" if x < 0 else "") + f"{abs(x) * 100:.3g}"
    elif change.change == "points":

        def word(x: float) -> str:
            return f"{x:+.3g}"
    else:

        def word(x: float) -> str:
            return t("to {value}", value=setting_value(unit, x))

    text = word(change.mode)
    if change.uncertain:
        text += f" ({t('{low} to {high}', low=word(change.low), high=word(change.high))})"
    if change.change == "points" and shares:
        text = t("{change} points", change=text)
    return text


def fix_changes(params: Params) -> str:
    """What the reported fix changes, setting by setting, with today's value and the fixed one at the
    most likely values: ``Bad-experience rate −80% (−90% to −60%): 1% → 0.2%``; a menu choice is
    named first.

    >>> from estimator import load_preset
    >>> p = load_preset("gas_station").model_copy(update={"fix": {"bad_visit_rate": Change.model_validate(0.002)}})
    >>> fix_changes(p)
    'Bad-experience rate 1% → 0.2%'
    >>> fix_changes(p.model_copy(update={"fix": {"bad_visit_rate": Change(change="relative", mode=-0.5)}}))
    'Bad-experience rate −50%: 1% → 0.5%'
    """
    parts = []
    for name, (today, fixed) in fixed_at_modes(params).items():
        unit, change = SPECS[name].unit, params.fix.get(name)
        how = "" if params.chosen or change is None or change.change == "target" else f" {change_words(name, change)}:"
        parts.append(f"{t(SPECS[name].label)}{how} {setting_value(unit, today)} \u2192 {setting_value(unit, fixed)}")
    text = "; ".join(parts) or t("nothing")
    if params.chosen:
        return f"{' + '.join(say(name) for name in params.chosen)}: {text}"
    return text


def fix_costs(params: Params, compact: bool = False) -> str:
    """What the fix costs: ``5,000 EUR once and 400 EUR a month`` (or ``nothing``); ``compact``
    money as the page says it.

    >>> from estimator import load_preset
    >>> p = load_preset("gas_station").replace(fix_cost_once=1_500_000, fix_cost_per_month=60_000)
    >>> fix_costs(p.replace(fix_cost_once=5000, fix_cost_per_month=400)), fix_costs(p, compact=True)
    ('5,000 EUR once and 400 EUR a month', '€1.50 M once + €60.0 k a month')
    """
    once, monthly = planned_costs(params)
    if compact:
        parts = ([t("{amount} once", amount=money(once, params.currency, True))] if once else []) + (
            [t("{amount} a month", amount=money(monthly, params.currency, True))] if monthly else []
        )
        return " + ".join(parts) or t("nothing")
    parts = ([t("{amount} once", amount=money(once, params.currency))] if once else []) + (
        [t("{amount} a month", amount=money(monthly, params.currency))] if monthly else []
    )
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
    """ "Over" the horizon as a sentence says it: ``over 3 years`` (Finnish ``3 vuoden aikana``,
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

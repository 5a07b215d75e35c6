"""Turning untrusted settings (URL parameters, widget values) into valid ``Params``.

Nothing here raises for bad input: every value that cannot be used is dropped or
clamped, and a plain-language note says what happened, so the dashboard can show the
note and carry on with a safe scenario instead of crashing or losing the user's work.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from ..inputs.catalogue import FIXABLE, SPECS
from ..inputs.fix_plans import CHANGE_KINDS, Change, as_change
from ..inputs.params import Params, allowed_range
from ..inputs.text import Text
from .scenario_files import describe_validation_error

#: Longest URL value looked at; anything longer is ignored unread.
MAX_VALUE_CHARS = 64

#: Longest fix text (``name:value,...``) read from a link.
MAX_FIX_CHARS = 400

#: How a link says that the fix changes nothing.
NO_FIX = "none"


def parse_number(raw: Any) -> float | None:
    """A finite float from a URL string or widget value, or ``None`` if it is not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        value = float(raw)
    elif isinstance(raw, str) and len(raw) <= MAX_VALUE_CHARS:
        try:
            value = float(raw.strip().replace(",", "."))
        except ValueError:
            return None
    else:
        return None
    return value if math.isfinite(value) else None


def clamp_to_spec(name: str, value: float) -> float:
    """``value`` clamped to the parameter's bounds (whole numbers for integer settings)."""
    spec = SPECS[name]
    if spec.integer:
        value = float(round(value))
    low = spec.lower
    if spec.strict_lower and value <= low:
        value = low + spec.step
    return min(max(value, low), spec.upper)


def show_number(value: float) -> str:
    """A number in a note as it was meant: whole numbers in full, others to six figures.

    >>> show_number(4294967296.0), show_number(10.5), show_number(1e300)
    ('4,294,967,296', '10.5', '1e+300')
    """
    if float(value).is_integer() and abs(value) < 1e16:
        return f"{int(value):,}"
    return f"{value:.6g}"


class _Shown(str):
    """A number already written out (one that no format spec writes the same way): shown as it is."""

    def __format__(self, spec: str) -> str:
        return str(self)


def _number(value: float) -> int | float | str:
    """``value`` for a ``{field:,}`` of a note, written there exactly as ``show_number`` writes it.

    >>> [format(_number(v), ",") for v in (4294967296.0, 10.5, 1e300, 0.123456789, 1234567.5)]
    ['4,294,967,296', '10.5', '1e+300', '0.123457', '1.23457e+06']
    """
    shown = show_number(value)
    candidate = int(value) if float(value).is_integer() and abs(value) < 1e16 else float(f"{value:.6g}")
    return candidate if format(candidate, ",") == shown else _Shown(shown)


def _short(text: Any) -> str:
    shown = str(text)
    return shown if len(shown) <= 24 else shown[:21] + "..."


#: The notes this module writes (templates; ``{setting}`` is a setting's label).
UNKNOWN_SETTING = "Ignored unknown setting '{name}'."
NOT_A_NUMBER = "Ignored {setting}: '{raw}' is not a number."
FIX_NOT_A_NUMBER = "The fix: ignored {setting}: '{raw}' is not a number."
NOT_WHOLE = "{setting} {value:,} is not a whole number; using {used:,}."
FIX_NOT_WHOLE = "The fix: {setting} {value:,} is not a whole number; using {used:,}."
OUTSIDE = "{setting} {value:,} is outside {allowed}; using {used:,}."
FIX_OUTSIDE = "The fix: {setting} {value:,} is outside {allowed}; using {used:,}."
MARKET_TOO_SMALL = (
    "The market ({market:,.0f}) must be larger than the customers ({customers:,.0f}); using a market of {used:,.0f}."
)
NOT_APPLIED = "Could not apply these settings ({problem}); showing the preset."
FIX_NOT_A_CHANGE = "The fix: ignored {setting}: '{raw}' is not a change (relative, points or a target, within range)."
BUDGET_NOT_READ = "Ignored the budget '{raw}' in the link: it is not an amount of at least 0."
CHOSEN_NOT_READ = "Ignored the fixes chosen in the link: '{raw}' names no fix on this scenario's menu."
FIX_TOO_LONG = "Ignored the fix in the link: it is too long."
FIX_NOT_TEXT = "Ignored the fix in the link: it is not text."
NOT_FIXABLE = "The fix: ignored '{name}', which is not a service setting a fix can change."

#: The settings' labels as a note writes them in mid-sentence (lower case).
LOWER_LABELS: tuple[str, ...] = tuple(spec.label.lower() for spec in SPECS.values())
#: Every template above and the lower-case labels (the catalogue lists them).
TEXTS: tuple[str, ...] = (
    FIX_NOT_A_CHANGE,
    CHOSEN_NOT_READ,
    BUDGET_NOT_READ,
    UNKNOWN_SETTING,
    NOT_A_NUMBER,
    FIX_NOT_A_NUMBER,
    NOT_WHOLE,
    FIX_NOT_WHOLE,
    OUTSIDE,
    FIX_OUTSIDE,
    MARKET_TOO_SMALL,
    NOT_APPLIED,
    FIX_TOO_LONG,
    FIX_NOT_TEXT,
    NOT_FIXABLE,
    *LOWER_LABELS,
)


def _setting_value(name: str, raw: Any, prefix: str = "") -> tuple[float | None, str | None]:
    """One untrusted value of a catalogue setting: the number to use (None if it is not one) and
    the note that says what was done to it, if anything (each note starts with ``prefix``: nothing, or
    ``"The fix: "`` for a value of the fix).

    >>> _setting_value("customers", "10.5"), _setting_value("recovery_rate", "x", prefix="The fix: ")
    ((10.0, 'Regular customers 10.5 is not a whole number; using 10.'), (None, "The fix: ignored complaint recovery: 'x' is not a number."))
    """
    spec = SPECS[name]
    fix = bool(prefix)
    value = parse_number(raw)
    if value is None:
        return None, Text(FIX_NOT_A_NUMBER if fix else NOT_A_NUMBER, setting=Text(spec.label.lower()), raw=_short(raw))
    clamped = clamp_to_spec(name, value)
    if clamped == value:
        return clamped, None
    numbers = {"setting": Text(spec.label), "value": _number(value), "used": _number(clamped)}
    if spec.lower <= value <= spec.upper:
        return clamped, Text(FIX_NOT_WHOLE if fix else NOT_WHOLE, **numbers)
    return clamped, Text(FIX_OUTSIDE if fix else OUTSIDE, allowed=allowed_range(spec), **numbers)


def apply_untrusted(base: Params, raw: Mapping[str, Any]) -> tuple[Params, list[str]]:
    """``base`` with the parameter values in ``raw`` applied, never raising.

    Unknown names and values that are not numbers are ignored; out-of-range values are
    clamped to the allowed range; customers at or above the market size raise the
    market size. Returns the scenario and one note per fix.

    Examples
    --------
    >>> from estimator import load_preset
    >>> params, notes = apply_untrusted(load_preset("gas_station"), {"bad_visit_rate": "7", "x": "1"})
    >>> params.bad_visit_rate, notes
    (1.0, ['Bad-experience rate 7 is outside 0 to 1; using 1.', "Ignored unknown setting 'x'."])
    """
    notes: list[str] = []
    changes: dict[str, float] = {}
    for name, raw_value in raw.items():
        if name not in SPECS:
            notes.append(Text(UNKNOWN_SETTING, name=_short(name)))
            continue
        value, note = _setting_value(name, raw_value)
        if note:
            notes.append(note)
        if value is not None:
            changes[name] = value
    customers = changes.get("customers", float(base.customers))
    market = changes.get("market_size", float(base.market_size))
    if customers >= market:
        changes["market_size"] = clamp_to_spec("market_size", customers + max(1.0, 0.1 * customers))
        notes.append(Text(MARKET_TOO_SMALL, market=market, customers=customers, used=changes["market_size"]))
    try:
        return base.replace(**changes), notes
    except (ValidationError, ValueError) as exc:  # defensive: should not happen after clamping
        message = describe_validation_error(exc) if isinstance(exc, ValidationError) else str(exc)
        return base, notes + [Text(NOT_APPLIED, problem=message)]


def changed_values(params: Params, reference: Params) -> dict[str, float]:
    """Catalogue values of ``params`` that differ from ``reference`` (for short URLs)."""
    return {
        name: float(getattr(params, name))
        for name in SPECS
        if float(getattr(params, name)) != float(getattr(reference, name))
    }


def format_for_url(value: float) -> str:
    """Shortest text that reads back as exactly the same float."""
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


def fix_to_url(fix: Mapping[str, Change]) -> str:
    """A fix in its link form: ``name:value`` for a certain target, else ``name:kind:mode[:low:high]``
    (``none`` if empty).

    >>> fix_to_url({"bad_visit_rate": Change.model_validate(0.002),
    ...             "recovery_rate": Change(change="points", mode=0.5, low=0.3, high=0.6)})
    'bad_visit_rate:0.002,recovery_rate:points:0.5:0.3:0.6'
    >>> fix_to_url({})
    'none'
    """
    items = []
    for name, change in fix.items():
        change = as_change(change)
        if change.change == "target" and not change.uncertain:
            items.append(f"{name}:{format_for_url(change.mode)}")
            continue
        numbers = (change.mode, change.low, change.high) if change.uncertain else (change.mode,)
        items.append(":".join([name, change.change, *(format_for_url(x) for x in numbers)]))
    return ",".join(items) or NO_FIX


def _change_from_url(name: str, parts: list[str]) -> tuple[Change | None, str | None]:
    """One change from its link form (the parts after the setting's name), never raising."""
    if len(parts) == 1:  # a bare value: a target, clamped to the setting's range as any setting is
        value, note = _setting_value(name, parts[0], prefix="The fix: ")
        return (None if value is None else Change.model_validate(value)), note
    kind, parsed = parts[0], [parse_number(x) for x in parts[1:]]
    numbers = [x for x in parsed if x is not None]
    raw = ":".join(parts)
    if kind not in CHANGE_KINDS or len(parsed) not in (1, 3) or len(numbers) < len(parsed):
        return None, Text(FIX_NOT_A_CHANGE, setting=Text(SPECS[name].label.lower()), raw=_short(raw))
    mode, low, high = (numbers * 3)[:3] if len(numbers) == 1 else numbers
    change = Change(change=kind, mode=mode, low=min(low, mode), high=max(high, mode))
    if change.problem(name) is not None:
        return None, Text(FIX_NOT_A_CHANGE, setting=Text(SPECS[name].label.lower()), raw=_short(raw))
    return change, None


def parse_fix(text: Any) -> tuple[dict[str, Change] | None, list[str]]:
    """A fix from its link form (the inverse of ``fix_to_url``), never raising.

    Unknown or unfixable settings and changes that cannot be read are dropped, target values out of
    range clamped, each with a note. ``None`` (keep the scenario's own fix) if nothing in the text
    can be read.

    Examples
    --------
    >>> fix, notes = parse_fix("bad_visit_rate:relative:-0.8:-0.9:-0.6,recovery_rate:1.5")
    >>> fix["bad_visit_rate"].low, fix["recovery_rate"].mode, notes
    (-0.9, 1.0, ['The fix: Complaint recovery 1.5 is outside 0 to 1; using 1.'])
    >>> parse_fix("none"), parse_fix("customers:5")[0], parse_fix("bad_visit_rate:relative:-3")[0]
    (({}, []), None, None)
    """
    if not isinstance(text, str) or len(text) > MAX_FIX_CHARS:
        return None, [Text(FIX_TOO_LONG if isinstance(text, str) else FIX_NOT_TEXT)]
    if text.strip() == NO_FIX:
        return {}, []
    fix: dict[str, Change] = {}
    notes: list[str] = []
    for item in text.split(","):
        name, *parts = [part.strip() for part in item.split(":")]
        if name not in FIXABLE or not parts:
            notes.append(Text(NOT_FIXABLE, name=_short(name)))
            continue
        change, note = _change_from_url(name, parts)
        if note:
            notes.append(note)
        if change is not None:
            fix[name] = change
    return (fix or None), notes


def chosen_to_url(params: Params) -> str:
    """The chosen menu fixes in their link form: their places on the menu, from 1 (``1,3``; ``none``)."""
    return ",".join(str(i + 1) for i, fix in enumerate(params.menu) if fix.name in params.chosen) or NO_FIX


def budget_to_url(once: float | None, monthly: float | None) -> str:
    """A budget in its link form: ``once,a month``, either left empty for no cap (``5000,``).

    >>> budget_to_url(5000.0, None), budget_to_url(None, 1200.5)
    ('5000,', ',1200.5')
    """
    return ",".join("" if v is None else format_for_url(v) for v in (once, monthly))


def parse_budget(text: Any) -> tuple[tuple[float | None, float | None], list[str]]:
    """A budget from its link form, never raising: a part that is not an amount of at least 0 is no
    cap, with a note.

    >>> parse_budget("5000,"), parse_budget("-1,x")[0]
    (((5000.0, None), []), (None, None))
    """
    parts = text.split(",") if isinstance(text, str) and len(text) <= MAX_VALUE_CHARS else ["?", "?"]
    values: list[float | None] = []
    notes: list[str] = []
    for raw in (parts + ["", ""])[:2]:
        value = parse_number(raw) if raw.strip() else None
        if raw.strip() and (value is None or value < 0):
            notes.append(Text(BUDGET_NOT_READ, raw=_short(raw)))
            value = None
        values.append(value)
    return (values[0], values[1]), notes


def parse_chosen(text: Any, params: Params) -> tuple[tuple[str, ...], list[str]]:
    """The chosen menu fixes from their link form, never raising: places not on the menu are
    dropped with a note (an empty choice means the scenario's own fix).

    >>> from estimator import load_preset
    >>> p = load_preset("gas_station")
    >>> parse_chosen("1", p)[0] == (p.menu[0].name,), parse_chosen("9,x", p)[1]
    (True, ["Ignored the fixes chosen in the link: '9,x' names no fix on this scenario's menu."])
    """
    if not isinstance(text, str) or len(text) > MAX_VALUE_CHARS:
        return (), [Text(CHOSEN_NOT_READ, raw="...")]
    if text.strip() == NO_FIX:
        return (), []
    places = {int(x) for x in text.split(",") if x.strip().isascii() and x.strip().isdecimal() and len(x.strip()) < 3}
    chosen = tuple(fix.name for i, fix in enumerate(params.menu) if i + 1 in places)
    if text.strip() and len(chosen) != len([x for x in text.split(",") if x.strip()]):
        return chosen, [Text(CHOSEN_NOT_READ, raw=_short(text))]
    return chosen, []


def changes_for_link(params: Params, base: Params) -> dict[str, str]:
    """What a link must say to make ``base`` into ``params``: its start, fix, menu choice, budget and every
    setting that differs, each in its link form (the page's address and the brief's link both say it so)."""
    query: dict[str, str] = {}
    if params.baseline != base.baseline:
        query["baseline"] = params.baseline
    if params.fix != base.fix:
        query["fix"] = fix_to_url(params.fix)
    if params.chosen != base.chosen:
        query["chosen"] = chosen_to_url(params)
    if (params.budget_once, params.budget_per_month) != (base.budget_once, base.budget_per_month):
        query["budget"] = budget_to_url(params.budget_once, params.budget_per_month)
    query.update({name: format_for_url(value) for name, value in changed_values(params, base).items()})
    return query

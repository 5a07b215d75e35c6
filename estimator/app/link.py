"""The link in the address bar: it holds the whole scenario, so a copied link reopens it.

Form: ``?preset=NAME&<setting>=<value>...&fix=<setting>:<kind>:<mode>:<low>:<high>,...&chosen=1,3&budget=5000,
&a=PRESET;setting=value;...`` (only settings that differ from the preset; ``fix`` only if the fix differs from the
preset's, ``chosen`` the menu fixes chosen by their places, ``budget`` the menu's budget once and a month;
``a``, ``b`` and ``c`` are the pinned scenarios A, B and C, in the same form). A scenario opened from a file
travels whole in ``file=`` (its YAML, deflated and base64url-encoded), and the settings are then the changes from
it. Everything read from a link is untrusted: unknown names are ignored, values that are not numbers dropped,
values out of range clamped, each with a note the page shows.
"""

from __future__ import annotations

import functools

import streamlit as st

from ..model.inputs.params import Params
from ..model.scenarios.scenario_files import ScenarioError, list_presets
from ..model.scenarios.scenario_link import scenario_from_link_token, scenario_to_link_token
from ..model.scenarios.untrusted import (
    apply_untrusted,
    changed_values,
    changes_for_link,
    fix_to_url,
    format_for_url,
    parse_budget,
    parse_chosen,
    parse_fix,
)
from ..present.i18n import say, say_error, t
from . import history
from .compute import preset
from .state import DEFAULT_GROUP, DEFAULT_PRESET, LINK_BOUND, session

#: Link parameters kept by others (widgets bound to the link, the page's language and presenter
#: mode): never read as settings nor written here.
BOUND = LINK_BOUND

#: Longest pinned-scenario text read from a link.
MAX_PINNED_URL_CHARS = 2_000


def parse_pinned(text: str) -> tuple[Params | None, list[str]]:
    """Scenario A from its link form ``preset;name=value;...`` (never raises)."""
    if len(text) > MAX_PINNED_URL_CHARS:
        return None, [t("Ignored the pinned scenario in the link: it is too long.")]
    head, *pairs = text.split(";")
    if head not in list_presets():
        return None, [t("Ignored the pinned scenario in the link: unknown preset '{name}'.", name=head[:24])]
    raw = dict(pair.split("=", 1) for pair in pairs if "=" in pair)
    baseline = raw.pop("baseline", None)
    fix_text = raw.pop("fix", None)
    params, notes = apply_untrusted(preset(head), raw)
    update: dict = {"name": t("{name} (pinned)", name=say(params.name))}
    if baseline in ("today", "flawless"):
        update["baseline"] = baseline
    if fix_text is not None:
        fix, more = parse_fix(fix_text)
        notes += more
        if fix is not None:
            update["fix"] = fix
    return params.model_copy(update=update), [t("Pinned scenario: {note}", note=say(n)) for n in notes]


def pinned_to_url(preset_name: str, params: Params) -> str:
    """Scenario A in its link form (the inverse of ``parse_pinned``)."""
    pairs = [f"{k}={format_for_url(v)}" for k, v in changed_values(params, preset(preset_name)).items()]
    if params.baseline != preset(preset_name).baseline:
        pairs.append(f"baseline={params.baseline}")
    if params.fix != preset(preset_name).fix:
        pairs.append(f"fix={fix_to_url(params.fix)}")
    return ";".join([preset_name, *pairs])


def pinned_scenarios() -> list[tuple[str, str]]:
    """The pinned scenarios in order (A, then B, then C): each one's Params JSON and the preset it was built on."""
    return [
        (getattr(session, scenario), getattr(session, name) or "")
        for _, scenario, name in session.PINS
        if getattr(session, scenario)
    ]


def set_pinned(pins: list[tuple[str, str]]) -> None:
    """Pin these scenarios as A, B and C in order (at most three; the slots after them are emptied)."""
    for i, (_, scenario, name) in enumerate(session.PINS):
        setattr(session, scenario, pins[i][0] if i < len(pins) else None)
        setattr(session, name, pins[i][1] if i < len(pins) else None)


def open_from_url() -> None:
    """First run of a session: open the scenario the link describes (with notes for anything bad)."""
    if session.booted:
        return
    query = {k: v for k, v in st.query_params.to_dict().items() if k not in BOUND}
    notes: list[str] = []
    name = query.pop("preset", DEFAULT_PRESET)
    if name not in list_presets():
        notes.append(t("Unknown preset '{name}'; showing the gas station.", name=str(name)[:24]))
        name = DEFAULT_PRESET
    pinned_texts = [query.pop(letter, None) for letter, _, _ in session.PINS]
    baseline = query.pop("baseline", None)
    fix_text = query.pop("fix", None)
    base, custom_base = preset(name), None
    if "file" in query:
        try:
            base = scenario_from_link_token(query.pop("file"))
            custom_base = base.model_dump_json()
        except ScenarioError as exc:
            notes.append(
                t(
                    "Could not open the scenario file carried in the link ({error}); showing the preset.",
                    error=say_error(exc),
                )
            )
    chosen_text, budget_text = query.pop("chosen", None), query.pop("budget", None)
    params, more = apply_untrusted(base, query)
    notes += more
    if fix_text is not None:
        fix, more = parse_fix(fix_text)
        notes += more
        if fix is not None:
            params = params.model_copy(update={"fix": fix})
    if chosen_text is not None:
        chosen, more = parse_chosen(chosen_text, params)
        notes += more
        params = params.model_copy(update={"chosen": chosen})
    if budget_text is not None:
        (once, monthly), more = parse_budget(budget_text)
        notes += more
        params = params.model_copy(update={"budget_once": once, "budget_per_month": monthly})
    if baseline in ("today", "flawless"):
        params = params.model_copy(update={"baseline": baseline})
    elif baseline is not None:
        notes.append(t("Ignored the start '{value}': it is 'today' or 'flawless'.", value=str(baseline)[:24]))
    session.preset = name
    session.group = DEFAULT_GROUP
    session.set_values(params)
    pins = []
    for text in filter(None, pinned_texts):
        pinned, more = parse_pinned(text)
        notes += more
        if pinned is not None:
            pins.append((pinned.model_dump_json(), text.split(";")[0]))
    set_pinned(pins)  # A, B, C in order, a gap closed
    session.notes = notes
    session.custom_base = custom_base
    session.booted = True


@functools.lru_cache(maxsize=64)
def _file_token(base_json: str) -> str | None:
    """The link form of an uploaded scenario, or None if it does not fit in a link."""
    try:
        return scenario_to_link_token(Params.model_validate_json(base_json))
    except ScenarioError:
        return None


def write_url(params: Params) -> None:
    """Keep the address bar equal to the scenario (preset or file + changed values + pinned A, B, C)."""
    name = session.preset
    wanted = {"preset": name}
    base = preset(name)
    custom = session.custom_base
    token = _file_token(custom) if custom else None
    if custom and token is not None:
        wanted["file"] = token
        base = Params.model_validate_json(custom)
    wanted.update(changes_for_link(params, base))
    for (letter, _, _), (pinned, preset_name) in zip(session.PINS, pinned_scenarios()):
        wanted[letter] = pinned_to_url(preset_name, Params.model_validate_json(pinned))
    history.remember(wanted)
    current = st.query_params.to_dict()
    for key in current.keys() - wanted.keys() - BOUND:
        del st.query_params[key]
    changed = {key: value for key, value in wanted.items() if current.get(key) != value}
    if changed:
        st.query_params.update(changed)


def file_in_link(base_json: str) -> bool:
    """Whether a copied link carries this uploaded scenario whole."""
    return _file_token(base_json) is not None

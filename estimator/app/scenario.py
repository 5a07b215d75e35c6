"""The scenario on the page: built from the settings, changed by the sidebar's and tabs' actions.

The settings start from a base (a preset, or a scenario file the user uploaded); the values
the user moved are applied on top through ``estimator.model.scenarios.untrusted``, which never raises.
The callbacks here only move values between the session and the model's ``Params``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..model.inputs.catalogue import CATALOGUE
from ..model.inputs.params import Params
from ..model.scenarios.scenario_files import ScenarioError, parse_scenario
from ..model.scenarios.untrusted import apply_untrusted, changed_values
from ..present.i18n import DEFAULT, say, say_error, t, use
from .compute import preset
from .state import session


def base_params() -> Params:
    """What the settings start from: the preset, or a scenario file the user uploaded."""
    uploaded = session.custom_base
    return Params.model_validate_json(uploaded) if uploaded else preset(session.preset)


def current_scenario() -> tuple[Params, list[str]]:
    """The scenario the settings describe, and a note for every value that had to be fixed."""
    base = base_params()
    raw: dict[str, Any] = {spec.name: session.value(spec.name) for spec in CATALOGUE}
    params, notes = apply_untrusted(base, raw)
    if session.baseline != base.baseline:
        params = params.model_copy(update={"baseline": session.baseline})
    fix = session.fix()
    if fix != base.fix:
        params = params.model_copy(update={"fix": fix})
    chosen = tuple(fix.name for fix in base.menu if fix.name in session.chosen)  # only names on the menu
    once, monthly = session.budget
    params = params.model_copy(update={"chosen": chosen, "budget_once": once, "budget_per_month": monthly})
    if changed_values(params, base) or params.baseline != base.baseline or fix_differs(params, base):
        params = params.model_copy(update={"name": t("{name} (adjusted)", name=say(base.name))})
    return params, notes


def changed_settings() -> list[str]:
    """Labels of the settings that differ from the base scenario (in English, as the catalogue
    names them: the sidebar says them in the reader's language)."""
    base = base_params()
    changed = [s.label for s in CATALOGUE if float(session.value(s.name)) != float(getattr(base, s.name))]
    return (
        changed
        + (["Start from"] if session.baseline != base.baseline else [])
        + (["The fix"] if session.fix() != base.fix or session.chosen != base.chosen else [])
    )


def fix_differs(params: Params, base: Params) -> bool:
    """Whether the scenario's fix, menu choice or budget differs from the base scenario's."""
    return (
        params.fix != base.fix
        or params.chosen != base.chosen
        or (params.budget_once, params.budget_per_month) != (base.budget_once, base.budget_per_month)
    )


# --- Callbacks ---------------------------------------------------------------------------------
# A callback runs before the page run that sets the reader's language, so each one that writes
# words for the reader sets it itself.


def _in_readers_language(callback: Callable[[], None]) -> Callable[[], None]:
    """Run a callback in the reader's language (the one the language picker holds)."""

    @functools.wraps(callback)
    def run() -> None:
        with use(session.widget(session.LANG) or DEFAULT):
            callback()

    return run


def choose_preset() -> None:
    """Callback of the preset picker."""
    session.preset = session.widget(session.PRESET_PICKER)
    reset_to_preset()


def choose_group() -> None:
    """Callback of the settings-group picker."""
    session.group = session.widget(session.GROUP_PICKER)


def reset_to_preset() -> None:
    """Callback of the reset button (and of the preset picker, via ``choose_preset``)."""
    session.custom_base = None
    session.set_values(preset(session.preset))
    session.notes = []


@_in_readers_language
def load_uploaded_scenario() -> None:
    """Callback of the scenario-file uploader: validate the file, then use it (or say why not)."""
    upload = session.widget(session.UPLOAD)
    if upload is None:
        return
    try:
        params = parse_scenario(upload.getvalue(), origin=upload.name[:60])
    except ScenarioError as exc:
        session.notes = [t("Could not use that file: {error}", error=say_error(exc))]
        return
    session.custom_base = params.model_dump_json()
    session.set_values(params)
    session.notes = []
    session.loaded = t("Loaded '{name}' from {file}.", name=say(params.name), file=upload.name[:60])

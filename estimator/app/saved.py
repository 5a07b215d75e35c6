"""Named scenarios kept in the session: "Save as…", open again, pin in Compare, download all as one file.

The link still holds the scenario that is open; the saved ones live in the session (lost when it ends)
and travel as one file (``model.scenario_sets``: one scenario file per YAML document) that uploads again.
"""

from __future__ import annotations

import streamlit as st

from ..model.inputs.params import Params
from ..model.scenarios.scenario_files import ScenarioError
from ..model.scenarios.scenario_sets import MAX_SCENARIOS_IN_SET, parse_scenario_set, scenarios_to_yaml
from ..present.formatting import escape_markdown
from ..present.i18n import say, say_error, t
from .scenario import current_scenario
from .state import session

_SAVED, _NAME, _UPLOAD = "saved_scenarios", "save_as_name", "saved_upload"


def saved() -> dict[str, str]:
    """The saved scenarios by name (Params JSON), in the order they were saved."""
    return dict(st.session_state.get(_SAVED, {}))


def _keep(scenarios: dict[str, str]) -> None:
    st.session_state[_SAVED] = dict(list(scenarios.items())[-MAX_SCENARIOS_IN_SET:])


def _save_as() -> None:
    """Callback: keep the scenario on the page under the name typed (a name used again replaces it)."""
    name = " ".join(str(st.session_state.get(_NAME, "")).split())[:80]
    if not name:
        session.notes = [t("Give the scenario a name to save it.")]
        return
    params, _ = current_scenario()
    _keep(
        {
            **{k: v for k, v in saved().items() if k != name},
            name: params.model_copy(update={"name": name}).model_dump_json(),
        }
    )
    session.loaded = t("Saved '{name}'.", name=name)


def _open(name: str) -> None:
    """Callback: put a saved scenario's values into the settings."""
    if name in saved():
        session.set_values(Params.model_validate_json(saved()[name]))


def _upload() -> None:
    """Callback: add the scenarios of an uploaded file (one or several) to the saved ones."""
    upload = session.widget(_UPLOAD)
    if upload is None:
        return
    try:
        scenarios = parse_scenario_set(upload.getvalue(), origin=upload.name[:60])
    except ScenarioError as exc:
        session.notes = [t("Could not use that file: {error}", error=say_error(exc))]
        return
    _keep({**saved(), **{params.name: params.model_dump_json() for params in scenarios}})
    session.loaded = t("Added {n} saved scenario(s) from {file}.", n=len(scenarios), file=upload.name[:60])


def saved_scenarios() -> None:
    """The sidebar's "Saved scenarios": save the open one as…, open or download them, upload a set."""
    kept = saved()
    with st.expander(t("Saved scenarios ({n})", n=len(kept))):
        left, right = st.columns([3, 2], vertical_alignment="bottom")
        left.text_input(t("Scenario name"), key=_NAME, placeholder=t("e.g. Toilet rounds only"))
        right.button(
            t("Save as…"),
            on_click=_save_as,
            width="stretch",
            help=t("Keep the scenario on the page under this name, for Compare and to come back to."),
        )
        for name in kept:
            st.button(
                t("Open '{name}'", name=name[:40]),
                on_click=_open,
                args=(name,),
                width="stretch",
                key=f"saved_open_{name}",
            )
        if kept:
            text = scenarios_to_yaml([Params.model_validate_json(j) for j in kept.values()])
            st.download_button(
                t("Download all ({n})", n=len(kept)),
                text,
                file_name=t("saved_scenarios.yaml"),
                mime="application/x-yaml",
                width="stretch",
            )
        st.file_uploader(
            t("Upload saved scenarios"),
            type=["yaml", "yml"],
            key=_UPLOAD,
            on_change=_upload,
            help=t("A file downloaded here (several scenarios) or any one scenario file."),
        )
        st.caption(escape_markdown(t("Saved scenarios stay while this page is open; the link holds the open one.")))


def saved_for_pinning() -> dict[str, str]:
    """Saved scenarios to pin in Compare: their name in the reader's words → Params JSON."""
    return {say(name): value for name, value in saved().items()}

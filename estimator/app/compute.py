"""What the page shows, computed by the model and cached for every session.

Presets and reports are immutable and shared read-only between sessions, so they are cached
as resources (no copy per rerun); only their inputs (a preset's name, a scenario's JSON) are
keys. A report computes each part on first use, so a slider move on the story tab does not
wait for the tornado.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
from collections.abc import Iterator

import streamlit as st

from ..model.engine.chunks import usable_cores
from ..model.engine.menu import MenuResult, evaluate_menu
from ..model.engine.uncertainty import PairedDifference, paired_difference
from ..model.explain.report import Report
from ..model.inputs.params import Params
from ..model.inputs.text import Text
from ..model.own_data.calibration import Calibration, calibrate
from ..model.scenarios.scenario_files import list_presets, load_preset
from ..present.i18n import t
from .serving import SLOTS_VARIABLE


@st.cache_resource(show_spinner=False)
def freeze_startup_objects() -> None:
    """Once per server: move the ~165k objects that exist after start-up (modules, presets)
    out of the garbage collector's reach. Streamlit runs a full collection after every
    script run; over all of them it took about 100 ms here and held up the last messages
    to the browser. Only the few thousand objects made afterwards are traced (about 1 ms). The
    Sobol design's module (``scipy.stats``, about 1 s to import) is loaded first, so that it is
    frozen too and no visitor's first Monte Carlo waits for it. Large arrays are given back to the
    system when freed (``return_large_arrays_to_the_system``)."""
    from scipy.stats import qmc  # noqa: F401

    return_large_arrays_to_the_system()
    gc.freeze()


#: glibc's ``mallopt`` option for the size from which an allocation gets pages of its own.
M_MMAP_THRESHOLD = -3


def return_large_arrays_to_the_system(threshold_bytes: int = 256 * 1024) -> bool:
    """Give every array of ``threshold_bytes`` or more pages of its own, returned to the system
    when the array is freed. glibc raises that threshold each time such an array is freed (up to
    32 MB), after which the Monte Carlo's arrays of a few MB come from the heap and stay with the
    process: 8 maximum-settings scenarios two at a time peaked at 801 MB and held 596 MB afterwards;
    with the threshold fixed, 472 MB and 216 MB, and 8 % faster (``bench/bench_heavy.py``). True
    if set (glibc only; elsewhere nothing changes)."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_MMAP_THRESHOLD, int(threshold_bytes)))
    except (OSError, AttributeError):
        return False


@st.cache_resource(show_spinner=False)
def preset(name: str) -> Params:
    """A preset, loaded once per server."""
    return load_preset(name)


@st.cache_resource(show_spinner=False)
def preset_titles() -> dict[str, str]:
    """Every preset's title by name, in the order the pickers list them (in English: a picker
    says each with ``i18n.say``)."""
    return {name: preset(name).name for name in list_presets()}


@st.cache_resource(show_spinner=False, max_entries=200, ttl=3600)
def report(params_json: str) -> Report:
    """The report of one scenario (read-only, shared by every session that shows it)."""
    return Report.from_json(params_json)


@st.cache_resource(show_spinner=False, max_entries=50, ttl=3600)
def _menu(params_json: str) -> MenuResult:
    """Every combination of a scenario's menu (read-only, shared by every session that shows it)."""
    return evaluate_menu(Params.model_validate_json(params_json))


def menu(params: Params) -> MenuResult:
    """The scenario's menu of fixes, ranked within its budget. The combinations' figures depend on
    neither the choice nor the budget, so choosing a fix or setting a budget simulates nothing again."""
    plain = params.model_copy(update={"chosen": (), "budget_once": None, "budget_per_month": None, "name": ""})
    return _menu(plain.model_dump_json()).within(params.budget_once, params.budget_per_month)


@st.cache_data(show_spinner=False, max_entries=20, ttl=3600)
def calibration(
    base_json: str, files: tuple[tuple[str, str, bytes], ...], customers: int | None, visits_per_month: float | None
) -> Calibration | str:
    """The scenario calibrated from the uploaded files (kind, name, bytes), or what is wrong with the
    counts given; a file that cannot be read is reported in the result, the others are used."""
    try:
        data = {kind: content for kind, _, content in files}
        return calibrate(
            Params.model_validate_json(base_json),
            reviews=data.get("reviews"),
            complaints=data.get("complaints"),
            survey=data.get("survey"),
            names={kind: name for kind, name, _ in files},
            customers=customers,
            visits_per_month=visits_per_month,
            strict=False,
        )
    except ValueError as exc:  # the model's Text when it wrote one, so the page can say it in the reader's language
        first = exc.args[0] if len(exc.args) == 1 else None
        return first if isinstance(first, Text) else str(exc)


@st.cache_resource(show_spinner=False, max_entries=50, ttl=3600)
def paired(a_json: str, b_json: str) -> PairedDifference:
    """B − A on the same draws (read-only, shared by every session that compares them). The page's
    reports keep no per-draw values (a few MB each), so B's side is run again here, once per pair."""
    return paired_difference(Params.model_validate_json(a_json), Params.model_validate_json(b_json))


def computing_slots(cores: int | None = None) -> int:
    """Computations that may run at once in this process: ``$SHRUG_COMPUTING_SLOTS`` when it is a
    whole number of at least 1 (``python -m estimator.app.serving`` shares the cores out between its
    processes that way), else one per core (``cores``, default the cores this process may use)."""
    value = os.environ.get(SLOTS_VARIABLE, "").strip()
    if value.isascii() and value.isdigit() and len(value) < 6 and int(value) >= 1:
        return int(value)
    return usable_cores() if cores is None else cores


#: Computations that may run at once on this server: one per core. A maximum-settings scenario
#: (100k draws x 120 months) takes about 2 s of one core and 180 MB at its peak, so eight visitors
#: at once would otherwise share two cores eight ways and hold 1.4 GB; in turn they are served one
#: after another at full speed, and memory stays near one computation per core. Several processes
#: behind a proxy share the cores out (``computing_slots``).
HEAVY_SLOTS = computing_slots()
_SLOTS = threading.BoundedSemaphore(HEAVY_SLOTS)


@contextlib.contextmanager
def waiting_turn(gate: threading.Semaphore | threading.Lock) -> Iterator[None]:
    """Hold ``gate`` for a piece of work; when it is taken, say so on the page ("queued") and wait."""
    if not gate.acquire(blocking=False):
        waiting = st.empty()
        waiting.info(t("Other visitors' scenarios are being computed; yours is next."), icon="⏳")
        gate.acquire()
        try:
            waiting.empty()  # a visitor who moves a slider while queued stops this run here
        except BaseException:
            gate.release()  # ... and the turn just taken must not be lost with it
            raise
    try:
        yield
    finally:
        gate.release()


def computing_slot() -> contextlib.AbstractContextManager[None]:
    """Hold one of the server's computing slots while a page is computed (``waiting_turn``)."""
    return waiting_turn(_SLOTS)

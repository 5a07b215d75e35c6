"""The model's own fixed words that readers see: every setting's label, unit and help, the
settings groups, the channels, the headline outputs, the steps of the story, and the presets'
names and descriptions.

The model names these in English (it is the specification's vocabulary); the page, the deck and
the commands show them through ``i18n.t``/``i18n.known``. This list is what the catalogue checks
hold against: each of these needs its Finnish, exactly as each ``t("...")`` in the code does.
"""

from __future__ import annotations

import functools

from ..model.analyses import CHANNEL_LABELS, _LADDER_STEPS
from ..model.catalogue import CATALOGUE, GROUPS
from ..model.runs import HEADLINE_LABELS
from ..model.scenario_files import list_presets, load_preset


@functools.cache
def model_texts() -> frozenset[str]:
    """Every fixed text of the model that a reader may see (English, as the catalogue's keys)."""
    texts: set[str] = set(GROUPS) | set(CHANNEL_LABELS.values()) | {label for label, _ in HEADLINE_LABELS.values()}
    for spec in CATALOGUE:
        texts |= {spec.label, spec.help} | ({spec.unit} if spec.unit else set())
    for _, label, explanation, _ in _LADDER_STEPS:
        texts |= {label, explanation}
    return frozenset(texts | _story_texts())


def _story_texts() -> set[str]:
    """The folk arithmetic's rungs and the bridge's steps: their labels and fixed explanations.
    The model writes them while it computes, so they are read from a small run of each start
    (the first bridge step's explanation quotes a count and is left out: it stays English)."""
    from ..model.report import Report

    texts: set[str] = set()
    for baseline in ("today", "flawless"):
        report = Report(load_preset("gas_station").replace(draws=16, horizon_months=12, baseline=baseline))
        texts |= {r.label for r in report.ladder.folk} | {r.explanation for r in report.ladder.folk}
        texts |= {s.label for s in report.bridge} | {s.explanation for s in report.bridge[1:]}
    return texts


@functools.cache
def preset_texts() -> frozenset[str]:
    """The presets' names and descriptions (a scenario keeps them until the reader renames it)."""
    texts: set[str] = set()
    for name in list_presets():
        params = load_preset(name)
        texts |= {params.name, params.description}
    return frozenset(texts)

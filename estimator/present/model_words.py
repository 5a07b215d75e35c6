"""The model's own fixed words that readers see: every setting's label, unit and help, the
settings groups, the channels, the headline outputs, the steps of the story, and the presets'
names and descriptions; and the templates of the texts the model writes with numbers in them
(notes, warnings, mistakes in a file or a link: ``estimator.model.inputs.text.Text``).

The model names these in English (it is the specification's vocabulary); the page, the deck and
the commands show them through ``i18n.say``/``i18n.known``. This list is what the catalogue checks
hold against: each of these needs its Finnish, exactly as each ``t("...")`` in the code does.
"""

from __future__ import annotations

import functools

from ..model.chain import outlets as chain
from ..model.engine import start
from ..model.engine.runs import HEADLINE_LABELS
from ..model.explain.analyses import _LADDER_STEPS, CHANNEL_LABELS, FOLK_STEPS
from ..model.explain.bridge import BRIDGE_TEXTS
from ..model.inputs import fix_plans, params
from ..model.inputs.catalogue import CATALOGUE, GROUPS
from ..model.own_data import calibration, calibration_sources
from ..model.scenarios import business_units, file_texts, scenario_link, scenario_sets, untrusted
from ..model.scenarios.business_units import UNITS_TEXTS
from ..model.scenarios.scenario_files import list_presets, load_preset

#: The modules whose ``TEXTS`` hold the templates of what they write with numbers in it.
_WRITERS = (
    start,
    untrusted,
    params,
    file_texts,
    scenario_link,
    calibration,
    calibration_sources,
    fix_plans,
    scenario_sets,
    chain,
)


@functools.cache
def model_texts() -> frozenset[str]:
    """Every fixed text of the model that a reader may see (English, as the catalogue's keys)."""
    texts: set[str] = set(GROUPS) | set(CHANNEL_LABELS.values()) | {label for label, _ in HEADLINE_LABELS.values()}
    for spec in CATALOGUE:
        texts |= {spec.label, spec.help} | ({spec.unit} if spec.unit else set())
    for _, label, explanation, _ in _LADDER_STEPS:
        texts |= {label, explanation}
    for _, label, explanation in FOLK_STEPS:
        texts |= {label, explanation}
    return frozenset(texts | set(BRIDGE_TEXTS) | set(UNITS_TEXTS) | model_templates())


@functools.cache
def model_templates() -> frozenset[str]:
    """The texts the model writes for people beside its labels: the templates of its notes,
    warnings and mistakes (a ``Text``'s ``template``), and the fixed words put into them (the
    settings' labels in lower case, the kinds of file)."""
    return frozenset({text for module in _WRITERS for text in module.TEXTS} | set(business_units.MESSAGES))


@functools.cache
def preset_texts() -> frozenset[str]:
    """The presets' names and descriptions (a scenario keeps them until the reader renames it), and the
    names and descriptions of the fixes on their menus."""
    texts: set[str] = set()
    for name in list_presets():
        params = load_preset(name)
        texts |= {params.name, params.description}
        texts |= {fix.name for fix in params.menu} | {fix.description for fix in params.menu if fix.description}
    return frozenset(texts)

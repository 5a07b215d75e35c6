"""The registry of sources the presets cite, and the rules a value's grade obeys.

``sources.yaml`` (beside this module) holds one entry per source: its full reference, what of it was
read, what it actually says, and each figure the presets use from it (what it says, where in the
source, the exact figure). ``docs/evidence.md`` is generated from it and the presets
(``estimator.present.evidence``); a test holds the document to the generator.

A preset's value is graded ``measured`` (the business's own data), ``published`` or ``assumption``
(docs/methodology.md, section 8). ``published`` is earned, and the rules below check it:

* its source line cites a source of the registry, names one of that source's figures and where in
  the source the figure is (the figure's ``place``), and does not call the value an assumption;
* the figure was seen in the source's own text (or in the named reproduction), not "not verified";
* both the value and its range come from the figure: a figure that measures the parameter gives
  the range exactly, and the mode is the figure's own value or, when it gives only a range, lies in
  the middle third of that range (a mode placed elsewhere is a judgement); a figure that measures
  something else (revenue per star for new customers per star) counts only when the model is
  calibrated to reproduce it and the line says so. Anything carried over from a source by a step of
  reasoning (scaling, transfer to another industry, halving a stated intention) is an
  ``assumption`` that names the source it starts from.

The rules read the preset files as written (``preset_entries``), so a parameter the catalogue does
not know yet is listed and graded like any other.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..inputs.catalogue import SPECS
from .scenario_files import PRESET_DIR

REGISTRY_PATH = Path(__file__).with_name("sources.yaml")

_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ", "\u202f": " "})
_ASSUMPTION = re.compile(r"\bassumptions?\b", re.IGNORECASE)
#: How a line that is not graded published may say what it is, besides calling itself an assumption.
_OTHER_KINDS = ("simulation setting", "the folk story")


def normalise(text: str) -> str:
    """Text as the rules compare it: lower case, one kind of dash, single spaces.

    >>> normalise("5–30 %  of\\u00a0Them")
    '5-30 % of them'
    """
    return " ".join(text.translate(_DASHES).split()).lower()


def mentions(line: str, phrase: str) -> bool:
    """Whether ``line`` contains ``phrase`` as a whole (a number is not part of a longer one).

    >>> mentions("draw 5-30 % complaints", "5-30 %"), mentions("95 % stay", "5 %"), mentions("50-75 %", "75 %")
    (True, False, False)
    >>> mentions("Luca (2011)", "luca"), mentions("Lucas (2011)", "luca")
    (True, False)
    """
    wanted = normalise(phrase)
    if not wanted:
        return False
    before = r"(?<![\w.-])" if wanted[0].isalnum() else ""  # "75 %" is not named by "50-75 %"
    after = r"(?![\w])" if wanted[-1].isalnum() else ""
    return re.search(before + re.escape(wanted) + after, normalise(line)) is not None


@dataclass(frozen=True)
class Figure:
    """One figure of a source: what it says, where, and (when it measures a model parameter or the
    model is calibrated to it) its numbers in the parameter's units."""

    id: str
    figure: str
    says: str
    where: str
    place: str
    match: tuple[str, ...] = ()
    parameter: str | None = None
    calibrates: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    value: float | None = None

    @property
    def located(self) -> bool:
        """Seen in the source's text (or its named reproduction), not marked "not verified"."""
        return not normalise(self.where).startswith("not verified")

    def named_in(self, line: str) -> bool:
        return any(mentions(line, text) for text in (self.match or (self.figure,)))


@dataclass(frozen=True)
class Source:
    """One source: its reference, what of it was read, what it says, and the figures used from it."""

    id: str
    short: str
    cited_as: tuple[str, ...]
    reference: str
    read: str
    findings: str
    figures: tuple[Figure, ...]
    unverified: str = ""

    def cited_in(self, line: str) -> bool:
        return any(mentions(line, text) for text in self.cited_as)

    def figures_in(self, line: str) -> list[Figure]:
        return [f for f in self.figures if f.named_in(line)]


@dataclass(frozen=True)
class Registry:
    """Every source, and the closing table of what the evidence supports."""

    sources: tuple[Source, ...]
    supports: tuple[dict[str, str], ...]

    def cited_in(self, line: str) -> list[Source]:
        """The sources a source line cites, in registry order."""
        return [s for s in self.sources if s.cited_in(line)]


def _figure(data: dict[str, Any]) -> Figure:
    number = {k: (None if data.get(k) is None else float(data[k])) for k in ("low", "high", "value")}
    return Figure(
        id=str(data["id"]),
        figure=str(data["figure"]),
        says=" ".join(str(data["says"]).split()),
        where=str(data["where"]),
        place=str(data["place"]),
        match=tuple(map(str, data.get("match", ()))),
        parameter=data.get("parameter"),
        calibrates=tuple(data.get("calibrates", ())),
        **number,
    )


def registry_from_mapping(data: dict[str, Any]) -> Registry:
    """A ``Registry`` from the parsed ``sources.yaml``."""
    sources = tuple(
        Source(
            id=str(s["id"]),
            short=str(s["short"]),
            cited_as=tuple(map(str, s["cited_as"])),
            reference=" ".join(str(s["reference"]).split()),
            read=str(s["read"]),
            findings=str(s["findings"]).strip(),
            figures=tuple(_figure(f) for f in s["figures"] or ()),
            unverified=" ".join(str(s.get("unverified", "")).split()),
        )
        for s in data["sources"]
    )
    return Registry(sources=sources, supports=tuple(dict(row) for row in data.get("supports", ())))


@functools.lru_cache(maxsize=4)
def load_registry(path: Path = REGISTRY_PATH) -> Registry:
    """The registry in ``sources.yaml``.

    >>> [s.short for s in load_registry().cited_in("Goodman (1999), as reported by notes on the article")]
    ['Goodman (1999)']
    """
    return registry_from_mapping(yaml.safe_load(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Entry:
    """One parameter of a preset as its file writes it: value, range, grade (``None`` if the file
    gives none) and source line."""

    name: str
    mode: float | None
    range: tuple[float, float] | None
    grade: str | None
    line: str


def preset_entries(data: dict[str, Any]) -> list[Entry]:
    """The parameters of a scenario mapping as written, in the file's order, then any parameter the
    file gives only a source line for; names the catalogue does not know are kept.

    >>> preset_entries({"parameters": {"new_thing": {"mode": 2, "low": 1, "high": 3}},
    ...                 "sources": {"new_thing": "Assumption."}})
    [Entry(name='new_thing', mode=2.0, range=(1.0, 3.0), grade=None, line='Assumption.')]
    """
    parameters, sources, grades = (data.get(key) or {} for key in ("parameters", "sources", "grades"))
    entries = []
    for name in [*parameters, *(n for n in sources if n not in parameters)]:
        value = parameters.get(name, SPECS[name].default if name in SPECS else None)
        mode, rng = value, None
        if isinstance(value, dict):
            mode = value.get("mode")
            low, high = value.get("low", mode), value.get("high", mode)
            # No range where the ends agree, or where one is missing and there is no mode to stand in.
            rng = None if low == high or low is None or high is None else (float(low), float(high))
        entries.append(
            Entry(
                str(name),
                None if mode is None else float(mode),
                rng,
                grades.get(name),
                " ".join(str(sources.get(name, "")).split()),
            )
        )
    return entries


def read_preset(name: str) -> dict[str, Any]:
    """A preset file of ``assumptions/`` as its raw mapping (the files are the project's own)."""
    return yaml.safe_load((PRESET_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 + 1e-6 * abs(b)


def _numbers(entry: Entry, fig: Figure) -> list[str]:
    """Why the value and range do not both come from ``fig``, which measures the parameter."""
    if fig.low is not None and fig.high is not None:
        if entry.range is None or not (_close(entry.range[0], fig.low) and _close(entry.range[1], fig.high)):
            given = "none" if entry.range is None else f"{entry.range[0]:g}-{entry.range[1]:g}"
            return [f"its range ({given}) is not the source's ({fig.low:g}-{fig.high:g})"]
        if fig.value is not None:
            return (
                []
                if entry.mode is not None and _close(entry.mode, fig.value)
                else [f"its mode is not the source's {fig.value:g}"]
            )
        third = (fig.high - fig.low) / 3
        if entry.mode is None or not fig.low + third - 1e-12 <= entry.mode <= fig.high - third + 1e-12:
            return [
                f"its mode is not in the middle third of the source's range ({fig.low + third:.4g}-"
                f"{fig.high - third:.4g}): placing it elsewhere is a judgement"
            ]
        return []
    if fig.value is not None:
        if entry.range is not None:
            return [f"the source gives one value ({fig.value:g}), not a range"]
        return (
            []
            if entry.mode is not None and _close(entry.mode, fig.value)
            else [f"its value is not the source's {fig.value:g}"]
        )
    return ["the figure gives no number"]


def _figure_problems(entry: Entry, fig: Figure) -> list[str]:
    problems = [] if fig.located else ["the figure is not verified in the source"]
    if not mentions(entry.line, fig.place):
        problems.append(f"the line does not say where in the source the figure is ({fig.place})")
    if fig.parameter == entry.name:
        problems += _numbers(entry, fig)
    elif entry.name in fig.calibrates:
        if "calibrat" not in normalise(entry.line):
            problems.append("the model is calibrated to reproduce the figure, which the line does not say")
    else:
        problems.append(f"the figure does not measure {entry.name}: carrying it over is a step of reasoning")
    return problems


def published_problems(entry: Entry, registry: Registry | None = None) -> list[str]:
    """Why ``entry`` may not be graded ``published`` (empty if it may).

    >>> line = ("Goodman, J. (1999), as reported by notes on the article: quality problems draw 5-30 % "
    ...         "complaints to the front line.")
    >>> published_problems(Entry("complaint_rate", 0.15, (0.05, 0.3), "published", line))
    []
    >>> published_problems(Entry("complaint_rate", 0.2, (0.1, 0.3), "published", line))
    ["Goodman (1999), 5-30 %: its range (0.1-0.3) is not the source's (0.05-0.3)"]
    """
    registry = registry or load_registry()
    problems = ["its source line calls it an assumption"] if _ASSUMPTION.search(entry.line) else []
    cited = registry.cited_in(entry.line)
    if not cited:
        return problems + ["its source line names no source of the registry"]
    named = [(s, f, _figure_problems(entry, f)) for s in cited for f in s.figures_in(entry.line)]
    if not named:
        return problems + [f"its source line names no figure of {', '.join(s.short for s in cited)}"]
    if any(not why for _, _, why in named):
        return problems
    # the figures that measure this parameter (or that it is calibrated to) speak; else the closest one
    relevant = [item for item in named if entry.name in (item[1].parameter, *item[1].calibrates)]
    shown = relevant or [min(named, key=lambda item: len(item[2]))]
    return problems + [f"{source.short}, {fig.figure}: {reason}" for source, fig, why in shown for reason in why]


def line_problems(entry: Entry, registry: Registry | None = None) -> list[str]:
    """What is wrong with ``entry`` whatever its grade: a figure not verified in its source that the
    line names without saying so; a value graded ``assumption`` whose line does not say what it is;
    a ``published`` value that breaks the rules above."""
    registry = registry or load_registry()
    problems = [
        f"it names {s.short}'s {f.figure!r}, not verified in the source, without saying so"
        for s in registry.cited_in(entry.line)
        for f in s.figures_in(entry.line)
        if not f.located and "not verified" not in normalise(entry.line)
    ]
    if entry.grade == "assumption" and not (
        _ASSUMPTION.search(entry.line) or normalise(entry.line).startswith(_OTHER_KINDS)
    ):
        problems.append("it is graded assumption but its source line does not say so")
    if entry.grade == "published":
        problems += published_problems(entry, registry)
    return problems


def grade_by_rule(entry: Entry, registry: Registry | None = None) -> str:
    """The grade the rules give a value whose file gives none: ``measured`` if its line says so,
    ``published`` if it may be, else ``assumption``.

    >>> grade_by_rule(Entry("deterrence_ratio", 4, (2, 8), None, "Assumption, starting from East et al. (2017)."))
    'assumption'
    """
    if normalise(entry.line).startswith("measured"):
        return "measured"
    return "assumption" if published_problems(entry, registry) else "published"

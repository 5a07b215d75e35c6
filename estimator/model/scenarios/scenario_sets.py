"""Several named scenarios in one file: YAML documents, one scenario file each, separated by ``---``.

A set is what "Save as…" keeps in a session and downloads in one go; each document is read exactly as a
scenario file is (``scenario_files.parse_scenario``: the same limits and messages), so a set holds nothing
a single file could not.
"""

from __future__ import annotations

import re

from ..inputs.params import Params
from ..inputs.text import Text
from .scenario_files import ScenarioError, parse_scenario, scenario_to_yaml

#: Most scenarios one set may hold.
MAX_SCENARIOS_IN_SET = 20

TOO_MANY = "{origin}: at most {most} scenarios in one file (it holds {count})"
EMPTY = "{origin}: no scenario in it"
TEXTS: tuple[str, ...] = (TOO_MANY, EMPTY)

_SEPARATOR = re.compile(r"^---[ \t]*$", re.MULTILINE)


def scenarios_to_yaml(scenarios: list[Params]) -> str:
    """The scenarios as one file: each as its own YAML document, in order.

    >>> from estimator import load_preset
    >>> text = scenarios_to_yaml([load_preset("hotel"), load_preset("gas_station")])
    >>> [p.name for p in parse_scenario_set(text)] == [load_preset("hotel").name, load_preset("gas_station").name]
    True
    """
    return "".join(f"---\n{scenario_to_yaml(params)}" for params in scenarios)


def parse_scenario_set(text: str | bytes, origin: str = "scenarios") -> list[Params]:
    """The scenarios of a set (or of a single scenario file), each validated as a scenario file is.

    Raises
    ------
    ScenarioError
        A document that is not a valid scenario (named by its place: ``origin #2``), more than
        ``MAX_SCENARIOS_IN_SET`` of them, or none.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            return [parse_scenario(text, origin)]  # the single-file reader says what is wrong with it
    documents = [doc for doc in _SEPARATOR.split(text) if doc.strip()]
    if not documents:
        raise ScenarioError(Text(EMPTY, origin=origin))
    if len(documents) > MAX_SCENARIOS_IN_SET:
        raise ScenarioError(Text(TOO_MANY, origin=origin, most=MAX_SCENARIOS_IN_SET, count=len(documents)))
    return [
        parse_scenario(doc, f"{origin} #{i}" if len(documents) > 1 else origin)
        for i, doc in enumerate(documents, start=1)
    ]

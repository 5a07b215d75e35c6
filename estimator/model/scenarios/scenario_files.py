"""Presets and scenario files: YAML in, validated ``Params`` out, and back.

A scenario file (and every preset in ``assumptions/``) looks like::

    name: Gas station: the toilet and the shrug
    description: ...
    currency: EUR
    baseline: today                                         # or flawless (optional)
    parameters:
      bad_visit_rate: {mode: 0.02, low: 0.01, high: 0.04}   # uncertain
      market_size: 25000                                    # known
    fix:                                                    # what fixing the service changes
      bad_visit_rate: 0.002
    sources:
      bad_visit_rate: "TARP (1986) ...; assumption for this station"
    grades:                                                 # measured, published or assumption
      bad_visit_rate: assumption

Files come from users, so reading is defensive: a size limit, ``yaml.safe_load``
semantics with anchors/aliases refused (no "billion laughs"), a fixed set of keys,
and every problem reported as a ``ScenarioError`` that says what to fix.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..inputs.catalogue import CATALOGUE, SPECS
from ..inputs.fix_plans import FIX_SECTIONS, fix_fields, fix_sections
from ..inputs.params import Params
from ..inputs.text import Text
from . import file_texts as texts
from .locations import located

PRESET_DIR = located("presets", "assumptions")
#: Largest scenario file accepted, in bytes (presets are about 5 KB).
MAX_SCENARIO_BYTES = 256 * 1024

#: Presets shown first, in this order; any other file in assumptions/ follows alphabetically.
PREFERRED_ORDER = ("gas_station", "gas_station_recovered", "folklore", "online_shop", "hotel",
                   "restaurant", "contact_centre", "airline")

TOP_LEVEL_KEYS = {"name", "description", "currency", "baseline", "parameters", *FIX_SECTIONS, "sources", "grades"}
RANGE_KEYS = {"mode", "low", "high"}


#: Longest message a ScenarioError carries (a hostile file could otherwise make a page-long warning).
MAX_ERROR_CHARS = 500


class ScenarioError(ValueError):
    """A scenario file or preset that cannot be used; the message says why and where (one line,
    at most ``MAX_ERROR_CHARS`` characters).

    >>> len(str(ScenarioError("x" * 10_000)))
    500
    """

    def __init__(self, message: str = "") -> None:
        super().__init__(_one_line(message))


def _one_line(message: str) -> str:
    """A message on one line of at most ``MAX_ERROR_CHARS`` characters; a ``Text`` stays one (with
    the user's text in it on one line too) wherever that gives the same English, so another language
    can say it: ``ScenarioError(Text(...)).args[0]`` is then that ``Text``.

    >>> note = _one_line(Text("{origin}: not UTF-8 text (byte {byte})", origin="my   file", byte=3))
    >>> note, note.values["origin"]
    ('my file: not UTF-8 text (byte 3)', 'my file')
    """
    text = " ".join(str(message).split())
    text = text if len(text) <= MAX_ERROR_CHARS else text[:MAX_ERROR_CHARS - 1] + "…"
    template, values = getattr(message, "template", None), getattr(message, "values", None)
    if template is None or values is None:
        return text
    if message == text:
        return message
    flat = {name: " ".join(value.split()) if type(value) is str else value for name, value in values.items()}
    remade = Text(template, **flat)
    return remade if remade == text else text


def _said(text: str) -> str:
    """A name the model gives a file (``scenario file``, ``data file``) as a text another language can
    say; any other name (a file's own) as it is."""
    return Text(text) if type(text) is str and text in (texts.SCENARIO_FILE, texts.DATA_FILE, texts.SCENARIO) else text


#: Deepest nesting of lists and mappings read from a scenario file (the format needs three levels;
#: a few hundred would exhaust Python's stack inside the YAML reader).
MAX_NESTING = 16

#: Longest error message quoted from a failure inside the YAML reader.
MAX_MESSAGE_CHARS = 160


class _NoAliasLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses anchors and aliases (they can expand without bound),
    nesting deeper than ``MAX_NESTING`` and duplicate keys (the later one would silently win)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D401
        if self.check_event(yaml.AliasEvent):
            raise ScenarioError(Text(texts.ALIASES))
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise ScenarioError(Text(texts.ANCHORS))
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                raise ScenarioError(Text(texts.TOO_DEEP, levels=MAX_NESTING, line=event.start_mark.line + 1))
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key: the base class says so
                break
            if duplicate:
                raise ScenarioError(Text(texts.TWICE, key=str(key)[:40], line=key_node.start_mark.line + 1))
        return super().construct_mapping(node, deep)


def list_presets() -> list[str]:
    """Names of the presets in ``assumptions/`` (file stems), best-known first.

    >>> list_presets()[:2]
    ['gas_station', 'gas_station_recovered']
    """
    stems = sorted(path.stem for path in PRESET_DIR.glob("*.yaml"))
    known = [name for name in PREFERRED_ORDER if name in stems]
    return known + [name for name in stems if name not in known]


def load_preset(name_or_path: str | Path) -> Params:
    """Load a preset by name (``"gas_station"``) or a scenario file by path.

    Parameters
    ----------
    name_or_path : str or Path
        A name from ``list_presets()``, or a path ending in ``.yaml``/``.yml``.

    Returns
    -------
    Params
        The validated scenario.

    Raises
    ------
    ScenarioError
        For an unknown name, an unreadable, oversized or invalid file; the message says what
        to fix.

    Examples
    --------
    >>> p = load_preset("gas_station")
    >>> p.currency, p.horizon_months
    ('EUR', 36)
    >>> load_preset("no_such_place")
    Traceback (most recent call last):
    ...
    estimator.model.scenarios.scenario_files.ScenarioError: unknown preset 'no_such_place'; available: ...
    """
    path = Path(name_or_path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        if str(name_or_path) not in list_presets():
            raise ScenarioError(Text(texts.UNKNOWN_PRESET, name=str(name_or_path), names=", ".join(list_presets())))
        path = PRESET_DIR / f"{name_or_path}.yaml"
    return parse_scenario(read_regular_file(path, MAX_SCENARIO_BYTES, texts.SCENARIO_FILE), origin=path.name)


def read_regular_file(path: Path, max_bytes: int, what: str) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, or a ``ScenarioError`` saying why not.

    Directories, devices, FIFOs and sockets are refused before anything is read (a FIFO would
    wait forever, ``/dev/zero`` never ends, whatever its name); the read itself stops one byte
    past the limit, so a file that grows, or lies about its size, cannot be read without bound.

    >>> read_regular_file(Path("/dev/zero"), 10, "scenario file")
    Traceback (most recent call last):
    ...
    estimator.model.scenarios.scenario_files.ScenarioError: zero: not a regular file (a character device); give a scenario file
    """
    import os
    import stat

    what = _said(what)
    try:
        mode = path.stat().st_mode  # follows symbolic links: the target is what would be read
    except OSError as exc:
        raise ScenarioError(Text(texts.CANNOT_READ, what=what, path=str(path), reason=f"{exc.strerror}")) from None
    if not stat.S_ISREG(mode):
        kind = ("a directory" if stat.S_ISDIR(mode) else "a character device" if stat.S_ISCHR(mode)
                else "a block device" if stat.S_ISBLK(mode) else "a FIFO" if stat.S_ISFIFO(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "not a file")
        raise ScenarioError(Text(texts.NOT_REGULAR, name=path.name, kind=Text(kind), what=what))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ScenarioError(Text(texts.CANNOT_READ, what=what, path=str(path), reason=f"{exc.strerror}")) from None
    if len(data) > max_bytes:
        raise ScenarioError(Text(texts.FILE_TOO_LARGE, name=path.name, limit=max_bytes, what=what))
    return data


def parse_scenario(text: str | bytes, origin: str = texts.SCENARIO_FILE) -> Params:
    """Validate the text of a scenario file and return its ``Params``.

    Parameters
    ----------
    text : str or bytes
        The file's content (UTF-8), at most ``MAX_SCENARIO_BYTES``.
    origin : str
        How messages name the file.

    Raises
    ------
    ScenarioError
        Whatever is wrong, named by field and allowed range; anchors and aliases are refused.

    Examples
    --------
    >>> parse_scenario("name: Mine\\nparameters: {bad_visit_rate: 0.05}").bad_visit_rate
    0.05
    >>> parse_scenario("parameters: {bad_visit_rate: 2}", origin="mine.yaml")
    Traceback (most recent call last):
    ...
    estimator.model.scenarios.scenario_files.ScenarioError: mine.yaml: bad_visit_rate = 2 is outside the allowed range 0 to 1 share of visits
    """
    origin = _said(origin)
    if len(text) > MAX_SCENARIO_BYTES:
        raise ScenarioError(Text(texts.TOO_LARGE, origin=origin, size=len(text), limit=MAX_SCENARIO_BYTES))
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ScenarioError(Text(texts.NOT_UTF8, origin=origin, byte=exc.start)) from exc
    loader = None
    try:
        loader = _NoAliasLoader(text)  # its reader refuses control characters at once
        data = loader.get_single_data()
    except ScenarioError as exc:
        raise ScenarioError(Text(texts.PLACED, where=origin, problem=exc.args[0])) from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        problem = str(getattr(exc, "problem", None) or exc)[:MAX_MESSAGE_CHARS]
        raise ScenarioError(Text(texts.NOT_YAML, origin=origin, problem=problem) if where is None else
                            Text(texts.NOT_YAML_AT, origin=origin, line=where.line + 1, problem=problem)) from None
    except Exception as exc:  # noqa: BLE001 - hostile input: whatever the reader raises becomes a message
        # A tagged or implicit value the YAML reader cannot build: a date such as 2020-13-45,
        # "!!int abc", "!!bool maybe", "!!timestamp yesterday", an integer of thousands of digits.
        detail = (str(exc).strip("'") if isinstance(exc, KeyError) else str(exc).split("; use sys.")[0])
        detail = detail[:MAX_MESSAGE_CHARS] or type(exc).__name__
        raise ScenarioError(Text(texts.UNREADABLE_VALUE, origin=origin, detail=detail)) from None
    finally:
        if loader is not None:
            loader.dispose()
    return params_from_mapping(data, origin)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError(Text(texts.NOT_A_NUMBER, where=where, kind=type(value).__name__,
                                 value=repr(str(value)[:40])))
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ScenarioError(Text(texts.NOT_FINITE, where=where, value=str(value)[:40]))
    return number


def _parameter(name: str, entry: Any, origin: str) -> tuple[float, tuple[float, float] | None]:
    """(mode, range or None) of one ``parameters:`` entry: a number or {mode, low, high}."""
    where = Text(texts.FIELD, origin=origin, name=name)
    if not isinstance(entry, dict):
        return _number(entry, where), None
    unknown = set(map(str, entry)) - RANGE_KEYS
    if unknown or "mode" not in entry:
        raise ScenarioError(Text(texts.UNKNOWN_RANGE_KEYS, where=where, keys=str(sorted(unknown))) if unknown
                            else Text(texts.NO_MODE, where=where))
    mode = _number(entry["mode"], Text(texts.FIELD_PART, origin=origin, name=name, part="mode"))
    low = _number(entry.get("low", mode), Text(texts.FIELD_PART, origin=origin, name=name, part="low"))
    high = _number(entry.get("high", mode), Text(texts.FIELD_PART, origin=origin, name=name, part="high"))
    if not SPECS[name].uncertain:
        if (low, high) != (mode, mode):
            raise ScenarioError(Text(texts.NOT_A_RANGE, where=where))
        return mode, None
    if low > high:
        raise ScenarioError(Text(texts.LOW_ABOVE_HIGH, where=where, low=low, high=high))
    if low == high and low != mode:
        raise ScenarioError(Text(texts.MODE_OUTSIDE, where=where, low=low, mode=mode))
    return mode, (low, high)


def params_from_mapping(data: Any, origin: str = texts.SCENARIO) -> Params:
    """Turn a parsed scenario mapping into validated ``Params`` (``ScenarioError`` if not)."""
    origin = _said(origin)
    if not isinstance(data, dict):
        raise ScenarioError(Text(texts.NOT_A_MAPPING, origin=origin, kind=type(data).__name__))
    unknown = set(map(str, data)) - TOP_LEVEL_KEYS
    if unknown:
        raise ScenarioError(Text(texts.UNKNOWN_KEYS, origin=origin, keys=str(sorted(unknown)),
                                 allowed=", ".join(sorted(TOP_LEVEL_KEYS))))
    parameters = data.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise ScenarioError(Text(texts.BAD_PARAMETERS, origin=origin))
    unknown = set(map(str, parameters)) - set(SPECS)
    if unknown:
        raise ScenarioError(Text(texts.UNKNOWN_PARAMETERS, origin=origin, names=str(sorted(unknown))))
    fields: dict[str, Any] = {}
    ranges: dict[str, tuple[float, float]] = {}
    for name, entry in parameters.items():
        fields[name], rng = _parameter(name, entry, origin)
        if rng is not None and rng[0] < rng[1]:
            ranges[name] = rng
    sources = data.get("sources") or {}
    if not isinstance(sources, dict) or not all(isinstance(v, str) for v in sources.values()):
        raise ScenarioError(Text(texts.BAD_SOURCES, origin=origin))
    grades = data.get("grades") or {}
    if not isinstance(grades, dict) or not all(isinstance(v, str) for v in grades.values()):
        raise ScenarioError(Text(texts.BAD_GRADES, origin=origin))
    try:
        fields.update(fix_fields(data, origin, texts.BAD_FIX))
    except ValueError as exc:
        raise ScenarioError(exc.args[0]) from None
    for key in ("name", "description", "currency", "baseline"):
        if key in data and not isinstance(data[key], str):
            raise ScenarioError(Text(texts.NOT_TEXT, origin=origin, key=key))
        if key in data:
            fields[key] = data[key]
    try:
        return Params(**fields, ranges=ranges, sources={str(k): v for k, v in sources.items()},
                      grades={str(k): v for k, v in grades.items()})
    except ValidationError as exc:
        raise ScenarioError(Text(texts.PLACED, where=origin, problem=describe_validation_error(exc))) from None


def describe_validation_error(exc: ValidationError) -> str:
    """One readable line per problem: the field and what is wrong with it (a ``Text`` another language
    can say where the problems are the model's own)."""
    lines: list[str] = []
    for error in exc.errors():
        msg = str(error["msg"]).removeprefix("Value error, ")
        cause = (error.get("ctx") or {}).get("error")
        said = cause.args[0] if isinstance(cause, ValueError) and len(cause.args) == 1 else None
        msg = said if getattr(said, "template", None) is not None and said == msg else msg
        loc = ".".join(str(part) for part in error["loc"])
        lines.append(msg if (not loc or msg.startswith(loc)) else Text(texts.PLACED, where=loc, problem=msg))
    if not lines:
        return ""
    joined = lines[-1]
    for line in reversed(lines[:-1]):
        joined = Text(texts.JOINED, first=line, rest=joined)
    return joined


def scenario_to_mapping(params: Params) -> dict[str, Any]:
    """The scenario as the mapping a scenario file holds (inverse of ``params_from_mapping``)."""
    parameters: dict[str, Any] = {}
    for spec in CATALOGUE:
        value = getattr(params, spec.name)
        value = int(value) if (spec.integer and float(value).is_integer()) else float(value)
        if spec.name in params.ranges:
            low, high = params.ranges[spec.name]
            parameters[spec.name] = {"mode": value, "low": float(low), "high": float(high)}
        else:
            parameters[spec.name] = value
    return {"name": params.name, "description": params.description, "currency": params.currency,
            "baseline": params.baseline, "parameters": parameters, **fix_sections(params),
            "sources": dict(params.sources), "grades": dict(params.grades)}


def scenario_to_yaml(params: Params) -> str:
    """The scenario as YAML text in the preset schema; ``parse_scenario`` reads it back exactly.

    >>> p = load_preset("hotel")
    >>> parse_scenario(scenario_to_yaml(p)) == p
    True
    """
    return yaml.safe_dump(scenario_to_mapping(params), sort_keys=False, allow_unicode=True, width=100)


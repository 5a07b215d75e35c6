"""A whole scenario carried in a link: its YAML, deflated and base64url-encoded.

A scenario opened from a file has ranges, sources and grades a link's ``name=value`` pairs
cannot hold; this token carries all of it, and reading it back is as careful as reading the file
(length, inflated size and the scenario itself checked).

Two formats, told apart by their first characters (``~`` is never in base64url):

- **version 2** (written since 2026-12-06): ``~2`` and the YAML deflated against a preset
  dictionary (``link_dictionary_v2.txt``: the lines the presets share, frozen: a test holds its
  hash, so a link written today opens after the presets change). A calibrated gas station takes
  3,230 characters instead of 8,776 (more than a link may carry), a preset 1,500-4,400.
- **version 1**: the YAML deflated alone (zlib). Old links still open.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from functools import cache
from pathlib import Path

from ..inputs.params import Params
from ..inputs.text import Text
from .scenario_files import MAX_SCENARIO_BYTES, ScenarioError, parse_scenario, scenario_to_yaml

__all__ = ["MAX_LINK_TOKEN_CHARS", "scenario_from_link_token", "scenario_to_link_token"]


#: Longest scenario token a link carries (links of up to about 8,000 characters pass through browsers and
#: servers alike; v3's presets, with every source line, take 5,900 to 6,400, a calibrated one a little more).
MAX_LINK_TOKEN_CHARS = 8_000

#: The marker of a version-2 token, and its dictionary (frozen: see the module's docstring).
VERSION_2 = "~2"
DICTIONARY_V2 = Path(__file__).with_name("link_dictionary_v2.txt")


@cache
def _dictionary_v2() -> bytes:
    return DICTIONARY_V2.read_bytes()


#: How messages name the scenario a link carries, and the messages about it (templates).
IN_THE_LINK = "the scenario in the link"
TOO_LONG_FOR_A_LINK = (
    "this scenario needs {length:,} characters in a link; at most {limit:,} fit, so share the file instead"
)
TOO_LONG = "the scenario in the link is too long to be one this page wrote"
DAMAGED = "the scenario in the link is damaged (it is not one this page wrote)"
TOO_LARGE = "the scenario in the link is too large"
TEXTS: tuple[str, ...] = (IN_THE_LINK, TOO_LONG_FOR_A_LINK, TOO_LONG, DAMAGED, TOO_LARGE)


def scenario_to_link_token(params: Params) -> str:
    """A whole scenario (values, ranges, sources, grades, fix) as a compact, URL-safe text:
    its YAML, deflated and base64url-encoded. ``ScenarioError`` if it would make the link too long.

    >>> from estimator import load_preset
    >>> token = scenario_to_link_token(load_preset("hotel"))
    >>> len(token) < MAX_LINK_TOKEN_CHARS, scenario_from_link_token(token) == load_preset("hotel")
    (True, True)
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, _dictionary_v2())
    packed = packer.compress(scenario_to_yaml(params).encode("utf-8")) + packer.flush()
    token = VERSION_2 + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")
    if len(token) > MAX_LINK_TOKEN_CHARS:
        raise ScenarioError(Text(TOO_LONG_FOR_A_LINK, length=len(token), limit=MAX_LINK_TOKEN_CHARS))
    return token.rstrip("=")


def scenario_from_link_token(token: str) -> Params:
    """The scenario a link token carries (the inverse of ``scenario_to_link_token``); untrusted:
    the token's length, the inflated size and the scenario itself are all checked, and anything
    wrong is a ``ScenarioError``.

    >>> scenario_from_link_token("not a token")
    Traceback (most recent call last):
    ...
    estimator.model.scenarios.scenario_files.ScenarioError: the scenario in the link is damaged (it is not one this page wrote)
    """
    if not isinstance(token, str) or len(token) > MAX_LINK_TOKEN_CHARS:
        raise ScenarioError(Text(TOO_LONG))
    version_2 = token.startswith(VERSION_2)
    body = token[len(VERSION_2) :] if version_2 else token
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflater = zlib.decompressobj(-15, zdict=_dictionary_v2()) if version_2 else zlib.decompressobj()
        text = inflater.decompress(packed, MAX_SCENARIO_BYTES + 1)
        if version_2 and not inflater.eof and not inflater.unconsumed_tail:
            raise ValueError("a cut token")
    except (binascii.Error, ValueError, zlib.error):
        raise ScenarioError(Text(DAMAGED)) from None
    if len(text) > MAX_SCENARIO_BYTES or inflater.unconsumed_tail:
        raise ScenarioError(Text(TOO_LARGE))
    return parse_scenario(text, origin=Text(IN_THE_LINK))

"""Cleaning text a user or a file typed: what XML cannot hold and what can spoof it goes.

Scenario names, descriptions, sources and the names of fixes reach slides, spreadsheets and
titles; ``clean_text`` keeps them printable and in reading order.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters that reorder or hide text (bidirectional overrides and isolates, marks, the BOM):
#: in a scenario's name they could make it read as something else.
_BIDI_AND_HIDDEN = frozenset([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF])


def _unsafe_ranges() -> str:
    """A regular-expression class of every character ``clean_text`` changes: control characters
    (Cc, line breaks and tabs included), surrogates (Cs), private use (Co), the bidirectional and
    hidden ones, and the non-characters (U+FDD0–U+FDEF, U+xFFFE and U+xFFFF of every plane)."""
    ranges = [
        (0x00, 0x1F),
        (0x7F, 0x9F),
        (0xD800, 0xDFFF),
        (0xE000, 0xF8FF),
        (0xF0000, 0x10FFFF),
        (0xFDD0, 0xFDEF),
        *((plane + 0xFFFE, plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)),
        *((code, code) for code in _BIDI_AND_HIDDEN),
    ]
    return "[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in ranges) + "]"


_UNSAFE = re.compile(_unsafe_ranges())


def clean_text(text: str, keep_newlines: bool = False) -> str:
    r"""User text with what XML cannot hold and what can spoof it removed: control characters
    (line breaks and tabs become spaces unless ``keep_newlines``), surrogates, private-use and
    non-characters (U+FFFE, U+FFFF, ...), and bidirectional overrides and marks.

    >>> clean_text("Good\u202e doog\x00 shop\ufffe\nhere")
    'Good doog shop here'
    >>> clean_text("line one\nline two", keep_newlines=True)
    'line one\nline two'
    """
    text = str(text)
    if not _UNSAFE.search(text):  # the usual case, at C speed: a scenario holds ~30 kB of sources
        return text
    return _clean_each(text, keep_newlines)


def _clean_each(text: str, keep_newlines: bool) -> str:
    """``clean_text`` character by character (the slow path, for text that needs it)."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\n\t\r":
            out.append("\n" if keep_newlines and ch == "\n" else " ")
        elif (
            unicodedata.category(ch) in ("Cc", "Cs", "Co")
            or code in _BIDI_AND_HIDDEN
            or (code & 0xFFFE) == 0xFFFE
            or 0xFDD0 <= code <= 0xFDEF
        ):
            continue
        else:
            out.append(ch)
    return "".join(out)

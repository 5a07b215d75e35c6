"""Numbers as people read them: thousands separators, currency, compact millions."""

from __future__ import annotations

import math

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


def money(value: float, currency: str = "EUR", compact: bool = False) -> str:
    """``1,595,449 EUR``, or ``€1.60 M`` with ``compact=True`` (cards, chart labels)."""
    if not math.isfinite(value):
        return "n/a"
    if compact:
        symbol = CURRENCY_SYMBOLS.get(currency)
        sign = "−" if value < 0 else ""
        number = compact_number(abs(value))
        return f"{sign}{symbol}{number}" if symbol else f"{sign}{number} {currency}"
    return f"{value:,.0f} {currency}"


def compact_number(value: float) -> str:
    """``950``, ``12.3 k``, ``1.60 M``, ``2.10 bn``."""
    magnitude = abs(value)
    if magnitude >= 1e9:
        return f"{value / 1e9:.2f} bn"
    if magnitude >= 1e6:
        return f"{value / 1e6:.2f} M"
    if magnitude >= 1e4:
        return f"{value / 1e3:.0f} k"
    if magnitude >= 1e3:
        return f"{value / 1e3:.1f} k"
    return f"{value:,.0f}"


def people(value: float) -> str:
    """Whole people with thousands separators."""
    return f"{value:,.0f}" if math.isfinite(value) else "n/a"


def stars(value: float) -> str:
    """A rating with two decimals and a star."""
    return f"{value:.2f} ★" if math.isfinite(value) else "n/a"


def value_of(kind: str, value: float, currency: str = "EUR") -> str:
    """Format by kind: ``money``, ``people``, ``stars``."""
    if kind == "money":
        return money(value, currency)
    if kind == "stars":
        return f"{value:.2f}"
    return people(value)


_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:=\"'&")


def escape_markdown(text: str) -> str:
    """User text made inert for Markdown renderers: every punctuation character that could
    start a link, image, emphasis, HTML, LaTeX ($) or a directive (:red[...]) is
    backslash-escaped, and line breaks become spaces."""
    flat = " ".join(str(text).split())
    return "".join(f"\\{ch}" if ch in _MARKDOWN_SPECIAL else ch for ch in flat)


def escape_plotly(text: str) -> str:
    """User text made inert for Plotly labels, which understand a few HTML tags (<a>, <b>, <br>)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

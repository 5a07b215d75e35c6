"""Numbers as people read them: one formatter per kind, used by the page, the deck and the CLI.

Kinds: ``money`` (full ``1,595,449 EUR`` or compact ``€1.60 M``), ``people``, ``stars`` and
``share``; ``by_kind`` picks one from a headline output's kind. User text is made inert here
too, for Markdown and for Plotly labels.
"""

from __future__ import annotations

import math

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


def money(value: float, currency: str = "EUR", compact: bool = False) -> str:
    """Money: ``1,595,449 EUR`` (files, the command line), or as people say it with
    ``compact=True`` (the page, the deck, chart labels): whole units up to 9,999, then three
    significant figures (``€1,958``, ``€12.3 k``, ``€1.60 M``).

    Examples
    --------
    >>> money(1_595_449.2)
    '1,595,449 EUR'
    >>> money(1_595_449.2, compact=True), money(-12_345, "USD", compact=True), money(950, "SEK", compact=True)
    ('€1.60 M', '−$12.3 k', '950 SEK')
    >>> money(1_958.4, compact=True), money(9_999.6, compact=True)
    ('€1,958', '€10.0 k')
    """
    if not math.isfinite(value):
        return "n/a"
    if compact:
        symbol = CURRENCY_SYMBOLS.get(currency)
        sign = "−" if value < 0 else ""
        number = f"{abs(value):,.0f}" if round(abs(value)) < 10_000 else compact_number(abs(value))
        return f"{sign}{symbol}{number}" if symbol else f"{sign}{number} {currency}"
    return f"{value:,.0f} {currency}"


def compact_number(value: float) -> str:
    """A number in three significant figures, as people say it: ``950``, ``1.23 k``, ``12.3 k``,
    ``588 k``, ``1.60 M``, ``17.2 M``, ``2.10 bn``. Rounding happens before the unit is chosen,
    so 999 600 is ``1.00 M``, never ``1000 k``.

    >>> [compact_number(v) for v in (950, 1_234, 12_345, 587_654, 999_600, 1_600_000, 17_204_000, 2.1e9)]
    ['950', '1.23 k', '12.3 k', '588 k', '1.00 M', '1.60 M', '17.2 M', '2.10 bn']
    >>> compact_number(-12_345), compact_number(0.4)
    ('-12.3 k', '0')
    """
    magnitude = abs(value)
    if magnitude < 999.5:
        return f"{value:,.0f}"
    rounded = float(f"{magnitude:.3g}")
    for unit, size in (("bn", 1e9), ("M", 1e6), ("k", 1e3)):
        if rounded >= size:
            scaled = rounded / size
            digits = 2 if scaled < 10 else 1 if scaled < 100 else 0
            sign = "-" if value < 0 else ""
            return f"{sign}{scaled:,.{digits}f} {unit}"
    return f"{value:,.0f}"  # pragma: no cover - every magnitude >= 999.5 has a unit


def people(value: float) -> str:
    """Whole people with thousands separators.

    >>> people(2_345.6), people(float("nan"))
    ('2,346', 'n/a')
    """
    return f"{value:,.0f}" if math.isfinite(value) else "n/a"


def stars(value: float, symbol: bool = True) -> str:
    """A rating with two decimals, with a star unless ``symbol=False`` (table cells).

    >>> stars(4.2), stars(4.2, symbol=False)
    ('4.20 ★', '4.20')
    """
    if not math.isfinite(value):
        return "n/a"
    return f"{value:.2f} ★" if symbol else f"{value:.2f}"


def share(value: float, digits: int = 1) -> str:
    """A share as a percentage: ``share(0.4567)`` is ``45.7%``.

    >>> share(0.4567), share(0.4567, digits=0)
    ('45.7%', '46%')
    """
    return f"{value:.{digits}%}" if math.isfinite(value) else "n/a"


def month(value: float | None) -> str:
    """A month of the horizon, or that it is not reached within it.

    >>> month(7), month(None), month(float("inf"))
    ('month 7', 'not within the horizon', 'not within the horizon')
    """
    return f"month {value:.0f}" if value is not None and math.isfinite(value) else "not within the horizon"


def setting_value(unit: str, value: float) -> str:
    """A setting's value as people read it: shares and probabilities as percentages.

    >>> setting_value("share of visits", 0.002), setting_value("people", 6.0)
    ('0.2%', '6')
    """
    if unit.startswith(("share", "probability")):
        return f"{value * 100:.3g}%"
    return f"{value:,.4g}"


def value_with_range(unit: str, value: float, rng: tuple[float, float] | None) -> str:
    """A setting's value and, if it has one, its range, as ``setting_value`` writes each.

    >>> value_with_range("share of visits", 0.0117, (0.0077, 0.0182)), value_with_range("stars (1-5)", 4.008, None)
    ('1.17% (0.77% to 1.82%)', '4.008')
    """
    text = setting_value(unit, value)
    return text if rng is None else f"{text} ({setting_value(unit, rng[0])} to {setting_value(unit, rng[1])})"


def by_kind(kind: str, value: float, currency: str = "EUR", compact: bool = False) -> str:
    """Format by a headline output's kind (``money``, ``people``, ``stars``) for a table cell;
    ``compact`` money as the page says it.

    >>> by_kind("money", 1234.5), by_kind("stars", 3.14159), by_kind("people", 12.4), by_kind("month", None)
    ('1,234 EUR', '3.14', '12', 'not within the horizon')
    >>> by_kind("money", -274_850, compact=True)
    '−€275 k'
    """
    if kind == "money":
        return money(value, currency, compact=compact)
    if kind == "stars":
        return stars(value, symbol=False)
    if kind == "month":
        return month(value)
    return people(value)


_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:=\"'&")


def escape_markdown(text: str) -> str:
    """User text made inert for Markdown renderers.

    Every punctuation character that could start a link, image, emphasis, HTML, LaTeX ($) or a
    directive (:red[...]) is backslash-escaped, and line breaks become spaces.

    >>> escape_markdown("[a](/x) *b*")
    '\\\\[a\\\\]\\\\(/x\\\\) \\\\*b\\\\*'
    """
    flat = " ".join(str(text).split())
    return "".join(f"\\{ch}" if ch in _MARKDOWN_SPECIAL else ch for ch in flat)


def escape_plotly(text: str) -> str:
    """User text made inert for Plotly labels, which understand a few HTML tags (<a>, <b>, <br>).

    >>> escape_plotly("<b>A&B</b>")
    '&lt;b&gt;A&amp;B&lt;/b&gt;'
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

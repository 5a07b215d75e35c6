"""Numbers as people read them: one formatter per kind, used by the page, the deck and the CLI.

Kinds: ``money`` (full ``1,595,449 EUR`` or compact ``€1.60 M``), ``people``, ``stars`` and
``share``; ``by_kind`` picks one from a headline output's kind. User text is made inert here
too, for Markdown and for Plotly labels.

Every formatter follows the reader's language (``i18n``). English keeps the house style its
decks and tests were built on; any other language is written by its CLDR rules through Babel:
in Finnish ``1,69 milj. €``, ``1 958 €``, ``4 %``, ``4,20 ★``, with the no-break spaces the
locale uses, so a figure never breaks across two lines.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
from collections.abc import Sequence

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from .i18n import DEFAULT, language, t, use  # noqa: F401 - use: in the examples

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
        return t("n/a")
    if language() != DEFAULT:
        return _local_money(value, currency, compact, language())
    if compact:
        symbol = CURRENCY_SYMBOLS.get(currency)
        sign = "−" if value < 0 else ""
        number = f"{abs(value):,.0f}" if round(abs(value)) < 10_000 else compact_number(abs(value))
        return f"{sign}{symbol}{number}" if symbol else f"{sign}{number} {currency}"
    return f"{value:,.0f} {currency}"


def _three_figures(magnitude: float) -> tuple[float, float, int]:
    """A magnitude rounded to three significant figures, the unit it is said in (1, 1e3, 1e6
    or 1e9; rounding comes first, so 999 600 is 1.00 M) and the decimals that keep three figures."""
    rounded = float(f"{magnitude:.3g}")
    size = next((size for size in (1e9, 1e6, 1e3) if rounded >= size), 1.0)
    scaled = rounded / size
    return scaled, size, 2 if scaled < 10 else 1 if scaled < 100 else 0


@functools.cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def unit_word(size: float) -> str:
    """The reader's short word for thousands, millions or billions, with the space before it
    (English ``" k"``, ``" M"``, ``" bn"``; Finnish ``" t."``, ``" milj."``, ``" mrd."``).

    >>> unit_word(1e6)
    ' M'
    """
    if language() == DEFAULT:
        return {1e3: " k", 1e6: " M", 1e9: " bn"}[size]
    return _unit_word(language(), size)


def _unit_word(code: str, size: float) -> str:
    """The locale's short word for thousands, millions or billions (``t.``, ``milj.``, ``mrd.``
    in Finnish), from its CLDR compact pattern, with the space that goes before it."""
    pattern = _locale(code).compact_decimal_formats["short"]["other"][str(int(size))]
    return pattern.suffix[0].replace("'", "")  # CLDR quotes the literal dot: t'.' is "t."


def _local_money(value: float, currency: str, compact: bool, code: str) -> str:
    """Money in a language other than English, by its CLDR rules: the full figure with the
    currency's code (``1 595 449 EUR``), or as people say it (``1 958 €``, ``12,3 t. €``,
    ``1,60 milj. €``), the symbol placed where the locale places it."""
    sign = _locale(code).number_symbols["latn"]["minusSign"] if round(value) < 0 else ""
    magnitude = abs(value)
    if not compact:
        return f"{sign}{format_decimal(round(magnitude), locale=code)} {currency}"
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    if round(magnitude) < 10_000:
        number = format_decimal(round(magnitude), locale=code)
    else:
        scaled, size, digits = _three_figures(magnitude)
        pattern = "#,##0." + "0" * digits if digits else "#,##0"
        number = format_decimal(scaled, format=pattern, locale=code) + _unit_word(code, size)
    currency_pattern = _locale(code).currency_formats["standard"]
    return f"{sign}{currency_pattern.prefix[0].replace('¤', symbol)}{number}{currency_pattern.suffix[0].replace('¤', symbol)}"


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
    if language() != DEFAULT:
        return _local_compact_number(value, language())
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


def _local_compact_number(value: float, code: str) -> str:
    """``compact_number`` in a language other than English (``12,3 t.``, ``1,60 milj.``)."""
    sign = _locale(code).number_symbols["latn"]["minusSign"] if value < 0 else ""
    if abs(value) < 999.5:
        return sign + format_decimal(round(abs(value)), locale=code)
    scaled, size, digits = _three_figures(abs(value))
    return (
        sign
        + format_decimal(scaled, format="#,##0." + "0" * digits if digits else "#,##0", locale=code)
        + _unit_word(code, size)
    )


def _number(value: float, decimals: int) -> str:
    """A number with thousands separators and fixed decimals in the reader's language."""
    if language() == DEFAULT:
        return f"{value:,.{decimals}f}"
    return format_decimal(value, format="#,##0." + "0" * decimals if decimals else "#,##0", locale=language())


def times(value: float | None) -> str:
    """A ratio as "so many times": ``3.2×`` (Finnish ``3,2×``); ``n/a`` when there is none.

    >>> times(3.21), times(None)
    ('3.2×', 'n/a')
    """
    if value is None or not math.isfinite(value):
        return t("n/a")
    return f"{_number(value, 1)}\u00d7"


def people(value: float) -> str:
    """Whole people with thousands separators.

    >>> people(2_345.6), people(float("nan"))
    ('2,346', 'n/a')
    """
    return _number(value, 0) if math.isfinite(value) else t("n/a")


def stars(value: float, symbol: bool = True) -> str:
    """A rating with two decimals, with a star unless ``symbol=False`` (table cells).

    >>> stars(4.2), stars(4.2, symbol=False)
    ('4.20 ★', '4.20')
    """
    if not math.isfinite(value):
        return t("n/a")
    if not symbol:
        return _number(value, 2)
    return f"{_number(value, 2)} ★" if language() == DEFAULT else f"{_number(value, 2)}\u00a0★"


def share(value: float, digits: int = 1) -> str:
    """A share as a percentage: ``share(0.4567)`` is ``45.7%``.

    >>> share(0.4567), share(0.4567, digits=0)
    ('45.7%', '46%')
    """
    if not math.isfinite(value):
        return t("n/a")
    if language() == DEFAULT:
        return f"{value:.{digits}%}"
    return _percent(value, "#,##0." + "0" * digits if digits else "#,##0")


def _percent(value: float, number_pattern: str) -> str:
    """A share as the locale writes a percentage (Finnish ``45,7 %``, with a no-break space)."""
    pattern = _locale(language()).percent_formats[None]
    number = format_decimal(value * 100, format=number_pattern, locale=language())
    return f"{pattern.prefix[0]}{number}{pattern.suffix[0]}"


def month(value: float | None) -> str:
    """A month of the horizon, or that it is not reached within it.

    >>> month(7), month(None), month(float("inf"))
    ('month 7', 'not within the horizon', 'not within the horizon')
    """
    if value is not None and math.isfinite(value):
        return t("month {n}", n=f"{value:.0f}")
    return t("not within the horizon")


def day(value: datetime.date, long: bool = False) -> str:
    """A date as the reader writes it: in Finnish ``23.11.2026`` (CLDR's pattern through Babel);
    in English ISO ``2026-11-23`` in tables, or ``23 November 2026`` with ``long=True`` (a title).

    >>> import datetime
    >>> day(datetime.date(2026, 11, 23)), day(datetime.date(2026, 11, 3), long=True)
    ('2026-11-23', '03 November 2026')
    """
    if language() == DEFAULT:
        return f"{value:%d %B %Y}" if long else value.isoformat()
    return format_date(value, format="d.M.yyyy", locale=language())


def setting_value(unit: str, value: float) -> str:
    """A setting's value as people read it: shares and probabilities as percentages.

    >>> setting_value("share of visits", 0.002), setting_value("people", 6.0)
    ('0.2%', '6')
    """
    if language() != DEFAULT:
        number = _significant(
            value * 100 if unit.startswith(("share", "probability")) else value,
            3 if unit.startswith(("share", "probability")) else 4,
        )
        if unit.startswith(("share", "probability")):
            return _percent(number / 100, "#,##0.####")
        return format_decimal(number, format="#,##0.####", locale=language())
    if unit.startswith(("share", "probability")):
        return f"{value * 100:.3g}%"
    return f"{value:,.4g}"


def slider_format(values: Sequence[float], share: bool = False, browser: str | None = None) -> str | None:
    """How Streamlit should write a slider's numbers (its value and ends) so that they read as the page's
    language writes them, or ``None`` where it cannot (the page then writes the value itself).

    Streamlit (1.67) formats them in the browser: a printf format through sprintf.js, which always
    writes a decimal point and groups thousands with ``,`` (``%,d``) or with the character after a
    quote (``%'X,d``), or a named format (``localized``, ``percent``) through ``Intl.NumberFormat`` in
    the browser's own languages, whatever the page's. So a slider of whole numbers (``values``: its
    ends, step and value) is written in either language by printf, English decimals too; Finnish
    decimals and every share (printf cannot make 0.002 read 0.2 %) only by a named format, and so only
    in a ``browser`` that writes numbers as the page's language does.

    >>> slider_format([0, 5000, 100, 2500]), slider_format([0, 60, 0.1, 2.5])
    ('%,d', '%,g')
    >>> slider_format([0, 1, 0.001, 0.01], share=True, browser="en-US"), slider_format([0, 1, 0.001, 0.01], share=True)
    ('percent', None)
    >>> with use("fi"):
    ...     slider_format([0, 5000, 100, 2500]), slider_format([0, 60, 0.1, 2.5], browser="fi-FI")
    ("%'\xa0,d", 'localized')
    """
    whole = all(float(v).is_integer() for v in values)
    if share:
        tiny = any(0 < abs(v) < 0.00005 for v in values)  # a folk tale's 0.002 %, which "percent" writes as 0 %
        return "percent" if not tiny and writes_like_page(browser) else None
    if whole:
        return "%,d" if language() == DEFAULT else f"%'{_locale(language()).number_symbols['latn']['group']},d"
    if language() == DEFAULT:
        return "%,g"
    return "localized" if writes_like_page(browser) else None


def writes_like_page(browser: str | None) -> bool:
    """Whether a browser whose language is ``browser`` (``fi-FI``) writes numbers as the page's language
    does: the same decimal sign, thousands separator, minus and percent (by CLDR, which browsers follow).

    >>> writes_like_page("en-GB"), writes_like_page("de-DE"), writes_like_page(None)
    (True, False, False)
    """
    try:
        theirs = _number_style(str(browser).replace("-", "_")) if browser else None
    except (ValueError, TypeError, LookupError):
        return False
    return theirs is not None and theirs == _number_style(language())


@functools.cache
def _number_style(code: str) -> tuple[str, ...]:
    found = Locale.parse(code)
    symbols = found.number_symbols["latn"]
    return symbols["decimal"], symbols["group"], symbols["minusSign"], found.percent_formats[None].pattern


def _significant(value: float, figures: int) -> float:
    """``value`` rounded to ``figures`` significant figures (as ``%g`` rounds)."""
    return float(f"{value:.{figures}g}")


def value_with_range(unit: str, value: float, rng: tuple[float, float] | None) -> str:
    """A setting's value and, if it has one, its range, as ``setting_value`` writes each.

    >>> value_with_range("share of visits", 0.0117, (0.0077, 0.0182)), value_with_range("stars (1-5)", 4.008, None)
    ('1.17% (0.77% to 1.82%)', '4.008')
    """
    text = setting_value(unit, value)
    if rng is None:
        return text
    between = t("{low} to {high}", low=setting_value(unit, rng[0]), high=setting_value(unit, rng[1]))
    return f"{text} ({between})"


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
    if kind == "share":
        return share(value)
    return people(value)


#: Spaces and line breaks a line may break at; no-break spaces are kept ("2,43 milj. €" stays whole).
_BREAKING_SPACE = re.compile(r"[ \t\r\n\f\v\x1c-\x1e\x85\u2028\u2029]+")

_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:=\"'&")


def escape_markdown(text: str) -> str:
    """User text made inert for Markdown renderers.

    Every punctuation character that could start a link, image, emphasis, HTML, LaTeX ($) or a
    directive (:red[...]) is backslash-escaped, and line breaks become spaces.

    >>> escape_markdown("[a](/x) *b*")
    '\\\\[a\\\\]\\\\(/x\\\\) \\\\*b\\\\*'
    """
    flat = _BREAKING_SPACE.sub(" ", str(text)).strip(" ")
    return "".join(f"\\{ch}" if ch in _MARKDOWN_SPECIAL else ch for ch in flat)


def escape_plotly(text: str) -> str:
    """User text made inert for Plotly labels, which understand a few HTML tags (<a>, <b>, <br>).

    >>> escape_plotly("<b>A&B</b>")
    '&lt;b&gt;A&amp;B&lt;/b&gt;'
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

"""Numbers as people read them: one formatter per kind, used by the page, the deck and the CLI.

Kinds: ``money`` (full ``1,595,449 EUR`` or compact ``€1.60 M``), ``people``, ``stars`` and
``share``; ``by_kind`` picks one from a headline output's kind. User text is made inert here
too, for Markdown and for Plotly labels.

Every formatter follows the reader's language (``i18n``) and writes it by its CLDR rules through
Babel, English included, with the product's house style where it differs from CLDR (``house_style``:
one table, in which English keeps the style its decks and tests were built on). In Finnish, which has
no house style of its own, that is ``1,69 milj. €``, ``1 958 €``, ``4 %``, ``4,20 ★``, with the
no-break spaces the locale uses, so a figure never breaks across two lines. No formatter asks which
language it writes: a language added to ``i18n.LANGUAGES`` is written by its own CLDR data.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
from collections.abc import Sequence

from babel import Locale
from babel.dates import format_date

from . import house_style as house
from .house_style import CURRENCY_SYMBOLS  # noqa: F401 - the formatters' currencies, for the callers
from .i18n import language, t, use  # noqa: F401 - use: in the examples


def money(value: float, currency: str = "EUR", compact: bool = False) -> str:
    """Money: ``1,595,449 EUR`` (files, the command line), or as people say it with
    ``compact=True`` (the page, the deck, chart labels): whole units up to 9,999, then three
    significant figures (``€1,958``, ``€12.3 k``, ``€1.60 M``). A sum that rounds to nothing
    has no minus.

    Examples
    --------
    >>> money(1_595_449.2)
    '1,595,449 EUR'
    >>> money(1_595_449.2, compact=True), money(-12_345, "USD", compact=True), money(950, "SEK", compact=True)
    ('€1.60 M', '−$12.3 k', '950 SEK')
    >>> money(1_958.4, compact=True), money(9_999.6, compact=True)
    ('€1,958', '€10.0 k')
    >>> with use("fi"):
    ...     money(1_595_449.2), money(1_595_449.2, compact=True), money(-12_345, compact=True)
    ('1\xa0595\xa0449 EUR', '1,60\xa0milj.\xa0€', '−12,3\xa0t.\xa0€')
    """
    if not math.isfinite(value):
        return t("n/a")
    code = language()
    whole, negative = round(abs(value)), round(value) < 0
    if not compact:
        return f"{house.symbols(code).minus if negative else ''}{house.number(whole, 0, code)} {currency}"
    sign = (house.style(code).money_minus or house.symbols(code).minus) if negative else ""
    before, after = house.currency_affixes(code, currency)
    figure = house.number(whole, 0, code) if whole < 10_000 else _compact(abs(value), code)
    return f"{sign}{before}{figure}{after}"


def currency_affixes(currency: str) -> tuple[str, str]:
    """What goes before and after a sum in the reader's language: the currency's symbol or code where the
    locale puts it (``("€", "")``; Finnish ``("", " €")``, with a no-break space).

    >>> currency_affixes("EUR"), currency_affixes("CHF")
    (('€', ''), ('', ' CHF'))
    """
    return house.currency_affixes(language(), currency)


def _three_figures(magnitude: float, code: str) -> tuple[float, float, int]:
    """A magnitude rounded to three significant figures, the unit it is said in (1, or 1e3, 1e6 or 1e9
    where the language has a word for it; rounding comes first, so 999 600 is 1.00 M) and the decimals
    that keep three figures."""
    rounded = float(f"{magnitude:.3g}")
    size = next((size for size in sorted(house.unit_words(code), reverse=True) if rounded >= size), 1.0)
    scaled = rounded / size
    return scaled, size, 2 if scaled < 10 else 1 if scaled < 100 else 0


def unit_word(size: float) -> str:
    """The reader's short word for thousands, millions or billions, with the space before it
    (English ``" k"``, ``" M"``, ``" bn"``; Finnish ``" t."``, ``" milj."``, ``" mrd."``, CLDR's).

    >>> unit_word(1e6)
    ' M'
    """
    return house.unit_words(language())[size]


def _compact(magnitude: float, code: str) -> str:
    """A magnitude in three significant figures with its unit word (``12.3 k``), or whole below 999.5."""
    if magnitude < 999.5:
        return house.number(round(magnitude), 0, code)
    scaled, size, digits = _three_figures(magnitude, code)
    return house.number(scaled, digits, code) + house.unit_words(code).get(size, "")


def compact_number(value: float) -> str:
    """A number in three significant figures, as people say it: ``950``, ``1.23 k``, ``12.3 k``,
    ``588 k``, ``1.60 M``, ``17.2 M``, ``2.10 bn``. Rounding happens before the unit is chosen,
    so 999 600 is ``1.00 M``, never ``1000 k``.

    >>> [compact_number(v) for v in (950, 1_234, 12_345, 587_654, 999_600, 1_600_000, 17_204_000, 2.1e9)]
    ['950', '1.23 k', '12.3 k', '588 k', '1.00 M', '1.60 M', '17.2 M', '2.10 bn']
    >>> compact_number(-12_345), compact_number(0.4)
    ('-12.3 k', '0')
    """
    if not math.isfinite(value):
        return t("n/a")
    code = language()
    return (house.symbols(code).minus if value < 0 else "") + _compact(abs(value), code)


def _number(value: float, decimals: int) -> str:
    """A number with thousands separators and fixed decimals in the reader's language."""
    return house.number(value, decimals, language())


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
    return _number(value, 2) + (house.style(language()).star if symbol else "")


def share(value: float, digits: int = 1) -> str:
    """A share as a percentage: ``share(0.4567)`` is ``45.7%`` (Finnish ``45,7 %``, with a no-break space).

    >>> share(0.4567), share(0.4567, digits=0)
    ('45.7%', '46%')
    """
    if not math.isfinite(value):
        return t("n/a")
    return _percent(house.number(value * 100, digits, language(), _percent_grouping()))


def _percent_grouping() -> bool:
    return house.style(language()).percent_grouping


def _percent(figure: str) -> str:
    """A figure of percentage points with the percent sign where the locale writes it."""
    before, after = house.percent_affixes(language())
    return f"{before}{figure}{after}"


def month(value: float | None) -> str:
    """A month of the horizon, or that it is not reached within it.

    >>> month(7), month(None), month(float("inf"))
    ('month 7', 'not within the horizon', 'not within the horizon')
    """
    if value is not None and math.isfinite(value):
        return t("month {n}", n=house.number(value, 0, language(), grouping=False))
    return t("not within the horizon")


def day(value: datetime.date, long: bool = False) -> str:
    """A date as the reader writes it, by the locale's CLDR date (Finnish ``23.11.2026``) or the house
    style's: English ISO ``2026-11-23`` in tables, or ``23 November 2026`` with ``long=True`` (a title).

    >>> import datetime
    >>> day(datetime.date(2026, 11, 23)), day(datetime.date(2026, 11, 3), long=True)
    ('2026-11-23', '03 November 2026')
    >>> with use("fi"):
    ...     day(datetime.date(2026, 11, 3)), day(datetime.date(2026, 11, 3), long=True)
    ('3.11.2026', '3.11.2026')
    """
    return format_date(value, format=house.date_format(language(), long), locale=house.locale(language()))


def setting_value(unit: str, value: float) -> str:
    """A setting's value as people read it: shares and probabilities as percentages in three
    significant figures, anything else in four, grouped (never in scientific notation).

    >>> setting_value("share of visits", 0.002), setting_value("people", 6.0), setting_value("people", 20_000.0)
    ('0.2%', '6', '20,000')
    """
    if not math.isfinite(value):
        return t("n/a")
    code = language()
    if unit.startswith(("share", "probability")):
        return _percent(house.significant(value * 100, 3, code, _percent_grouping()))
    return house.significant(value, 4, code)


def listed_setting(unit: str, value: float) -> str:
    """A setting's value in a tooltip or a list of changes: as a scenario file holds it where the house
    style says so (English ``0.15``, ``2500``: ``%g``'s six figures, not grouped), else as
    ``setting_value`` writes it for reading (Finnish ``15 %``, ``2 500``).

    >>> listed_setting("share of visits", 0.15), listed_setting("people", 2500.0), listed_setting("", 0.002)
    ('0.15', '2500', '0.002')
    >>> with use("fi"):
    ...     listed_setting("share of visits", 0.15), listed_setting("people", 2500.0)
    ('15\xa0%', '2\xa0500')
    """
    if not math.isfinite(value):
        return t("n/a")
    code = language()
    if house.style(code).settings_as_written:
        return house.significant(value, 6, code, grouping=False)
    return setting_value(unit, value)


def plotly_separators() -> str:
    """Plotly's ``separators``: the reader's decimal sign and thousands separator (Finnish ``,`` and a
    no-break space: ``1 958,5``).

    >>> plotly_separators()
    '.,'
    """
    marks = house.symbols(language())
    return marks.decimal + marks.group


def slider_format(values: Sequence[float], share: bool = False, browser: str | None = None) -> str | None:
    """How Streamlit should write a slider's numbers (its value and ends) so that they read as the page's
    language writes them, or ``None`` where it cannot (the page then writes the value itself).

    Streamlit (1.67) formats them in the browser: a printf format through sprintf.js, which always
    writes a decimal point and groups thousands with ``,`` (``%,d``) or with the character after a
    quote (``%'X,d``), or a named format (``localized``, ``percent``) through ``Intl.NumberFormat`` in
    the browser's own languages, whatever the page's. So a slider of whole numbers (``values``: its
    ends, step and value) is written in any language by printf, decimals too where the language's
    decimal sign is a point; other decimals and every share (printf cannot make 0.002 read 0.2 %) only by
    a named format, and so only in a ``browser`` that writes numbers as the page's language does.

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
    marks = house.symbols(language())
    grouped = "%," if marks.group == "," else f"%'{marks.group},"
    if whole or marks.decimal == ".":
        return grouped + ("d" if whole else "g")
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


def by_kind(kind: str, value: float | None, currency: str = "EUR", compact: bool = False) -> str:
    """Format by a headline output's kind (``money``, ``people``, ``stars``) for a table cell;
    ``compact`` money as the page says it.

    >>> by_kind("money", 1234.5), by_kind("stars", 3.14159), by_kind("people", 12.4), by_kind("month", None)
    ('1,234 EUR', '3.14', '12', 'not within the horizon')
    >>> by_kind("money", -274_850, compact=True)
    '−€275 k'
    """
    if kind == "month":
        return month(value)  # None: not within the horizon
    number = float("nan") if value is None else value
    if kind == "money":
        return money(number, currency, compact=compact)
    if kind == "stars":
        return stars(number, symbol=False)
    if kind == "share":
        return share(number)
    return people(number)


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

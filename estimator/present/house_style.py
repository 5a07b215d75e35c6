"""How each language writes numbers and dates: CLDR's rules through Babel, and the product's house style where
it differs from them, in one table.

Every formatter (``formatting``, and ``i18n.say`` for the numbers the model writes) takes its symbols, words
and patterns from here, for every language alike, English included: the decimal sign, the thousands
separator and its grouping, the minus, the percent sign and its place, the short words for thousands,
millions and billions, where a currency's symbol goes, and the date patterns all come from the locale's
CLDR data. A language with no entry in ``HOUSE_STYLE`` (Finnish, and any language added later) is written by
CLDR alone. Where the product's own style differs from CLDR, the language's entry says so, and that entry
is the only place it is said; no formatter asks which language it is writing.

English keeps the style its pages, decks, files and tests were built on (``HOUSE_STYLE["en"]``):

==========================  ==================================  ======================================
what                        CLDR English                        house style (the English entry)
==========================  ==================================  ======================================
thousands, millions, bns    ``12K``, ``1.6M``, ``2.1B``         ``12.3 k``, ``1.60 M``, ``2.10 bn``
minus of compact money      ``-`` (the ASCII hyphen)            ``−€12.3 k`` (the minus sign)
a currency without symbol   ``SEK 950`` (code before)           ``950 SEK`` (code after, as in files)
stars                       (none in CLDR)                      ``4.20 ★`` (a plain space)
percentages                 grouped: ``1,234%``                 not grouped: ``1234%``
dates                       ``11/23/26``, ``Nov 23, 2026``      ``2026-11-23``, ``23 November 2026``
a setting in a list         (not a CLDR matter)                 as a scenario file holds it (``0.15``)
==========================  ==================================  ======================================

The fields' defaults (a language without an entry): CLDR's words, minus and currency pattern; a no-break
space before the star (a figure never breaks across two lines); percentages grouped as the locale groups;
CLDR's short date in tables and its medium date in titles (Finnish ``23.11.2026`` for both); a setting's
value as ``formatting.setting_value`` writes it for reading (``15 %``).

Rounding is the same in every language: a number is rounded from its exact binary value, half to even,
exactly as Python's own formatting rounds (``f"{x:,.2f}"``), then written by the locale.
"""

from __future__ import annotations

import decimal
import functools
import math
import re
from dataclasses import dataclass
from typing import NamedTuple

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

#: Currencies written by their symbol; any other by its code (``950 SEK``).
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}
#: The sizes a compact number is said in: thousands, millions, billions.
SIZES = (1e3, 1e6, 1e9)


@dataclass(frozen=True)
class HouseStyle:
    """Where a language's house style differs from CLDR (a field at its default: CLDR's, or the product's own
    where CLDR says nothing)."""

    #: The words for thousands, millions and billions, each with the space before it (CLDR's short forms).
    units: tuple[str, str, str] | None = None
    #: The minus sign of compact money (the locale's minus).
    money_minus: str | None = None
    #: A currency without a symbol is written by its code after the number, after this (CLDR's pattern).
    code_after: str | None = None
    #: The star of a rating, with the space before it.
    star: str = "\u00a0★"
    #: Whether percentages group thousands.
    percent_grouping: bool = True
    #: Babel's date formats (a CLDR length or a pattern): in tables, and in titles.
    dates: tuple[str, str] = ("short", "medium")
    #: Whether a setting in a tooltip or a list of changes is written as a scenario file holds it (``0.15``),
    #: the notation of the specification and the files, which are English, rather than for reading (``15 %``).
    settings_as_written: bool = False


#: The house style of each language that has one (see the module's table); every other language: CLDR.
HOUSE_STYLE: dict[str, HouseStyle] = {
    "en": HouseStyle(
        units=(" k", " M", " bn"),
        money_minus="\u2212",
        code_after=" ",
        star=" ★",
        percent_grouping=False,
        dates=("yyyy-MM-dd", "dd MMMM yyyy"),
        settings_as_written=True,
    ),
}
CLDR = HouseStyle()


def style(code: str) -> HouseStyle:
    """A language's house style (CLDR's where it has none).

    >>> style("en").units, style("fi") == CLDR
    ((' k', ' M', ' bn'), True)
    """
    return HOUSE_STYLE.get(code, CLDR)


@functools.cache
def locale(code: str) -> Locale:
    """The Babel locale of a language code (``fi``, ``en``, ``sv_SE``).

    >>> locale("fi").get_display_name()
    'suomi'
    """
    return Locale.parse(code)


class Symbols(NamedTuple):
    """The characters a locale writes numbers with."""

    decimal: str
    group: str
    minus: str
    percent: str


@functools.cache
def symbols(code: str) -> Symbols:
    """A locale's decimal sign, thousands separator, minus and percent sign (CLDR's Latin digits).

    >>> symbols("en"), symbols("fi")
    (Symbols(decimal='.', group=',', minus='-', percent='%'), Symbols(decimal=',', group='\\xa0', minus='−', percent='%'))
    """
    found = locale(code).number_symbols["latn"]
    return Symbols(found["decimal"], found["group"], found["minusSign"], found["percentSign"])


def _literal(affix: str) -> str:
    """A CLDR pattern's affix as written: its quotes taken off (``t'.'`` is ``t.``, ``''`` a quote)."""
    return re.sub(r"'([^']*)'", lambda m: m.group(1) or "'", affix)


@functools.cache
def unit_words(code: str) -> dict[float, str]:
    """The words for thousands, millions and billions, with the space before each: CLDR's short compact forms
    (Finnish ``t.``, ``milj.``, ``mrd.``) or the house style's. A size the locale does not shorten (German
    says thousands in full) has none.

    >>> unit_words("en"), unit_words("fi")[1e6], 1e3 in unit_words("de")
    ({1000.0: ' k', 1000000.0: ' M', 1000000000.0: ' bn'}, '\\xa0milj.', False)
    """
    override = style(code).units
    if override is not None:
        return dict(zip(SIZES, override))
    patterns = locale(code).compact_decimal_formats["short"]["other"]
    words = {size: _literal(patterns[str(int(size))].suffix[0]) for size in SIZES if str(int(size)) in patterns}
    return {size: word for size, word in words.items() if word.strip()}


def currency_affixes(code: str, currency: str) -> tuple[str, str]:
    """What goes before and after a sum of money: the currency's symbol (or its code) where the locale's CLDR
    pattern puts it (``€1.60 M``; Finnish ``1,60 milj. €``), or the house style's place for a code.

    >>> currency_affixes("en", "EUR"), currency_affixes("en", "SEK"), currency_affixes("fi", "EUR")
    (('€', ''), ('', ' SEK'), ('', '\\xa0€'))
    """
    symbol = CURRENCY_SYMBOLS.get(currency)
    code_after = style(code).code_after
    if symbol is None and code_after is not None:
        return "", code_after + currency
    pattern = locale(code).currency_formats["standard"]
    before, after = _literal(pattern.prefix[0]), _literal(pattern.suffix[0])
    if symbol is None:  # CLDR's currency spacing: letters are kept apart from the digits by a no-break space
        before = before.replace("¤", "¤\u00a0") if before.endswith("¤") else before
        after = after.replace("¤", "\u00a0¤") if after.startswith("¤") else after
    return before.replace("¤", symbol or currency), after.replace("¤", symbol or currency)


def percent_affixes(code: str) -> tuple[str, str]:
    """What goes before and after a percentage, by the locale's CLDR pattern (Finnish ``45,7 %``).

    >>> percent_affixes("en"), percent_affixes("fi")
    (('', '%'), ('', '\\xa0%'))
    """
    pattern = locale(code).percent_formats[None]
    sign = symbols(code).percent
    return _literal(pattern.prefix[0]).replace("%", sign), _literal(pattern.suffix[0]).replace("%", sign)


@functools.cache
def _pattern(code: str, decimals: int, grouping: bool, optional: bool) -> NumberPattern:
    """A number pattern with the locale's own grouping (``#,##0``; ``#,##,##0`` in Hindi) or none, and
    ``decimals`` decimals, fixed or (``optional``) only as many as the number needs."""
    whole = locale(code).decimal_formats[None].pattern.split(";")[0].split(".")[0]
    whole = re.sub(r"[^#0,]", "", whole) if grouping else "0"
    return parse_pattern(whole + ("." + ("#" if optional else "0") * decimals if decimals else ""))


def number(value: float, decimals: int, code: str, grouping: bool = True, optional: bool = False) -> str:
    """``value`` with ``decimals`` decimals (at most, if ``optional``), written as the locale writes numbers:
    its decimal sign, grouping and minus. Rounded as Python rounds, a negative that rounds to zero keeps its
    minus (``-0``), as ``f"{-0.4:.0f}"`` does.

    >>> number(1234.5678, 2, "en"), number(-1234.5, 0, "fi"), number(2.675, 2, "en"), number(0.25, 3, "en", optional=True)
    ('1,234.57', '−1\\xa0234', '2.67', '0.25')
    """
    if not math.isfinite(value):
        return str(float(value))  # inf, nan: as Python writes them
    magnitude = decimal.Decimal(abs(float(value)))  # exact: 2.675 is 2.67499999…, as Python rounds it
    with decimal.localcontext() as context:
        context.prec, context.rounding = 1000, decimal.ROUND_HALF_EVEN
        text = _pattern(code, decimals, grouping, optional).apply(magnitude, locale(code))
    return (symbols(code).minus if math.copysign(1.0, value) < 0 else "") + text


def significant(value: float, figures: int, code: str, grouping: bool = True) -> str:
    """``value`` in ``figures`` significant figures, as ``%g`` rounds it but never in scientific notation,
    trailing zeros dropped, written as the locale writes numbers.

    >>> significant(0.0117, 3, "en"), significant(12_345, 4, "en"), significant(0.00002, 3, "fi")
    ('0.0117', '12,340', '0,00002')
    """
    rounded = float(f"{value:.{figures}g}")
    decimals = max(0, figures - 1 - math.floor(math.log10(abs(rounded)))) if rounded else 0
    return number(rounded, decimals, code, grouping, optional=True)


def date_format(code: str, long: bool = False) -> str:
    """Babel's date format for a language: in tables, or (``long``) in a title.

    >>> date_format("en"), date_format("fi", long=True)
    ('yyyy-MM-dd', 'medium')
    """
    return style(code).dates[long]

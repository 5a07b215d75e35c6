"""Numbers and dates in every language by CLDR through Babel, English included, with the product's
house style in one table (``estimator.present.house_style``): English writes what it wrote when it
was formatted by hand, Finnish is CLDR's alone, and a language added later is written by its own
CLDR data with no code of its own."""

from __future__ import annotations

import datetime
import random
import re

import pytest
from babel.dates import format_date

from estimator.present import house_style, i18n
from estimator.present.formatting import (
    compact_number,
    day,
    listed_setting,
    money,
    people,
    plotly_separators,
    setting_value,
    share,
    stars,
    times,
)
from tests.conftest import ROOT

VALUES = [0.0, 0.5, 1.0, 2.5, 2.675, 4.015, 0.125, 12.345, 950.0, 999.4, 999.6, 1_234.5, 9_999.6, 12_345.0,
          587_654.0, 999_600.0, 1.6e6, 2.1e9, 0.0117, 0.002, 0.4567]  # fmt: skip
VALUES += [-v for v in VALUES if v] + [random.Random(7).uniform(-1e7, 1e7) for _ in range(300)]
VALUES += [random.Random(8).uniform(-2, 2) for _ in range(300)]


def test_english_is_the_one_house_style_and_finnish_is_cldr_alone() -> None:
    assert set(house_style.HOUSE_STYLE) == {"en"}
    assert house_style.style("fi") == house_style.CLDR


def _compact_by_hand(value: float) -> str:
    """``compact_number`` as English wrote it by hand before Babel wrote it."""
    magnitude = abs(value)
    if magnitude < 999.5:
        return f"{value:,.0f}"
    rounded = float(f"{magnitude:.3g}")
    for unit, size in (("bn", 1e9), ("M", 1e6), ("k", 1e3)):
        if rounded >= size:
            scaled = rounded / size
            digits = 2 if scaled < 10 else 1 if scaled < 100 else 0
            return f"{'-' if value < 0 else ''}{scaled:,.{digits}f} {unit}"
    raise AssertionError(value)


@pytest.mark.parametrize("value", VALUES)
def test_english_through_babel_writes_what_python_wrote(value: float) -> None:
    assert people(value) == f"{value:,.0f}" and times(value) == f"{value:,.1f}×"
    assert stars(value) == f"{value:,.2f} ★" and share(value) == f"{value:.1%}" and share(value, 0) == f"{value:.0%}"
    assert compact_number(value) == _compact_by_hand(value)
    if round(value):  # a sum that rounds to nothing has no minus now ("€0", once "−€0")
        assert money(value) == f"{value:,.0f} EUR"
        small = f"{abs(value):,.0f}" if round(abs(value)) < 10_000 else _compact_by_hand(abs(value))
        assert money(value, compact=True) == ("−" if value < 0 else "") + "€" + small
        assert money(value, "SEK", compact=True) == ("−" if value < 0 else "") + small + " SEK"
    for written, by_hand in ((setting_value("people", value), f"{value:,.4g}"),
                             (setting_value("share of visits", value), f"{value * 100:.3g}%"),
                             (listed_setting("share", value), f"{value:g}")):  # fmt: skip
        if "e" not in by_hand:  # Python's scientific notation ("2e+04") is no more
            assert written == by_hand


def test_a_sum_that_rounds_to_nothing_has_no_minus_in_any_language() -> None:
    assert (money(-0.3), money(-0.3, compact=True), money(-0.6, compact=True)) == ("0 EUR", "€0", "−€1")
    with i18n.use("fi"):
        assert (money(-0.3), money(-0.3, compact=True)) == ("0 EUR", "0\xa0€")


@pytest.mark.parametrize("value", [2.675, 4.015, 0.125, 12.345, 1.005, 0.15, 1_234.5, -2.5])
def test_every_language_rounds_as_python_does(value: float) -> None:
    """The same value rounds the same way in English and Finnish: from its exact binary value, half to even."""
    with i18n.use("fi"):
        finnish = (stars(value, symbol=False), times(value), people(value))
    english = (stars(value, symbol=False), times(value), people(value))
    assert [re.sub(r"\D", "", text) for text in finnish] == [re.sub(r"\D", "", text) for text in english]


def test_a_third_language_is_written_by_its_own_cldr_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """Swedish and German, which no code knows: their separators, minus, words for millions, currency and
    percent places, dates and chart separators come from CLDR; German has no short word for thousands, so
    its thousands are written in full."""
    monkeypatch.setitem(i18n.LANGUAGES, "sv", "Svenska")
    monkeypatch.setitem(i18n.LANGUAGES, "de", "Deutsch")
    date = datetime.date(2026, 11, 3)
    with i18n.use("sv"):
        assert money(1_595_449.2, compact=True) == "1,60\xa0mn\xa0€" and money(-12_345, compact=True) == "−12,3\xa0tn\xa0€"
        assert (people(-1_234.5), share(0.4567), stars(4.2)) == ("−1\xa0234", "45,7\xa0%", "4,20\xa0★")
        assert day(date) == format_date(date, "short", locale="sv") and plotly_separators() == ",\xa0"
    with i18n.use("de"):
        assert money(12_345, compact=True) == "12.300\xa0€" and money(1.6e6, compact=True) == "1,60\xa0Mio.\xa0€"
        assert (people(1_234.5), share(0.4567), setting_value("share", 0.002)) == ("1.234", "45,7\xa0%", "0,2\xa0%")
        assert day(date, long=True) == format_date(date, "medium", locale="de") and plotly_separators() == ",."


#: The modules where a branch on the language chooses a text, not a number format: the specification is in
#: English only (``method``), and a table in the source language is already the reader's (``tables.localized``).
CONTENT_BRANCHES = {"estimator/app/method.py": 2, "estimator/present/tables.py": 1}


def test_no_module_formats_numbers_by_asking_which_language_it_writes() -> None:
    found = {}
    for path in sorted((ROOT / "estimator").rglob("*.py")):
        count = len(re.findall(r"[!=]= *DEFAULT\b|\bDEFAULT *[!=]=", path.read_text(encoding="utf-8")))
        if count:
            found[path.relative_to(ROOT).as_posix()] = count
    assert found == CONTENT_BRANCHES

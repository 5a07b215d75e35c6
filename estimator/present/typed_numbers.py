"""Numbers typed by a reader, and numbers written to be typed over, in the page's language.

Business facts are typed exactly (``345,678`` customers, ``360 000 €`` once): ``read_number`` reads what a
reader of either language types, and ``plain_number`` writes a value so that it reads back exactly.
"""

from __future__ import annotations

import math
import re

from babel.numbers import format_decimal

from .house_style import symbols
from .i18n import language, t, use  # noqa: F401 - use: in the examples


def plain_number(value: float) -> str:
    """A number to type over: every digit it has (to six decimals), grouped as the page groups thousands
    (``345,678``, ``4.3``; Finnish ``345 678``, ``4,3``). ``read_number`` reads it back exactly.

    >>> plain_number(345678.0), plain_number(4.3), plain_number(20000.0), plain_number(0.1)
    ('345,678', '4.3', '20,000', '0.1')
    """
    if not math.isfinite(value):
        return t("n/a")
    return format_decimal(value, format="#,##0.######", locale=language())


def read_number(text: str) -> float | None:
    """A number typed in the page's language, or None if the text is not one: thousands separators
    (``345,678`` in English; ``345 678`` or ``345.678`` in Finnish), the decimal mark (``.`` or ``,``), a
    currency sign around it (``€360,000``, ``360 000 €``) and a percent sign (a share) are all read; anything
    else is not.

    >>> read_number("345,678"), read_number("€360,000"), read_number("0.25"), read_number("abc"), read_number("70%")
    (345678.0, 360000.0, 0.25, None, 0.7)
    >>> with use("fi"):
    ...     read_number("345 678"), read_number("360 000 €"), read_number("0,25"), read_number("1.5")
    (345678.0, 360000.0, 0.25, 1.5)
    """
    if not isinstance(text, str) or len(text) > 64:
        return None
    if text.strip().endswith("%"):  # a share written as a percentage: "70 %" is 0.7
        number = read_number(text.strip()[:-1])
        return None if number is None else number / 100
    core = re.sub(r"[\s\u00a0\u202f']", "", text).strip("€$£¥").removesuffix("EUR").removeprefix("EUR").strip("€$£¥")
    if not core or not re.fullmatch(r"[-+\u2212]?[\d.,]+", core):
        return None
    sign, core = (-1.0 if core[0] in "-\u2212" else 1.0), core.lstrip("+-\u2212")
    decimal = symbols(language()).decimal
    group = "." if decimal == "," else ","
    if decimal not in core and core.count(group) == 1 and len(core.split(group)[1]) != 3:
        decimal, group = group, decimal  # "1.5" on a Finnish page, "0,25" on an English one: one mark, not a group
    parts = core.split(decimal)
    if (
        len(parts) > 2
        or any(not chunk.isdigit() for chunk in parts[0].split(group))
        or (len(parts) == 2 and not parts[1].isdigit())
    ):
        return None
    number = float(parts[0].replace(group, "") + ("." + parts[1] if len(parts) == 2 else ""))
    return sign * number if math.isfinite(number) else None

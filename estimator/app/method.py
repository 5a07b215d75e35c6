"""The method tab: the methodology's summary and every parameter with its source."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import streamlit as st

from ..model.catalogue import CATALOGUE
from ..model.report import Report
from ..present.formatting import setting_value

METHODOLOGY = Path(__file__).resolve().parents[2] / "docs" / "methodology.md"

#: A fence line of a code block (```` ``` ```` or ``~~~``, indented or not).
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
#: What is passed through as written, in the order Markdown reads it: a backslash escape, a code
#: span, display math ($$ … $$, over several lines) and inline math ($ … $, within a paragraph).
_VERBATIM = re.compile(r"\\.|(`+)[\s\S]*?(?<!`)\1(?!`)|\$\$[\s\S]*?\$\$|\$(?:\\.|[^$\\\n]|\n(?![ \t]*\n))+?\$")

#: The parameter table, static and whole: cells wrap and start at the top; every column keeps the width
#: of its longest word and the Source column gets the rest (up to 40 %), so nothing is off screen at
#: 1280 px with the sidebar open; a long link in a source wraps instead of widening the table.
TABLE_CSS = """<style>
.st-key-method_parameters th,.st-key-method_parameters td{white-space:normal;vertical-align:top}
.st-key-method_parameters td:last-child p{overflow-wrap:anywhere}
.st-key-method_parameters thead th:last-child{width:40%}
</style>"""


def methodology_markdown(text: str) -> str:
    r"""Markdown with LaTeX math made safe to render: math (``$…$``, ``$$…$$``), code spans and
    code blocks are left exactly as written, for KaTeX and the code font; elsewhere underscores
    are escaped, so a name written with them never turns the text between two into italics.

    >>> print(methodology_markdown("$C_t$ in `market_size` and a_b"))
    $C_t$ in `market_size` and a\_b
    """
    out, chunk, fence = [], [], None

    def flush() -> None:
        prose = "\n".join(chunk)
        parts, last = [], 0
        for verbatim in _VERBATIM.finditer(prose):
            parts += [prose[last:verbatim.start()].replace("_", "\\_"), verbatim.group()]
            last = verbatim.end()
        parts.append(prose[last:].replace("_", "\\_"))
        if chunk:
            out.append("".join(parts))
        chunk.clear()

    for line in text.split("\n"):
        opened = _FENCE.match(line)
        if fence is None and opened:
            flush()
            fence = opened.group(1)
            out.append(line)
        elif fence is not None:
            out.append(line)
            if line.strip().startswith(fence[0] * len(fence)) and not line.strip().strip(fence[0]):
                fence = None
        else:
            chunk.append(line)
    flush()
    return "\n".join(out)


def method_tab(report: Report) -> None:
    """The methodology (up to its references) and the parameter table of this scenario."""
    params = report.params
    st.markdown(methodology_markdown(METHODOLOGY.read_text(encoding="utf-8").split("## References")[0]))
    rows = []
    for spec in CATALOGUE:
        rng = params.ranges.get(spec.name)
        value = lambda v: setting_value(spec.unit, v)  # noqa: E731
        rows.append({"Parameter": f"{spec.label} ({spec.symbol})" if spec.symbol else spec.label, "Name": spec.name,
                     "Unit": spec.unit.replace("currency", params.currency),
                     "This scenario": value(getattr(params, spec.name)),
                     "Range": f"{value(rng[0])} – {value(rng[1])}" if rng else "known",
                     "Grade": params.grades.get(spec.name, ""), "Source": params.sources.get(spec.name, "")})
    st.subheader("Parameters, grades and sources")
    # A static table: every row shown, long sources wrapped, nothing off-screen to the right.
    with st.container(key="method_parameters"):
        st.html(TABLE_CSS)
        st.table(pd.DataFrame(rows).set_index("Parameter"))

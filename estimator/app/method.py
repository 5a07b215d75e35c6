"""The method tab: the methodology in plain words, the full specification behind it, and every parameter
with its source.

Every reader first gets the method in brief, in ten short paragraphs a manager reads in their own language;
the full specification (docs/methodology.md, with every equation) is behind an expander below it. The
specification stays in English, and a reader in another language is told so."""

from __future__ import annotations

import functools
import re

import pandas as pd
import streamlit as st

from ..model.explain.report import Report
from ..model.inputs.catalogue import CATALOGUE
from ..model.scenarios.locations import located
from ..present.formatting import setting_value
from ..present.i18n import DEFAULT, language, say, t
from ..present.tables import grade_word
from .widgets import static_table

METHODOLOGY = located("docs", "docs") / "methodology.md"

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
    out: list[str] = []
    chunk: list[str] = []  # the prose since the last code block
    fence: str | None = None

    def flush() -> None:
        prose = "\n".join(chunk)
        parts, last = [], 0
        for verbatim in _VERBATIM.finditer(prose):
            parts += [prose[last : verbatim.start()].replace("_", "\\_"), verbatim.group()]
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


def summary() -> list[str]:
    """The methodology in brief, paragraph by paragraph (Markdown), in the reader's language: what the
    specification says, without its equations."""
    return [
        t(
            "A business has regular customers in a market of people. Some visits go badly. An unhappy customer may "
            "complain, and a complaint may be put right. Unhappy customers may leave, tell other people (word of "
            "mouth, which spreads further and makes hearers leave or never come) and write reviews, which lower the "
            "rating that prospects read. Delighted customers, and complainers whose complaint was put right, tell good "
            "stories and write good reviews."
        ),
        t(
            "Every run computes the same business twice over the same horizon: **as it is** and **with the fix**. The "
            "**loss** is the revenue with the fix minus the revenue as it is, month by month, discounted to present "
            "value: what not fixing the service costs. The fix is a set of new values for the service settings, with "
            "what it costs once and each month; the model says what the fix is worth, its net present value, when it "
            "pays back and how likely it is to pay off."
        ),
        t(
            "By default both start from **today's business** as it stands under its current service (its customers, "
            "its rating and the stories already going round); the other start is a **flawless business** that starts "
            "shrugging."
        ),
        t(
            "Each month the model counts the customers with at least one bad visit, the complaints and those put "
            "right, the customers who leave after a bad experience, the stories told and retold to customers and "
            "prospects, the reviews and the rating they make, the new customers that the market and the rating bring, "
            "and the revenue."
        ),
        t(
            "**Where it comes from**: the loss is split between three channels (customers who leave, word of mouth, "
            "online reviews) by their Shapley values, plus the lost upside of fewer delighted customers; the parts add "
            "up to the total."
        ),
        t(
            "**The cost of one shrug**: one extra unhappy customer whose complaint is shrugged off, added to a "
            "flawless business, step by step: he leaves, the people he tells, the people they tell, his review. A "
            "bridge then takes the folk arithmetic (his spend, times everyone he tells, times every complaint "
            "shrugged off) to the model's figure, each step changing one thing: what one shrug really costs, how "
            "many unhappy customers there really are, the real churn mix, who tells, the timing within the horizon, "
            "overlap and saturation, and whether the fix is partial."
        ),
        t(
            "**Uncertainty**: each uncertain value has a low, a most likely and a high value and is drawn from a PERT "
            "distribution, on a scrambled Sobol sequence. Every figure is the mean of the draws with its P10–P90 "
            "range: 8 in 10 draws fall within it. Means add up, so every split of a figure (by channel, by month, "
            "profit minus cost) adds up to it exactly; medians would not. The payback month and the break-even cost "
            "are read off the mean curves, so they always agree with the mean net present value. The fix, and two "
            "compared scenarios, are computed on the same draws."
        ),
        t(
            "**What matters most**: for each uncertain value, the mean loss over the draws where it is in its lowest "
            "fifth and over those where it is in its highest fifth; the values are ranked by how far apart the two "
            "are."
        ),
        t(
            "**Sources and grades**: every value has a source and a grade: **measured** (the business's own data), "
            "**published** (a study or a benchmark) or **assumption** (reasoned, with the reason in the source). The "
            "table below lists them for this scenario."
        ),
        t(
            "**Your own data**: reviews, a complaint log and a customer survey give values with a range from the "
            "amount of data behind them (the 5th to the 95th percentile of the Bayesian posterior); those values are "
            "graded measured."
        ),
    ]


def method_tab(report: Report) -> None:
    """The methodology (up to its references) and the parameter table of this scenario."""
    params = report.params
    methodology = methodology_markdown(METHODOLOGY.read_text(encoding="utf-8").split("## References")[0])
    st.subheader(t("The method in brief"))
    st.markdown("\n\n".join(summary()))
    if language() == DEFAULT:
        st.info(
            t("This is a summary. The full specification, with every equation, is below and in docs/methodology.md."),
            icon="📄",
        )
    else:
        st.info(
            t(
                "This is a summary. The full specification, with every equation, is in English: it is below, and "
                "in docs/methodology.md."
            ),
            icon="📄",
        )
    with st.expander(
        t("The full specification") if language() == DEFAULT else t("The full specification (in English)"),
        key="method_specification",
    ):
        st.markdown(methodology)
    rows = []
    for spec in CATALOGUE:
        rng = params.ranges.get(spec.name)
        value = functools.partial(setting_value, spec.unit)
        label = say(spec.label)
        rows.append(
            {
                t("Parameter"): f"{label} ({spec.symbol})" if spec.symbol else label,
                t("Name"): spec.name,
                t("Unit"): say(spec.unit).replace(say("currency"), params.currency),
                t("This scenario"): value(getattr(params, spec.name)),
                t("Range"): f"{value(rng[0])} – {value(rng[1])}" if rng else t("known"),
                t("Grade"): grade_word(params.grades.get(spec.name, "")),
                t("Source"): say(params.sources.get(spec.name, "")),
            }
        )
    st.subheader(t("Parameters, grades and sources"))
    # A static table: every row shown, long sources wrapped, nothing off-screen to the right.
    with st.container(key="method_parameters"):
        st.html(TABLE_CSS)
        static_table(pd.DataFrame(rows).set_index(t("Parameter")))

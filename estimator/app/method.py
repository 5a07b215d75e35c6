"""The method tab: the methodology's summary and every parameter with its source."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from ..model.catalogue import CATALOGUE
from ..model.report import Report
from ..present.formatting import markdown_with_subscripts, setting_value

METHODOLOGY = Path(__file__).resolve().parents[2] / "docs" / "methodology.md"


def method_tab(report: Report) -> None:
    """The methodology (up to its references) and the parameter table of this scenario."""
    params = report.params
    st.markdown(markdown_with_subscripts(METHODOLOGY.read_text(encoding="utf-8").split("## References")[0]))
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
    st.table(pd.DataFrame(rows).set_index("Parameter"))

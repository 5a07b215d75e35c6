"""The method tab: the methodology's summary and every parameter with its source."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from ..model.catalogue import CATALOGUE
from ..model.report import Report

METHODOLOGY = Path(__file__).resolve().parents[2] / "docs" / "methodology.md"


def method_tab(report: Report) -> None:
    """The methodology (up to its references) and the parameter table of this scenario."""
    params = report.params
    st.markdown(METHODOLOGY.read_text(encoding="utf-8").split("## References")[0])
    rows = []
    for spec in CATALOGUE:
        rng = params.ranges.get(spec.name)
        rows.append({"Group": spec.group, "Parameter": spec.label, "Name": spec.name, "Symbol": spec.symbol,
                     "Unit": spec.unit.replace("currency", params.currency), "Allowed": spec.describe_range(),
                     "This scenario": f"{getattr(params, spec.name):g}",
                     "Range (P0–P100)": f"{rng[0]:g} – {rng[1]:g}" if rng else "certain",
                     "Source": params.sources.get(spec.name, "")})
    st.subheader("Parameters and sources")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

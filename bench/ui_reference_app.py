"""The smallest page a slider move can update: the floor ``bench_ui.py`` compares the dashboard to.

One slider (the bad-experience rate, starting at ``?rate=`` from the link, else 1%), one
number, one chart and the footer the bench watches, served by the same Streamlit with the
same configuration and the same start-up garbage-collector freeze as the dashboard. With
``REFERENCE_MODEL=1`` each move also runs the dashboard's Monte Carlo (the preset's draws,
uncached) and charts its cumulative loss; without it, the chart is a line computed from the
slider alone.

Run by ``bench_ui.py``; not part of the product.
"""

from __future__ import annotations

import gc
import hashlib
import os

import plotly.graph_objects as go
import streamlit as st


from estimator import load_preset, monte_carlo  # noqa: E402
from estimator.present import figures as fig  # noqa: E402
from estimator.present.formatting import money  # noqa: E402

WITH_MODEL = os.environ.get("REFERENCE_MODEL") == "1"


@st.cache_resource
def freeze_startup_objects() -> None:
    gc.freeze()  # as the dashboard does, so the floor is not inflated by full collections


freeze_startup_objects()
try:
    start = min(max(round(float(st.query_params.get("rate", "0.01")), 3), 0.0), 0.2)
except ValueError:
    start = 0.01
rate = st.slider("Bad-experience rate (share of visits)", 0.0, 0.2, start, step=0.001, format="percent")
params = load_preset("gas_station").replace(bad_visit_rate=rate)
fingerprint = hashlib.sha1(params.model_dump_json().encode()).hexdigest()[:8]
if WITH_MODEL:
    mc = monte_carlo(params)
    st.metric("Revenue lost", money(mc.headline["pv_revenue_loss"].mean, "EUR"))  # in full: it changes every move
    figure = fig.fig_cumulative_loss(mc, "EUR")
else:
    st.metric("Bad-experience rate", f"{rate:.1%}")
    months = list(range(1, 37))
    figure = go.Figure(dict(data=[dict(type="scatter", x=months, y=[rate * m for m in months])],
                            layout=dict(template=fig.TEMPLATE, height=430, title=dict(text="A line"))))
figure.layout.meta = fingerprint
st.plotly_chart(figure, key="chart", theme=None)
st.caption(f"Scenario {fingerprint} · reference page")

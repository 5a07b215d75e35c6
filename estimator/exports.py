"""Exports that go straight into slides and spreadsheets: tables, CSV/XLSX, PNG/SVG.

Pure functions from model results to bytes; the dashboard and the command line both use
them. Images are drawn by kaleido with the system Chromium; one kaleido server is started
on first use and reused (about 0.2 s an image instead of 2 s).
"""

from __future__ import annotations

import io
import shutil
import threading
import warnings
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from .simulation import HEADLINE_KEYS, HEADLINE_LABELS, QUANTILES, MonteCarloResult, SimulationResult

#: Image size for slides: 800 x 450 layout drawn at 2x = 1600 x 900 pixels (16:9).
IMAGE_WIDTH, IMAGE_HEIGHT, IMAGE_SCALE = 800, 450, 2


class ExportUnavailable(RuntimeError):
    """An export needs something this machine does not have (e.g. Chromium for images)."""


def headline_table(det: SimulationResult, mc: MonteCarloResult) -> pd.DataFrame:
    """One row per headline output: at the modes, P10, P50, P90, mean, unit."""
    currency = det.params.currency
    rows = []
    for key in HEADLINE_KEYS:
        label, kind = HEADLINE_LABELS[key]
        s = mc.headline[key]
        rows.append({"output": label, "key": key, "unit": currency if kind == "money" else kind,
                     "at_modes": getattr(det, key), "p10": s.p10, "p50": s.p50, "p90": s.p90, "mean": s.mean})
    return pd.DataFrame(rows)


def monthly_table(det: SimulationResult, mc: MonteCarloResult) -> pd.DataFrame:
    """The monthly series: deterministic scenario and counterfactual, Monte Carlo bands.

    One row per month 1 … H; customers and rating are the state at the start of the month.
    """
    h = len(det.months)
    names = [f"p{round(q * 100)}" for q in QUANTILES]
    table = {
        "month": det.months,
        "revenue": det.revenue,
        "revenue_flawless": det.revenue_counterfactual,
        "revenue_loss": det.revenue_loss,
        "cumulative_pv_revenue_loss": det.cumulative_pv_revenue_loss,
        "customers": det.customers[:h],
        "customers_flawless": det.customers_counterfactual[:h],
        "rating": det.rating[:h],
        "rating_flawless": det.rating_counterfactual[:h],
        "unhappy_customers": det.unhappy,
    }
    for key in ("revenue_loss", "cumulative_pv_revenue_loss"):
        for name, row in zip(names, mc.bands[key]):
            table[f"{key}_{name}"] = row
        table[f"{key}_mean"] = mc.means[key]
    for key in ("customers", "customers_counterfactual", "rating", "rating_counterfactual"):
        table[f"{key.replace('counterfactual', 'flawless')}_mean"] = mc.means[key][:h]
    return pd.DataFrame(table)


def csv_bytes(table: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a header row and full precision."""
    return table.to_csv(index=False).encode("utf-8")


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An Excel workbook with one sheet per table (names cut to Excel's 31 characters)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        for name, table in sheets.items():
            table.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            for i, column in enumerate(table.columns):
                sheet.set_column(i, i, max(12, min(48, len(str(column)) + 2)))
    return buffer.getvalue()


def chromium_available() -> bool:
    """Whether kaleido can find a Chromium to draw images with."""
    import os

    explicit = os.environ.get("BROWSER_PATH")
    return bool(explicit and shutil.which(explicit)) or any(
        shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome", "chrome"))


_KALEIDO_LOCK = threading.Lock()
_KALEIDO_STARTED = False


def _kaleido() -> None:
    """Start the shared kaleido server once (thread-safe)."""
    global _KALEIDO_STARTED
    if not chromium_available():
        raise ExportUnavailable("Images need Chromium (apt-get install chromium); the slides and data "
                                "exports work without it.")
    with _KALEIDO_LOCK:
        if not _KALEIDO_STARTED:
            import kaleido

            kaleido.start_sync_server(silence_warnings=True, mathjax=False)
            _KALEIDO_STARTED = True


def figure_image(fig: go.Figure, fmt: str = "png", width: int = IMAGE_WIDTH, height: int = IMAGE_HEIGHT,
                 scale: float = IMAGE_SCALE) -> bytes:
    """The figure as PNG or SVG bytes (PNG: 1600 x 900 pixels by default)."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"format must be 'png' or 'svg', not {fmt!r}")
    _kaleido()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The kopts argument is ignored")
        with _KALEIDO_LOCK:
            return fig.to_image(format=fmt, width=width, height=height, scale=scale)

"""Charts as images for slides: PNG (1600 x 900) or SVG, drawn by kaleido with the system Chromium.

One kaleido server is started on first use and reused (about 0.2 s an image instead of 2 s).
"""

from __future__ import annotations

import os
import shutil
import threading
import warnings

import plotly.graph_objects as go

#: Image size for slides: 800 x 450 layout drawn at 2x = 1600 x 900 pixels (16:9).
IMAGE_WIDTH, IMAGE_HEIGHT, IMAGE_SCALE = 800, 450, 2


class ExportUnavailable(RuntimeError):
    """An export needs something this machine does not have (e.g. Chromium for images)."""


def chromium_available() -> bool:
    """Whether kaleido can find a Chromium to draw images with."""
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

"""Charts as images for slides: PNG (1600 x 900) or SVG, drawn by kaleido with the system Chromium.

One kaleido server is started on first use and reused (about 0.2 s an image instead of 2 s).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import threading
import warnings
import zlib

import plotly.graph_objects as go

#: Image size for slides: 800 x 450 layout drawn at 2x = 1600 x 900 pixels (16:9).
IMAGE_WIDTH, IMAGE_HEIGHT, IMAGE_SCALE = 800, 450, 2


class ExportUnavailable(RuntimeError):
    """An export needs something this machine does not have (e.g. Chromium for images)."""


def chromium_available() -> bool:
    """Whether kaleido can find a Chromium to draw images with."""
    explicit = os.environ.get("BROWSER_PATH")
    return bool(explicit and shutil.which(explicit)) or any(
        shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome", "chrome")
    )


_KALEIDO_LOCK = threading.Lock()
_KALEIDO_STARTED = False


def _kaleido() -> None:
    """Start the shared kaleido server once (thread-safe)."""
    global _KALEIDO_STARTED
    if not chromium_available():
        raise ExportUnavailable(
            "Images need Chromium (apt-get install chromium); the slides and data exports work without it."
        )
    with _KALEIDO_LOCK:
        if not _KALEIDO_STARTED:
            import kaleido

            kaleido.start_sync_server(silence_warnings=True, mathjax=False)
            _KALEIDO_STARTED = True


def figure_image(
    fig: go.Figure, fmt: str = "png", width: int = IMAGE_WIDTH, height: int = IMAGE_HEIGHT, scale: float = IMAGE_SCALE
) -> bytes:
    """The figure as PNG or SVG bytes (PNG: 1600 x 900 pixels by default), with its alt text
    inside (``alt_text``): a PNG's ``Title`` and ``Description`` text chunks, an SVG's ``<title>``
    and ``<desc>``, which slide tools and screen readers offer as the image's description."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"format must be 'png' or 'svg', not {fmt!r}")
    _kaleido()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The kopts argument is ignored")
        with _KALEIDO_LOCK:
            image = fig.to_image(format=fmt, width=width, height=height, scale=scale)
    title, description = alt_text(fig)
    return _png_with_text(image, title, description) if fmt == "png" else _svg_with_text(image, title, description)


def alt_text(fig: go.Figure) -> tuple[str, str]:
    """A chart's title and a one-line description of what it shows (its series by name), as plain
    text without the chart's markup.

    >>> alt_text(go.Figure(layout=dict(title=dict(text="Loss <b>over</b> time")), data=[dict(type="bar", name="A")]))
    ('Loss over time', 'Loss over time: A')
    """
    title = _plain(fig.layout.title.text or "")
    names = [_plain(trace.name) for trace in fig.data if trace.name and trace.showlegend is not False]
    return title, f"{title}: {', '.join(names)}" if names else title


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", str(text))).replace("  ", " ").strip()


def _png_with_text(png: bytes, title: str, description: str) -> bytes:
    """A PNG with UTF-8 ``iTXt`` chunks for its title and description, right after its header."""

    def chunk(keyword: str, text: str) -> bytes:
        data = keyword.encode("latin-1") + b"\0\0\0\0\0" + text.encode("utf-8")
        return struct.pack(">I", len(data)) + b"iTXt" + data + struct.pack(">I", zlib.crc32(b"iTXt" + data))

    header_end = 8 + 25  # the signature, then the IHDR chunk (13 bytes of data)
    return png[:header_end] + chunk("Title", title) + chunk("Description", description) + png[header_end:]


def _svg_with_text(svg: bytes, title: str, description: str) -> bytes:
    """An SVG named for assistive technology: ``role="img"``, ``<title>`` and ``<desc>`` first."""
    text = svg.decode("utf-8")
    start = text.index("<svg")
    end = text.index(">", start)
    named = (
        text[:end] + ' role="img"' + text[end] + f"<title>{html.escape(title)}</title>"
        f"<desc>{html.escape(description)}</desc>" + text[end + 1 :]
    )
    return named.encode("utf-8")

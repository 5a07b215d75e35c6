"""Where the project's data files lie: inside the package when installed, at the top of a checkout.

The presets (``assumptions/``) and the documents the app shows (``docs/methodology.md``,
``docs/example_data/``) stay at the top of the checkout, where people read and edit them; an
installed copy (``pip install .``) carries them inside the package (``estimator/presets``,
``estimator/docs``: pyproject.toml maps them there).
"""

from __future__ import annotations

from pathlib import Path

#: The package's own folder (``estimator/``) and the checkout around it.
PACKAGE = Path(__file__).resolve().parents[2]
CHECKOUT = PACKAGE.parent


def located(installed: str, checkout: str) -> Path:
    """A data folder: ``PACKAGE / installed`` in an installed copy, else ``CHECKOUT / checkout``.

    >>> located("presets", "assumptions").name in ("presets", "assumptions")
    True
    """
    inside = PACKAGE / installed
    return inside if inside.is_dir() else CHECKOUT / checkout

"""Cost of a Shrug: what bad customer service costs, in money, with honest uncertainty.

Three layers, each importing only the ones below it:

- ``estimator.model``: the model (pure NumPy, pydantic and YAML). Its stable API is
  re-exported here (docs/methodology.md, section 8)::

      from estimator import (Params, load_preset, list_presets, simulate, monte_carlo,
                             channel_attribution, incident_ladder, tornado, Report)

- ``estimator.present``: number formatting, charts, slides, spreadsheets, images and the
  command line (``python -m estimator``);
- ``estimator.app``: the Streamlit dashboard's parts (``dashboard.py`` lays them out).

``import estimator`` loads the model only: no plotting, slides, spreadsheet or UI library.
"""

from .model import *  # noqa: F401,F403  (the stable API, listed in estimator.model.__all__)
from .model import __all__  # noqa: F401

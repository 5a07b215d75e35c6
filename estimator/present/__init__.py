"""Presentation: results turned into what people read, imported from the model only.

``formatting`` (numbers and user text), ``figures`` (Plotly charts and the list of charts),
``deck`` (PowerPoint with native charts), ``tables`` (CSV and Excel), ``images`` (PNG/SVG) and
``cli`` (``python -m estimator``). Nothing here computes a model number.
"""

"""The Streamlit dashboard's parts; ``dashboard.py`` lays them out like a table of contents.

``state`` (the session's keys, behind one typed accessor, and the link in the address bar),
``compute`` (presets and reports, cached and shared read-only between sessions), ``sidebar``
(the settings), ``cards`` (the headline), ``story``, ``results``, ``compare``, ``export`` and
``method`` (the tabs), ``widgets`` (how charts are shown). Nothing here computes a model
number: it asks ``estimator.model`` and shows what ``estimator.present`` makes of it.
"""

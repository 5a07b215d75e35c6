"""The command line's one entry point: ``shrug`` (the console script) and ``python -m estimator``.

``serve`` starts the dashboard for many visitors, several processes behind HAProxy
(``estimator.app.serving``); every other command is ``estimator.present.cli``'s. The dispatch lives
here, above the three layers, because the presentation layer may not import the app's.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run one command (``argv`` without the program's name; default ``sys.argv[1:]``); returns its exit code."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "serve":
        from .app.serving import main as serve_main

        return serve_main(argv[1:])
    from .present.cli import main as cli_main

    return cli_main(argv)

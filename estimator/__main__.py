"""``python -m estimator``: see ``estimator.cli``."""

import sys

from .cli import main

sys.exit(main())

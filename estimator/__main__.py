"""``python -m estimator``: see ``estimator.present.cli``."""

import sys

from .present.cli import main

sys.exit(main())

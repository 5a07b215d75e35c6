"""``python -m estimator``: see ``estimator.commands``."""

import sys

from .commands import main

sys.exit(main())

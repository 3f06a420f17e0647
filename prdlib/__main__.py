"""Entry point for ``python -m prdlib``."""

import sys

from prdlib.cli import main

sys.exit(main())

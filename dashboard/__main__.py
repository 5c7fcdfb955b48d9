"""`python -m dashboard` is the `pilotage` command."""

import sys

from dashboard.cli import main

sys.exit(main())

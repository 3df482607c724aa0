"""``python -m ecosim`` runs the command line."""

import sys

from ecosim.cli import main

sys.exit(main())

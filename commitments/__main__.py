"""`python -m commitments`: see commitments/cli.py."""

import sys

from commitments.cli import main

sys.exit(main())

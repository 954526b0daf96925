"""`python -m commitments`: see commitments/cli/."""

import sys

from commitments.cli import main

sys.exit(main())

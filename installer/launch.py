"""The frozen program's entry point: the same front door as `python -m qzdesk`."""

import sys

from qzdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())

import sys

from qzdesk.cli import main

sys.exit(main())

import sys

from showcase.commands.cli import main

sys.exit(main())

import sys

from hubgen.cli import main

sys.exit(main())

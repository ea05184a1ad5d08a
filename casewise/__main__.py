import sys

from casewise.cli import main

sys.exit(main())

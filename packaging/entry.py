"""PyInstaller entry point: the same ``main`` as the ``assister-log`` console script."""

import sys

from assister_log.__main__ import main

if __name__ == "__main__":
    sys.exit(main())

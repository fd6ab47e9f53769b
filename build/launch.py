"""The bundle's entry point: the same program as 'binder' and 'python -m binder'."""

import multiprocessing

from binder.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen program's worker processes start here too
    raise SystemExit(main())

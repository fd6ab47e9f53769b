"""The bundle's entry point: the same program as 'binder' and 'python -m binder'."""

from binder.cli import main

raise SystemExit(main())

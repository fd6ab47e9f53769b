"""python -m binder: the same program as the installed 'binder' script."""

from binder.cli import main

raise SystemExit(main())

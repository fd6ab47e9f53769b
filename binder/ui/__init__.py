"""Qt widgets only: they call binder.content, .search, .journal and .paper and hold no SQL."""

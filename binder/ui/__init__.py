"""Qt widgets only: they call binder.core and hold no SQL of their own."""

"""One incident across a command post's laptops: keys, signed segment files, the roster, export,
import and the USB stick (imports binder.journal and binder.paths only, no Qt widgets)."""

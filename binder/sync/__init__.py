"""Sync: one incident across a command post's laptops, as signed segment files in a folder that
Syncthing (or a USB stick) carries; Binder itself opens no socket. It imports binder.journal only
(and binder.paths); never binder.content, binder.search, binder.paper, binder.ui or Qt widgets."""

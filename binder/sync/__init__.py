"""One incident across the command post's laptops: signed segment files in a shared folder.

Imports binder.journal and binder.paths (and binder.content, for signed pack files). Binder opens
no socket: Syncthing or a USB stick moves the files.
"""

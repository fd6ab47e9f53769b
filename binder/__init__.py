"""Binder: an offline incident-response binder for command posts."""

__version__ = "0.1.0"

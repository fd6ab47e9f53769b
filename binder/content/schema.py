"""The version of content.db's format: what build writes and store and the search index read."""

SCHEMA_VERSION = 2

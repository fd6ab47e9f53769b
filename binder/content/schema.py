"""The version of content.db's format: what build writes and store and the search index read."""

SCHEMA_VERSION = 3  # 3: key_steps (a checklist's steps the after-action draft times)

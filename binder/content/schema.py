"""The version of content.db's format: what build writes and store and the search index read."""

SCHEMA_VERSION = 4  # 3: key_steps (a checklist's steps the after-action draft times);
# 4: deadlines (a funding page's deadlines and the dates they count from, content/deadlines.py)
# What can still be read: an agency pack built by the Binder before (version 2, without
# key_steps; version 3, without deadlines) stays in the binder after an update, rather than
# vanishing until it is added again.
READABLE_VERSIONS = (2, 3, 4)

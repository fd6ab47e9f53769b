"""The version of content.db's format: what build writes and store and the search index read."""

SCHEMA_VERSION = 3  # 3: key_steps (a checklist's steps the after-action draft times)
# What can still be read: an agency pack built by the Binder before (version 2, without
# key_steps) stays in the binder after an update, rather than vanishing until it is added again.
READABLE_VERSIONS = (2, 3)

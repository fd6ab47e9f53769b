"""Search: the query, the ranking over the one FTS5 index (the shipped content and the packs, the
Library), snippets and spelling. It may import binder.content; never binder.journal,
binder.paper, binder.ui or Qt widgets."""

"""The content: pages parsed, checked, rendered, imported (packs) and built into content.db, and
read back from it (store, pages, glossary). It imports only the standard library, jellyfish and
binder.paths: never binder.search, binder.journal, binder.paper, binder.ui or Qt widgets."""

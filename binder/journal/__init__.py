"""The journal: the append-only, hash-chained record of events (opening, recovery, verification),
and what is read from it: incidents, steps' state, contacts, places. It imports nothing of
binder.content, binder.search, binder.paper or binder.ui, and no Qt widgets."""

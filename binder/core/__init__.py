"""The core: content, search and the journal; no Qt widgets here, ever."""

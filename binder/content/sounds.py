"""How a word sounds: the phonetic key content.db's spelling table is built and searched by."""

from __future__ import annotations

import jellyfish


def sound_of(word: str) -> str:
    """The word's phonetic key (Metaphone): words that sound alike share it."""
    return jellyfish.metaphone(word)

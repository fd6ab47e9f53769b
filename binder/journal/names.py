"""Names and other typed text as the journal takes them: no half of a surrogate pair, no control
or direction-override character (a lone surrogate once blocked every later tick)."""

from __future__ import annotations

import unicodedata

# Characters that make text read in another order than it is stored: in a legal record, a name
# must read as it was typed.
DIRECTION = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_BREAKS = frozenset("\n\r\t")  # kept in a note, never in a name
REPLACEMENT = "\ufffd"


def text_problem(text: str, lines: bool = False) -> str:
    """Why a piece of text cannot be saved, for a person ("" when it can); lines: a note,
    where line breaks and tabs are words' places, not problems."""
    for char in text:
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            return (f"has a broken character (U+{code:04X}, half of a pair): type it again "
                    "rather than pasting it")
        if lines and char in LINE_BREAKS:
            continue
        if char in "\n\r\v\f\x85\u2028\u2029":
            return "has a line break: write it on one line"
        if unicodedata.category(char) == "Cc":
            return f"has a control character (U+{code:04X}): type it without it"
        if char in DIRECTION:
            return (f"has a character that turns the text around (U+{code:04X}): type it "
                    "without it")
    return ""


def readable(text: str) -> str:
    """Text saved before these checks, made safe to show and to write again: each character
    text_problem refuses becomes U+FFFD."""
    if not text_problem(text):
        return text
    return "".join(REPLACEMENT if text_problem(char) else char for char in text)

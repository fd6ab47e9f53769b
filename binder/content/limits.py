"""How big and how deep a page may be: what import and check hold pages to, and render's budget."""

from __future__ import annotations

import re

# About seven times the longest real page seen (a 77 KB training course); 512 KB renders in
# about a third of a second.
MAX_PAGE_BYTES = 512 * 1024
MAX_NESTING = 10  # lists, quotes and notes (admonitions) inside each other
MAX_INLINE_DEPTH = 20  # emphasis and link brackets open at once on one line
# Lines and inline marks (each costs 20-90 µs to render; the longest real page has 1,313).
MAX_MARKUP = 6_000
RENDER_SECONDS = 1.5  # one page's rendering, past which the rest is shown as text
FENCE = re.compile(r"^\s*(```|~~~)")
BLOCK_MARK = re.compile(r"(?:>|[-*+]\s|\d{1,9}[.)]\s|[!?]{3}\+?\s)\s*")
INLINE_MARK = re.compile(r"\[|\]|[*_]+")
COUNTED_MARK = re.compile(r"\[|[*_`]+")


def size_problem(data: bytes | str, size: int | None = None) -> tuple[int, str] | None:
    """(line, message) when a page is bigger than a page may be, with the line where it
    passes the limit; size: the whole file's, when data is only its start."""
    size = len(data) if size is None else size
    if size <= MAX_PAGE_BYTES:
        return None
    newline = b"\n" if isinstance(data, bytes) else "\n"
    line = data[:MAX_PAGE_BYTES].count(newline) + 1
    return line, (f"the page is {megabytes(size)}, and a page may be at most "
                  f"{megabytes(MAX_PAGE_BYTES)}: split it into several pages")


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size // 1000} KB"


def structure_problem(text: str, first_line: int = 1) -> tuple[int, str] | None:
    """(line, message) for the first line nested deeper than a page may be (lists, quotes
    and notes inside each other, or emphasis and links inside each other on one line), or
    where the page has more markup than renders quickly."""
    in_fence, markup = False, 0
    for number, line in enumerate(text.split("\n"), start=first_line):
        if FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            continue
        depth = block_depth(line)
        if depth > MAX_NESTING:
            return number, (f"lists, quotes or notes nested {depth} deep; a page may nest "
                            f"them {MAX_NESTING} deep: flatten this part")
        depth = inline_depth(line)
        if depth > MAX_INLINE_DEPTH:
            return number, (f"emphasis or link brackets nested {depth} deep; a page may nest "
                            f"them {MAX_INLINE_DEPTH} deep: simplify this line")
        markup += markup_count(line)
        if markup > MAX_MARKUP:
            return number, (f"more than {MAX_MARKUP:,} lines, links and emphasis marks by "
                            "here, more than a page lays out quickly: split it into several "
                            "pages")
    return None


def markup_count(line: str) -> int:
    """What a line costs to render: one if it is not blank, and one per emphasis run, link
    and code mark."""
    return bool(line.strip()) + len(COUNTED_MARK.findall(line))


def block_depth(line: str) -> int:
    """How many blocks deep a line is: four spaces of indent a level, and each quote, list or
    note marker it opens with."""
    text = line.expandtabs(4)
    rest = text.lstrip(" ")
    depth = (len(text) - len(rest)) // 4
    position = 0
    while match := BLOCK_MARK.match(rest, position):
        depth += 1
        position = match.end()
    return depth


def inline_depth(line: str) -> int:
    """The most emphasis delimiters and link brackets open at once on a line (a run of '*'
    or '_' counts as many as it has: each can open a level)."""
    depth = deepest = 0
    for match in INLINE_MARK.finditer(line):
        mark = match.group()
        if mark == "[":
            depth += 1
        elif mark == "]":
            depth = max(0, depth - 1)
        else:
            before = line[match.start() - 1] if match.start() else " "
            after = line[match.end()] if match.end() < len(line) else " "
            opens, closes = not after.isspace(), not before.isspace()
            if closes and (depth or not opens):
                depth = max(0, depth - len(mark))
            elif opens:
                depth += len(mark)
        deepest = max(deepest, depth)
    return deepest


def page_problem(text: str, first_line: int = 1) -> tuple[int, str] | None:
    """The first limit a page (or a piece of one) passes, as (line, message), or None."""
    return size_problem(text) or structure_problem(text, first_line)

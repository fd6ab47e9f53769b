"""What a template leaves behind in outside content: unfilled placeholders and test pages."""

from __future__ import annotations

import re

from binder.content.check import CODE_SPAN, Finding

# Mustache and shell placeholders, empty braces, and the bracketed notes templates leave for
# the person filling them in ("[TODO]", "[Insert agency name]"); not a link's text.
PLACEHOLDER = re.compile(
    r"\{\{[^{}\n]{0,80}\}\}|\{\}|\$\{[A-Za-z_][A-Za-z0-9_]*\}"
    r"|\[(?:TODO|TBD|TBC|FIXME|XXX|PLACEHOLDER)\](?!\()"
    r"|\[(?i:insert|enter|your|add your)\b[^\[\]\n]{0,60}\](?!\()"
    r"|(?i:lorem ipsum)"
)
TEST_WORDS = {"test", "tests", "testing", "example", "examples", "sample", "samples", "dummy"}
MOST_PER_PAGE = 10


def placeholder_findings(path: str, text: str) -> list[Finding]:
    """A warning for each line (front matter included) with an unfilled placeholder, outside
    code; after MOST_PER_PAGE lines, one more saying how many more lines have one."""
    found: list[Finding] = []
    in_fence, more, first_more = False, 0, 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence or line.startswith(("    ", "\t")):
            continue
        match = PLACEHOLDER.search(CODE_SPAN.sub("", line))
        if match is None:
            continue
        if len(found) == MOST_PER_PAGE:
            more, first_more = more + 1, first_more or number
            continue
        found.append(Finding(path, number, f"unfilled template placeholder '{match.group(0)}':"
                             " fill it in or take it out", warning=True))
    if more:
        found.append(Finding(path, first_more, f"{more} more lines with unfilled placeholders "
                             "from here on", warning=True))
    return found


def looks_like_test_page(path: str, title: str, line: int = 1) -> Finding | None:
    """A warning when the page's title or file name starts like a test page's ("Test",
    "example.md", "Sample plan")."""
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    for what, name in (("title", title), ("file name", stem)):
        words = re.findall(r"[a-z]+", name.lower())
        if words and words[0] in TEST_WORDS:
            return Finding(path, line, f"looks like a test page ({what} '{name}'): take it out "
                           "of the folder, or give it a real title", warning=True)
    return None

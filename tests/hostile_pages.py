"""Pathological Markdown, generated: the pages that froze or broke the window in issue 16."""


def deep_list(depth: int = 400) -> str:  # 10,000 deep at two spaces a level is 100 MB
    return "# Deep list\n\n" + "".join("  " * i + "- item\n" for i in range(depth))


def deep_quote(depth: int = 10_000) -> str:
    return "# Deep quote\n\n" + ">" * depth + " words\n"


def deep_emphasis(depth: int = 5_000) -> str:
    return "# Deep emphasis\n\n" + "*" * depth + "words" + "*" * depth + "\n"


def nested_admonitions(depth: int = 500) -> str:
    notes = "".join("    " * i + "!!! note\n" for i in range(depth))
    return "# Notes\n\n" + notes + "    " * depth + "words\n"


def nested_links(depth: int = 5_000) -> str:
    return "# Links\n\n" + "[" * depth + "words" + "](b.md)" * depth + "\n"


def huge(size: int = 50_000_000) -> str:
    line = "The command post logs every call and every decision.\n"
    return "# Huge\n\n" + line * (size // len(line) + 1)


PATHOLOGICAL = {"deep-list.md": deep_list, "deep-quote.md": deep_quote,
                "deep-emphasis.md": deep_emphasis, "notes.md": nested_admonitions,
                "links.md": nested_links}


def naughty_strings() -> list[str]:
    """tests/data/naughty_strings.json: a subset of the Big List of Naughty Strings, by
    category, with Binder's own additions (lone surrogates, direction overrides, formulas)."""
    import json
    from pathlib import Path

    data = json.loads((Path(__file__).parent / "data" / "naughty_strings.json").read_text())
    return [text for name, texts in data.items() if name != "_about" for text in texts]

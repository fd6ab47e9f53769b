"""One entry point: the window by default; build, search and --self-test for the same core."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from binder import __version__
from binder.core import paths


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="binder",
        description="Binder: an offline incident-response binder. "
        "With no command, it opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"binder {__version__}")
    parser.add_argument("--data-dir",
                        help="folder for journal.db (default: the user's data folder)")
    parser.add_argument("--content-db", help="content.db to read (default: the one shipped)")
    parser.add_argument("--self-test", action="store_true",
                        help="open the window offscreen, search, open a page, tick a step, exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser("build", help="build content.db from a folder of Markdown pages")
    build.add_argument("content_dir", help="the content folder, e.g. content/")
    build.add_argument("-o", "--output",
                       help="where to write content.db (default: the shipped one)")
    check = commands.add_parser("check", help="check a content folder and list every problem")
    check.add_argument("content_dir", nargs="?", default="content",
                       help="the content folder (default: content)")
    check.add_argument("--max-age-months", type=int, default=12,
                       help="warn about pages last reviewed longer ago than this (default 12)")
    find = commands.add_parser("search", help="print the ranked hits for some words")
    find.add_argument("words", nargs="+", help="what to look for")
    find.add_argument("-n", "--limit", type=int, default=10, help="how many hits (default 10)")
    return parser


def command_build(args) -> int:
    from binder.core.content import ContentErrors
    from binder.core.store import build_store

    output = Path(args.output) if args.output else paths.content_db_path(args.content_db)
    try:
        docs = build_store(Path(args.content_dir), output)
    except ContentErrors as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        count = len(exc.errors)
        print(f"binder build: {count} problem{'s' * (count != 1)}; {output} was not changed",
              file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"binder build: cannot write {output}: {exc}", file=sys.stderr)
        return 1
    steps = sum(len(d.steps) for d in docs)
    print(f"built {output}: {len(docs)} pages, {steps} steps")
    return 0


def command_check(args) -> int:
    from binder.core.check import check_content

    folder = Path(args.content_dir)
    if not folder.is_dir():
        print(f"binder check: {folder} is not a folder", file=sys.stderr)
        return 2
    findings = check_content(folder, max_age_months=args.max_age_months)
    for finding in findings:
        print(finding)
    errors = sum(not f.warning for f in findings)
    warnings = len(findings) - errors
    pages = sum(1 for _ in folder.rglob("*.md"))
    print(f"binder check: {pages} pages, {errors} error{'s' * (errors != 1)}, "
          f"{warnings} warning{'s' * (warnings != 1)}", file=sys.stderr)
    return 1 if errors else 0


def command_search(args) -> int:
    from binder.core.search import search
    from binder.core.store import ContentStore, StoreError

    try:
        store = ContentStore(paths.content_db_path(args.content_db))
    except StoreError as exc:
        print(f"binder search: {exc}", file=sys.stderr)
        return 2
    query = " ".join(args.words)
    hits = search(store.conn, query, limit=args.limit)
    if not hits:
        print(f"nothing found for '{query}'")
        return 1
    for rank, hit in enumerate(hits, start=1):
        snippet = hit.snippet_html.replace("<b>", "[").replace("</b>", "]")
        print(f"{rank:2}. {hit.title}  ({hit.section}, {hit.doc_id})")
        print(f"    {snippet}")
    return 0


def command_self_test(args) -> int:
    from binder.ui.selftest import SelfTestFailed, run_self_test

    try:
        print(run_self_test(paths.content_db_path(args.content_db)))
    except SelfTestFailed as exc:
        print(f"binder self-test FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


def command_window(args) -> int:
    from binder.ui.app import run_window

    return run_window(paths.content_db_path(args.content_db), paths.data_dir(args.data_dir))


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if args.self_test:
        return command_self_test(args)
    if args.command == "build":
        return command_build(args)
    if args.command == "check":
        return command_check(args)
    if args.command == "search":
        return command_search(args)
    return command_window(args)


if __name__ == "__main__":
    raise SystemExit(main())

"""One entry point: the window by default; build, search and --self-test for the same core."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from binder import (
    __version__,
    cli_deadlines,
    cli_hours,
    cli_packs,
    cli_print,
    cli_report,
    cli_sync,
    paths,
)


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
    parser.add_argument("--startup-probe", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    cli_sync.add_parsers(commands)
    cli_report.add_parsers(commands)
    cli_hours.add_parsers(commands)
    cli_print.add_parsers(commands)
    cli_deadlines.add_parsers(commands)
    build = commands.add_parser("build", help="build content.db from a folder of Markdown pages")
    build.add_argument("content_dir", help="the content folder, e.g. content/")
    build.add_argument("-o", "--output",
                       help="where to write content.db (default: the shipped one)")
    check = commands.add_parser("check", help="check a content folder and list every problem")
    check.add_argument("content_dir", nargs="?", default="content",
                       help="the content folder (default: content)")
    check.add_argument("--pack", action="store_true", help="check the folder as 'binder pack "
                       "add' reads it: outside Markdown allowed, pages not reviewed counted")
    check.add_argument("--max-age-months", type=int, default=12,
                       help="warn about pages last reviewed longer ago than this (default 12)")
    commands.add_parser("incidents", help="list the incidents in the journal")
    verify = commands.add_parser("verify", help="check that an incident's journal is intact "
                                 "(with no incident: every chain in the journal)")
    verify.add_argument("incident", nargs="?",
                        help="the incident's id (or its start), or its exact name")
    export = commands.add_parser("export", help="export an incident's activity log (ICS 214)")
    export.add_argument("incident", help="the incident's id (or its start), or its exact name")
    export.add_argument("--format", choices=("csv", "pdf"), default=None,
                        help="csv or pdf (default: from the file name)")
    export.add_argument("-o", "--output", required=True, help="the file to write")
    pack = commands.add_parser("pack", help="agency content packs: add, list, remove")
    pack_commands = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    pack_add = pack_commands.add_parser("add", help="check a folder of pages and add it as a pack")
    pack_add.add_argument("folder", help="a folder of Markdown pages, or a signed pack file")
    pack_add.add_argument("--name", help="the pack's name (default: the folder's name)")
    pack_add.add_argument("--section", help="a shipped section for pages without front matter "
                          "(default: a section of the pack's own, after the shipped ones)")
    pack_commands.add_parser("list", help="list the packs on this machine")
    pack_update = pack_commands.add_parser("update", help="re-import a pack from its folder")
    pack_update.add_argument("pack", help="the pack's id or name (see 'binder pack list')")
    pack_remove = pack_commands.add_parser("remove", help="remove a pack")
    pack_remove.add_argument("pack", help="the pack's id or name (see 'binder pack list')")
    cli_packs.add_parsers(pack_commands, pack_add)
    find = commands.add_parser("search", help="print the ranked hits for some words")
    find.add_argument("words", nargs="+", help="what to look for")
    find.add_argument("-n", "--limit", type=int, default=10, help="how many hits (default 10)")
    find.add_argument("--exact", action="store_true",
                      help="search the words as typed, never a correction of them")
    return parser


def command_build(args) -> int:
    from binder.content.build import build_store
    from binder.content.content import ContentErrors

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
    from binder.content.check import check_content

    folder = Path(args.content_dir)
    if not folder.is_dir():
        print(f"binder check: {folder} is not a folder", file=sys.stderr)
        return 2
    unreviewed = ""
    if args.pack:
        from binder.content.importer import read_pack_folder

        result = read_pack_folder(folder)
        findings, pages = result.findings, len(result.docs)
        unreviewed = f", {len(result.unreviewed)} not reviewed"
    else:
        findings = check_content(folder, max_age_months=args.max_age_months)
        pages = sum(1 for _ in folder.rglob("*.md"))
    for finding in findings:
        print(finding)
    errors = sum(not f.warning for f in findings)
    warnings = len(findings) - errors
    print(f"binder check: {pages} pages, {errors} error{'s' * (errors != 1)}, "
          f"{warnings} warning{'s' * (warnings != 1)}{unreviewed}", file=sys.stderr)
    return 1 if errors else 0


def open_journal(args):
    from binder.journal.journal import Journal, JournalError

    try:
        journal = Journal(paths.journal_path(paths.data_dir(args.data_dir)))
    except JournalError as exc:
        print(f"binder {args.command}: {exc}", file=sys.stderr)
        return None
    say_recovered(journal, args.command)
    return journal


def say_recovered(journal, command: str) -> None:
    """What the window says about a damaged journal, said on stderr before any output."""
    journal.find_unreadable()
    if journal.recovered:
        print(f"binder {command}: {journal.recovered}", file=sys.stderr)


def incidents_in(journal):
    """Every incident, from its start and close events only: a few index lookups, not a read
    of every event."""
    from binder.journal.incidents import incidents_from
    from binder.journal.journal import INCIDENT_KINDS

    return incidents_from(journal.events(kinds=INCIDENT_KINDS))


def find_incident(journal, wanted: str):
    """An incident by id, by the start of its id, or by its exact name; None if not one."""
    incidents = incidents_in(journal)
    for test in (lambda i: i.id == wanted, lambda i: i.name == wanted,
                 lambda i: i.id.startswith(wanted)):
        found = [i for i in incidents if test(i)]
        if len(found) == 1:
            return found[0]
    return None


def command_incidents(args) -> int:
    journal = read_journal(args)
    if journal is None:
        return 2
    incidents = incidents_in(journal)
    if not incidents:
        print("no incidents in this journal")
    for incident in incidents:
        state = "open" if incident.is_open else "closed"
        mark = ", exercise" if incident.exercise else ""
        print(f"{incident.id[:8]}  {incident.started_at[:16]}  {incident.name} ({state}{mark})")
    return 0


def read_journal(args):
    """The journal for a command that only reads it: read-only when it cannot be written."""
    from binder.journal.journal import Journal, JournalError

    path = paths.journal_path(paths.data_dir(args.data_dir))
    try:
        journal = Journal(path)
    except JournalError as exc:
        problem = str(exc)
    else:
        say_recovered(journal, args.command)
        return journal
    try:
        journal = Journal(path, read_only=True)
    except JournalError:
        print(f"binder {args.command}: {problem}", file=sys.stderr)
        return None
    print(f"binder {args.command}: the journal was opened read-only ({problem})",
          file=sys.stderr)
    say_recovered(journal, args.command)
    return journal


def journal_and_incident(args):
    """The journal and the incident the command names, or (None, None) having said why."""
    journal = read_journal(args)
    if journal is None:
        return None, None
    incident = find_incident(journal, args.incident)
    if incident is None:
        print(f"binder {args.command}: no single incident matches '{args.incident}' "
              "(see 'binder incidents')", file=sys.stderr)
        return None, None
    return journal, incident


def command_verify(args) -> int:
    """Exit 0 intact, 1 not intact; the head and what the check proves and cannot prove."""
    from binder.journal.journal import verify_chain
    from binder.journal.verify import statement

    if args.incident is None:
        return verify_every_chain(args)
    journal, incident = journal_and_incident(args)
    if incident is None:
        return 2
    report = verify_chain(journal, incident.id)
    print("\n".join(statement(incident.name, report)))
    return 0 if report.intact else 1


def verify_every_chain(args) -> int:
    """binder verify with no incident: every incident, the operator changes, and any chain
    that journal.anchor knows but the journal no longer has."""
    from binder.journal.verify import OPERATOR_CHAIN, statement, verify_all

    journal = read_journal(args)
    if journal is None:
        return 2
    names = {i.id: i.name for i in incidents_in(journal)}
    names[""] = OPERATOR_CHAIN
    reports = verify_all(journal)
    for chain, report in reports:
        name = names.get(chain, f"incident {chain[:8]} (its start is no longer in the journal)")
        print("\n".join(statement(name, report)))
    if not reports:
        print("the journal is empty")
    return 0 if all(report.intact for _, report in reports) else 1


def command_export(args) -> int:
    from binder.paper.export import ExportError, activity_log, export_csv, export_pdf

    journal, incident = journal_and_incident(args)
    if incident is None:
        return 2
    output = Path(args.output)
    fmt = args.format or ("csv" if output.suffix.lower() == ".csv" else "pdf")
    try:
        log = activity_log(journal, incident.id)
        (export_csv if fmt == "csv" else export_pdf)(log, output)
    except ExportError as exc:
        print(f"binder export: {exc}", file=sys.stderr)
        return 1
    state = "intact" if log.chain.intact else f"NOT INTACT: {log.chain.problem}"
    combined = f", combined digest {log.chain.combined}" if log.chain.combined else ""
    print(f"wrote {output} ({fmt}): {incident.name}, head {log.chain.head}{combined} ({state})")
    return 0


def command_pack(args) -> int:
    try:
        from binder.content.packs import (
            PackError,
            add_pack,
            list_packs,
            remove_pack,
            update_pack,
        )
    except ImportError:
        print("binder pack: agency packs are not available in this build", file=sys.stderr)
        return 2
    from binder.content.store import ContentStore, StoreError

    data = paths.data_dir(args.data_dir)
    try:
        if args.pack_command == "list":
            packs = list_packs(data)
            for info in packs:
                state = f" (cannot be read: {info.problem})" if info.problem else ""
                print(f"{info.pack_id}  {info.name}: {info.pages} pages "
                      f"({info.unreviewed} not reviewed), from {info.source}, "
                      f"added {info.added[:16]}{state}")
            if not packs:
                print("no agency packs")
            return 0
        wanted = next((i.pack_id for i in list_packs(data)
                       if getattr(args, "pack", None) in (i.pack_id, i.name)),
                      getattr(args, "pack", None))
        if args.pack_command == "remove":
            remove_pack(data, wanted)
            print(f"removed {wanted}")
            index_packs(args, data)
            return 0
        try:
            store = ContentStore(paths.content_db_path(args.content_db), content_marker(data))
            known = [d.id for _, docs in store.sections() for d in docs]
        except StoreError:
            known = []
        if args.pack_command == "update":
            report = update_pack(data, wanted, known_ids=known)
        else:
            report = add_pack(Path(args.folder), data, name=args.name, known_ids=known,
                              default_section=args.section)
    except PackError as exc:
        for finding in getattr(exc, "findings", []):
            print(finding, file=sys.stderr)
        print(f"binder pack: {exc}", file=sys.stderr)
        return 1
    for finding in report.findings:
        print(finding, file=sys.stderr)
    replaced = f", in place of: {', '.join(report.overrides)}" if report.overrides else ""
    print(f"added pack {report.pack_id} ({report.name}): {len(report.docs)} pages "
          f"({report.unreviewed} not reviewed), {len(report.findings)} warnings{replaced}")
    index_packs(args, data)
    return 0


def index_packs(args, data: Path) -> None:
    """The search index of the shipped content and the packs as they now are (none without
    packs), made while the person waits for the pack anyway."""
    from binder.content.store import StoreError
    from binder.search.library import Library

    try:
        library = Library.open(paths.content_db_path(args.content_db), paths.pack_paths(data),
                               content_marker(data), paths.index_dir(data))
    except StoreError:
        return  # no shipped content to search: nothing to index
    ensure_index(library, args.command)
    library.close()


def ensure_index(library, command: str) -> None:
    """Build the packs' search index if it is not there; a failure is said, not raised:
    search then reads each pack on its own."""
    import sqlite3

    if not library.needs_index:
        return
    try:
        library.build_index()
    except (OSError, sqlite3.Error) as exc:
        print(f"binder {command}: the search index could not be written ({exc}); search "
              "reads each pack on its own until it can", file=sys.stderr)


def command_search(args) -> int:
    """The same search as the window's: the shipped content and the agency packs, as one."""
    import shlex

    from binder.content.store import StoreError
    from binder.search.library import Library
    from binder.search.snippets import as_text

    data = paths.data_dir(args.data_dir)
    try:
        library = Library.open(paths.content_db_path(args.content_db), paths.pack_paths(data),
                               marker=content_marker(data), index_dir=paths.index_dir(data))
    except StoreError as exc:
        print(f"binder search: {exc}", file=sys.stderr)
        return 2
    for problem in library.problems:
        print(f"binder search: {problem}", file=sys.stderr)
    if library.needs_index:
        print("binder search: Indexing the agency packs once…", file=sys.stderr)
        ensure_index(library, args.command)
    query = " ".join(args.words)
    # whole words: none is still being typed
    hits = library.search(query + " ", limit=args.limit, exact=args.exact)
    library.close()
    if not hits:
        print(f"nothing found for '{query}'")
        return 1
    if hits.corrected:
        print(f"Showing results for '{hits.corrected.strip()}'. Search instead for '{query}': "
              f"binder search --exact {shlex.join(args.words)}")
    elif hits.partial:
        print("Matching some of your words:")
    for rank, hit in enumerate(hits, start=1):
        where = ", ".join(part for part in (hit.section, hit.doc_id, hit.pack) if part)
        print(f"{rank:2}. {hit.title}  ({where})")
        print(f"    {as_text(hit.snippet_html, '[', ']')}")
    return 0


def content_marker(data: Path) -> Path:
    """The file in the data folder that remembers which content databases were found sound:
    the window's, so that a content.db is fully checked once, not on every command."""
    return Path(data) / "content-checked.json"


def command_self_test(args) -> int:
    from binder.ui.selftest import SelfTestFailed, run_self_test

    try:
        print(run_self_test(paths.content_db_path(args.content_db)))
    except SelfTestFailed as exc:
        print(f"binder self-test FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


def command_window(args) -> int:
    """The window, unless one is open on this data folder already: then that one comes forward."""
    from binder.ui.single_instance import FolderLock, ask_to_come_forward, came_forward, refusal

    data = paths.data_dir(args.data_dir)
    lock = FolderLock(data)
    if not lock.acquire():
        answered = lock.held_here() and ask_to_come_forward(data) and came_forward(data)
        print(f"binder: {refusal(data, lock, answered)}", file=sys.stderr)
        return 0 if answered else 1
    from binder.ui.app import run_window

    return run_window(paths.content_db_path(args.content_db), data, lock,
                      probe=args.startup_probe)


def main(argv: list[str] | None = None) -> int:
    try:
        return run(argv)
    except BrokenPipeError:  # `binder search ... | head` stopped reading: what it wanted is out
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # (Python's docs' way)
        return 0


def run(argv: list[str] | None) -> int:
    args = make_parser().parse_args(argv)
    if args.self_test:
        return command_self_test(args)
    if args.command == "build":
        return command_build(args)
    if args.command == "check":
        return command_check(args)
    handlers = {"incidents": command_incidents, "verify": command_verify,
                "export": command_export, "print": cli_print.run,
                "pack": getattr(args, "run", command_pack),  # cli_packs: files, export, updates
                "report": getattr(args, "run", None), "hours": cli_hours.run,
                "deadlines": cli_deadlines.run}
    if args.command in handlers:
        return handlers[args.command](args)
    if args.command in cli_sync.COMMANDS:
        return cli_sync.run(args)
    if args.command == "search":
        return command_search(args)
    return command_window(args)


if __name__ == "__main__":
    raise SystemExit(main())

"""`binder print PAGE | --all | --incident INCIDENT -o FILE.pdf`: a page, the whole binder or a
shift handover on paper."""

from __future__ import annotations

import argparse
import sys

from binder import paths


def add_parsers(commands) -> None:
    paper = commands.add_parser("print", help="print to PDF: a page, the whole binder or a "
                                "shift handover")
    paper.add_argument("page", nargs="?", help="the id of the page to print (e.g. tourniquet)")
    paper.add_argument("--all", "--binder", action="store_true",
                       help="the whole binder, with a contents page")
    paper.add_argument("--without-pack", action="append", default=[], metavar="PACK",
                       help="leave this agency pack (its name or id) out of the whole binder")
    paper.add_argument("--no-packs", action="store_true",
                       help="the whole binder as shipped, without any agency pack")
    paper.add_argument("--incident", help="a shift handover of this incident (its id, the start "
                       "of its id, or its exact name)")
    paper.add_argument("--agency", help="the agency's name on the cover (default: the setting "
                       "agency_name)")
    paper.add_argument("-o", "--output", required=True, help="the PDF file to write")
    for option in ("--data-dir", "--content-db"):  # also after the command, as with the others
        paper.add_argument(option, default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def run(args) -> int:
    """binder print PAGE | --all | --incident INCIDENT -o FILE.pdf"""
    from binder.cli import content_marker
    from binder.content.store import StoreError
    from binder.paper.export import ExportError
    from binder.search.library import Library

    chosen = [bool(args.page), args.all, bool(args.incident)]
    if sum(chosen) != 1:
        print("binder print: give one of a page id, --all or --incident INCIDENT",
              file=sys.stderr)
        return 1
    data = paths.data_dir(args.data_dir)
    try:
        library = Library.open(paths.content_db_path(args.content_db), paths.pack_paths(data),
                               marker=content_marker(data))
    except StoreError as exc:
        print(f"binder print: {exc}", file=sys.stderr)
        return 1
    try:
        sheets = print_to_pdf(args, library, data)
    except ExportError as exc:
        print(f"binder print: {exc}", file=sys.stderr)
        return 1
    if sheets is None:
        return 1
    print(f"wrote {args.output}: {sheets} page{'s' * (sheets != 1)}")
    return 0


def print_to_pdf(args, library, data) -> int | None:
    """The PDF the arguments ask for; None (having said why) when it names nothing there is."""
    from binder.cli import journal_and_incident, say_recovered
    from binder.journal.journal import Journal, JournalError
    from binder.paper import printing

    revision = library.revision
    if args.page:
        doc = library.document(args.page)
        if doc is None:
            print(f"binder print: there is no page '{args.page}' in this binder "
                  "(the id is the page's file name, e.g. tourniquet)", file=sys.stderr)
            return None
        return printing.page_pdf(doc, args.output, revision=revision)
    if args.all:
        agency = args.agency
        if agency is None:
            try:
                journal = Journal(paths.journal_path(data))
            except JournalError:
                agency = ""  # a cover without a name rather than no binder
            else:
                say_recovered(journal, args.command)
                agency = journal.setting("agency_name")
                journal.close()
        packs = packs_to_print(args, library)
        if packs is None:
            return None
        return printing.binder_pdf(printing.binder_with(library, packs), args.output,
                                   agency=agency, revision=revision)
    from binder.journal.journal import verify_chain

    journal, incident = journal_and_incident(args)
    if incident is None:
        return None
    sheets = printing.handover_pdf(library, journal, incident.id, args.output,
                                   revision=revision)
    chain = verify_chain(journal, incident.id)
    state = "intact" if chain.intact else f"NOT INTACT: {chain.problem}"
    combined = f", combined digest {chain.combined}" if chain.combined else ""
    print(f"handover of {incident.name}: journal head {chain.head}{combined} ({state})")
    return sheets


def packs_to_print(args, library) -> list[str] | None:
    """The names of the packs the whole binder is printed with; None (having said why) when
    --without-pack names no pack there is."""
    names = {key: name for name, store in library.packs for key in (name, store.path.stem)}
    unknown = [pack for pack in args.without_pack if pack not in names]
    if unknown:
        print(f"binder print: there is no agency pack '{unknown[0]}' (see 'binder pack list')",
              file=sys.stderr)
        return None
    left_out = {names[pack] for pack in args.without_pack}
    return [] if args.no_packs else [n for n, _ in library.packs if n not in left_out]

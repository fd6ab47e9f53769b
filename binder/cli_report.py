"""`binder report INCIDENT -o aar.pdf|aar.csv`: the after-action draft, from the record."""

from __future__ import annotations

import sys
from pathlib import Path

from binder import paths


def add_parsers(commands) -> None:
    report = commands.add_parser("report", help="write an incident's after-action draft "
                                 "(PDF, or the timeline as CSV) from the journal")
    report.add_argument("incident", help="the incident's id (or its start), or its exact name")
    report.add_argument("--format", choices=("csv", "pdf"), default=None,
                        help="csv or pdf (default: from the file name)")
    report.add_argument("-o", "--output", required=True, help="the file to write")
    report.set_defaults(run=run)


def run(args) -> int:
    from binder.cli import content_marker, journal_and_incident
    from binder.content.store import StoreError
    from binder.paper.aar import after_action, export_aar_csv
    from binder.paper.aar_pdf import export_aar_pdf
    from binder.paper.export import ExportError
    from binder.search.library import Library

    journal, incident = journal_and_incident(args)
    if incident is None:
        return 2
    data = paths.data_dir(args.data_dir)
    try:
        library = Library.open(paths.content_db_path(args.content_db), paths.pack_paths(data),
                               marker=content_marker(data))
    except StoreError as exc:  # the timeline still comes from the journal alone
        print(f"binder report: {exc} The draft lists no checklist's steps.", file=sys.stderr)
        library = None
    output = Path(args.output)
    fmt = args.format or ("csv" if output.suffix.lower() == ".csv" else "pdf")
    try:
        aar = after_action(journal, incident.id, library)
        (export_aar_csv if fmt == "csv" else export_aar_pdf)(aar, output)
    except ExportError as exc:
        print(f"binder report: {exc}", file=sys.stderr)
        return 1
    state = "intact" if aar.chain.intact else f"NOT INTACT: {aar.chain.problem}"
    print(f"wrote {output} ({fmt}): after-action draft of {incident.name}, "
          f"{len(aar.lines)} entries, head {aar.chain.head} ({state})")
    return 0

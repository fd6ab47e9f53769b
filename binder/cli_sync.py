"""The command line of one incident across laptops: `binder device`, `binder agency …` and
`binder sync …` (binder/sync does the work; this prints it for a person)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from binder import paths

COMMANDS = ("device", "agency", "sync")


def add_parsers(commands) -> None:
    device = commands.add_parser("device", help="this laptop: its id, key, name and position")
    device.add_argument("--name", help="remember this laptop's name (e.g. 'IC laptop')")
    device.add_argument("--position", help="remember the position usually at this laptop")
    device.add_argument("--syncthing", help="remember this laptop's Syncthing device id")
    device.add_argument("--card", action="store_true",
                        help="write the laptop card a planner puts on the agency roster")
    device.add_argument("-o", "--output", help="where to write the card")
    agency = commands.add_parser("agency", help="the agency's key and roster of laptops")
    actions = agency.add_subparsers(dest="agency_command", metavar="ACTION", required=True)
    new_key = actions.add_parser("new-key", help="make an agency signing key (keep it private)")
    new_key.add_argument("-o", "--output", required=True, help="the private key file to write")
    trust = actions.add_parser("trust", help="trust an agency's public key on this laptop")
    trust.add_argument("public_file", help="the agency's .pub file")
    roster = actions.add_parser("roster", help="sign a roster of laptop cards")
    roster.add_argument("--key", required=True, help="the agency's private key file")
    roster.add_argument("cards", nargs="+", help="laptop cards ('binder device --card')")
    roster.add_argument("-o", "--output", required=True, help="the roster file to write")
    sync = commands.add_parser("sync", help="share incidents with the command post's laptops")
    steps = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)
    steps.add_parser("export", help="write this laptop's new entries to the sync folder")
    imports = steps.add_parser("import", help="import the other laptops' segments")
    imports.add_argument("folder", nargs="?", help="a segments folder (default: the sync folder)")
    for name, words in (("export-stick", "copy every laptop's segments to a stick"),
                        ("import-stick", "import the segments on a stick")):
        steps.add_parser(name, help=words).add_argument("folder", help="the stick's folder")
    steps.add_parser("roster", help="put an agency roster in the sync folder").add_argument(
        "file", help="the roster file ('binder agency roster')")
    admit = steps.add_parser("admit", help="let a laptop whose segments wait into an incident")
    admit.add_argument("incident", help="the incident (id, start of id, or name)")
    admit.add_argument("device", help="the laptop's device id ('binder sync status' lists it)")
    status = steps.add_parser("status", help="each laptop of an incident and its last contact")
    status.add_argument("incident", nargs="?", help="the incident (default: every open one)")
    add_syncthing_parser(steps)


def run(args) -> int:
    from binder.sync.engine import SyncError
    from binder.sync.keys import KeyFileError
    from binder.sync.roster import RosterError

    if getattr(args, "sync_command", None) == "syncthing":
        return args.run(args)  # writes Syncthing's configuration; needs no journal
    name = " ".join(filter(None, (args.command, getattr(args, "agency_command", None),
                                  getattr(args, "sync_command", None))))
    try:
        if args.command == "agency":
            return run_agency(args)
        return run_with_journal(args, name)
    except (SyncError, KeyFileError, RosterError) as exc:
        print(f"binder {name}: {exc}", file=sys.stderr)
        return 1


def run_agency(args) -> int:
    from binder.sync.keys import new_agency_key, read_card, trust_agency
    from binder.sync.roster import make_roster

    if args.agency_command == "new-key":
        public = new_agency_key(Path(args.output))
        print(f"agency key written to {args.output} (keep it private); public key: {public}")
        print(f"give each laptop {args.output}.pub: 'binder agency trust {args.output}.pub'")
    elif args.agency_command == "trust":
        public = trust_agency(paths.data_dir(args.data_dir), Path(args.public_file))
        print(f"this laptop now trusts rosters and packs signed by agency key {public}")
    else:
        cards = [read_card(Path(card)) for card in args.cards]
        count = make_roster(Path(args.key), cards, Path(args.output))
        print(f"roster of {count} laptop{'s' * (count != 1)} signed and written to "
              f"{args.output}; put it on each laptop with 'binder sync roster {args.output}'")
    return 0


def run_with_journal(args, name: str) -> int:
    from binder.cli import open_journal
    from binder.sync.engine import Sync

    args.command = name
    journal = open_journal(args)
    if journal is None:
        return 2
    sync = Sync(paths.data_dir(args.data_dir), journal)
    if args.command == "device":
        return run_device(args, sync)
    handlers = {"export": sync_export, "import": sync_import, "export-stick": sync_copy,
                "import-stick": sync_import, "roster": sync_roster, "admit": sync_admit,
                "status": sync_status}
    return handlers[args.sync_command](args, sync)


def run_device(args, sync) -> int:
    import json

    if args.name is not None:
        sync.journal.set_setting("device_name", args.name)
    if args.position is not None:
        sync.journal.set_setting("device_position", args.position)
    if args.syncthing is not None:
        sync.journal.set_setting("syncthing_id", args.syncthing)
    card = sync.card()
    if args.card:
        if not args.output:
            print("binder device: --card needs -o FILE", file=sys.stderr)
            return 2
        from binder.sync.segment import write_file

        write_file(Path(args.output), (json.dumps(card.as_dict(), indent=1) + "\n").encode())
        print(f"laptop card written to {args.output}: give it to the planner")
    print(f"device {card.device}\npublic key {card.public_key}\nname {card.name}\n"
          f"position {card.position or '(none)'}\nsyncthing {card.syncthing or '(none)'}")
    return 0


def sync_export(args, sync) -> int:
    count = sync.export()
    print(f"{count} segment{'s' * (count != 1)} written to {sync.folder}")
    return 0


def sync_import(args, sync) -> int:
    if args.sync_command == "import-stick":
        report = sync.import_from(Path(args.folder))
    else:
        report = sync.import_all(Path(args.folder) if args.folder else None)
    for line in report_lines(report):
        print(line)
    return 1 if report.refused else 0


def report_lines(report) -> list[str]:
    """An import's result in words, the same in the window's message box."""
    lines = [f"imported {report.imported} segment{'s' * (report.imported != 1)} "
             f"({report.entries} new entr{'y' if report.entries == 1 else 'ies'})"]
    lines += [f"refused {file}: {reason}" for file, reason in report.refused]
    lines += [f"waiting {file}: {reason}" for file, reason in report.waiting]
    lines += [f"unknown laptop {device} ({name or 'no name'}, {position or 'no position'}) in "
              f"incident {incident}: 'binder sync admit {incident} {device}' lets it in"
              for device, name, position, incident in report.unknown]
    lines += [f"clock: laptop {device} is {ms // 1000} s ahead of this laptop's clock; its "
              "times are shown as written, not trusted for order" for device, ms in report.clock]
    lines += [f"after close: {count} entr{'y' if count == 1 else 'ies'} from laptop {device} "
              f"arrived after incident {incident} was closed; kept" for incident, device, count
              in report.after_close]
    lines += [f"note: {problem}" for problem in report.problems]
    return lines


def sync_copy(args, sync) -> int:
    report = sync.copy_to(Path(args.folder))
    print(f"{report.copied} segment{'s' * (report.copied != 1)} copied to {args.folder} "
          f"({report.already} already there), {report.rosters} roster file(s)")
    return 0


def sync_roster(args, sync) -> int:
    count = sync.put_roster(Path(args.file))
    print(f"roster of {count} laptop{'s' * (count != 1)} accepted and put in the sync folder")
    return 0


def sync_admit(args, sync) -> int:
    from binder.cli import find_incident

    incident = find_incident(sync.journal, args.incident)
    if incident is None:
        print(f"binder sync admit: no single incident matches '{args.incident}'", file=sys.stderr)
        return 2
    sync.import_all()
    event = sync.admit(incident.id, args.device)
    print(f"laptop {args.device} ({event.data['name']}, {event.data['position']}) let into "
          f"{incident.name}")
    for line in report_lines(sync.import_all()):
        print(line)
    return 0


def sync_status(args, sync) -> int:
    from binder.cli import find_incident, incidents_in

    print(f"this laptop: {sync.journal.device_id}; sync folder {sync.folder}")
    if args.incident:
        found = find_incident(sync.journal, args.incident)
        if found is None:
            print(f"binder sync status: no single incident matches '{args.incident}'",
                  file=sys.stderr)
            return 2
        chosen = [found]
    else:
        chosen = [incident for incident in incidents_in(sync.journal) if incident.is_open]
    sync.import_all()
    for incident in chosen:
        print(f"{incident.name} ({incident.id[:8]})")
        for laptop in sync.laptops(incident.id):
            flags = [] if laptop.on_roster else ["NOT ON ROSTER"]
            if laptop.clock_ahead_ms > 60_000:
                flags.append(f"clock {laptop.clock_ahead_ms // 1000} s ahead")
            who = "this laptop" if laptop.this_laptop else (laptop.name or "no name")
            print(f"  {laptop.device}  {who}, {laptop.position or 'no position'}; last segment "
                  f"{laptop.last_segment_at[:19] or 'none'}, last entry "
                  f"{laptop.last_entry_at[:19] or 'none'}" + "".join(f"; {f}" for f in flags))
    return 0


def add_syncthing_parser(sync_subcommands) -> argparse.ArgumentParser:
    """`binder sync syncthing`: its options, under the `sync` command's subparsers."""
    parser = sync_subcommands.add_parser(
        "syncthing", help="write a Syncthing configuration that carries this laptop's sync "
        "folder to the other laptops, and never to the internet")
    parser.add_argument("--home", required=True,
                        help="Syncthing's home folder for Binder (its keys and config.xml)")
    parser.add_argument("--peer", action="append", default=[], metavar="ID[@tcp://HOST:PORT]",
                        help="another laptop's Syncthing ID, with its address or without "
                        "(then found on the local network); repeat for each laptop")
    parser.add_argument("--listen", default=None, metavar="tcp://HOST:PORT",
                        help="where Syncthing listens for the other laptops "
                        "(default tcp://0.0.0.0:22000)")
    parser.add_argument("--gui", default=None, metavar="127.0.0.1:PORT|off",
                        help="Syncthing's own window, on this laptop only (default "
                        "127.0.0.1:8384)")
    parser.add_argument("--data-dir", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    parser.set_defaults(run=command_syncthing)
    return parser


def command_syncthing(args) -> int:
    """`binder sync syncthing`, imported only when it runs (it needs xml and subprocess)."""
    from binder.sync.syncthing import command_syncthing as write

    return write(args)

"""The command line of signed pack files: `binder pack export|publish|updates`, and `binder pack
add FILE` (a folder still goes to binder/cli.py's command_pack)."""

from __future__ import annotations

import sys
from pathlib import Path

from binder import paths


def add_parsers(pack_commands, pack_add) -> None:
    """The new pack actions, each run by `run`; `pack add` also takes a signed pack file."""
    pack_add.add_argument("--force", action="store_true",
                          help="a signed pack file: install it even if it is older than the "
                          "installed revision")
    pack_add.set_defaults(run=run)
    export = pack_commands.add_parser("export", help="sign a pack into one file for the laptops")
    export.add_argument("pack", help="the pack's id or name (see 'binder pack list')")
    export.add_argument("-o", "--output", required=True, help="the pack file to write")
    export.add_argument("--key", required=True, help="the agency's private key file")
    export.add_argument("--to-sync", action="store_true",
                        help="also put it in the sync folder, for every laptop")
    publish = pack_commands.add_parser("publish", help="put a signed pack file in the sync "
                                       "folder, for every laptop")
    publish.add_argument("file", help="the pack file ('binder pack export')")
    pack_commands.add_parser("updates", help="newer revisions of installed packs waiting in "
                             "the sync folder")
    for parser in (export, publish, pack_commands.choices["updates"]):
        parser.set_defaults(run=run)


def run(args) -> int:
    from binder.content.packs import PackError
    from binder.sync.keys import KeyFileError
    from binder.sync.packfile import PackFileError

    if args.pack_command == "add" and not Path(args.folder).is_file():
        from binder.cli import command_pack

        return command_pack(args)  # a folder of pages
    data = paths.data_dir(args.data_dir)
    try:
        return {"add": add_file, "export": export, "publish": publish,
                "updates": updates}[args.pack_command](args, data)
    except (PackFileError, PackError, KeyFileError) as exc:
        where = f"{args.folder}: " if args.pack_command == "add" else ""
        print(f"binder pack {args.pack_command}: {where}{exc}", file=sys.stderr)
        return 1


def add_file(args, data: Path) -> int:
    from binder.cli import index_packs, open_journal
    from binder.sync.packfile import add_pack_file, record_update

    pack, changes = add_pack_file(data, Path(args.folder), force=args.force)
    print(f"added pack {pack.pack_id} ({pack.name}) revision {pack.revision}, signed "
          f"{pack.made_at}: {changes.summary()}")
    for line in changes.lines():
        print(f"  {line}")
    journal = open_journal(args) if paths.journal_path(data).exists() else None
    if journal is not None:
        count = record_update(journal, pack, changes)
        journal.close()
        if count:
            print(f"noted in {count} open incident{'s' * (count != 1)}")
    index_packs(args, data)
    return 0


def export(args, data: Path) -> int:
    from binder.sync.packfile import export_pack, publish

    pack = export_pack(data, args.pack, Path(args.key), Path(args.output))
    print(f"wrote {args.output}: {pack.name} revision {pack.revision}, {len(pack.pages)} pages, "
          f"signed {pack.made_at} by agency key {pack.header['public_key'][:16]}")
    if args.to_sync:
        signer = {pack.header["public_key"]}  # this laptop need not trust its own agency
        print(f"put in the sync folder: {publish(data, Path(args.output), signer)}")
    return 0


def publish(args, data: Path) -> int:
    from binder.sync.packfile import publish

    print(f"put in the sync folder: {publish(data, Path(args.file))}")
    return 0


def updates(args, data: Path) -> int:
    from binder.sync.packfile import find_updates

    refused: list[tuple[Path, str]] = []
    found = find_updates(data, refused=refused)
    for update in found:
        pack = update.pack
        print(f"{pack.name}: revision {pack.revision} signed {pack.made_at} (installed "
              f"{update.changes.replaced}): {update.changes.summary()}")
        for line in update.changes.lines():
            print(f"  {line}")
        print(f"  apply: binder pack add {update.path}")
    if not found:
        print("no agency content updates")
    for path, reason in refused:
        print(f"refused {path}: {reason}", file=sys.stderr)
    return 0

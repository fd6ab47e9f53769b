"""Syncthing as the transport: a hardened config.xml that carries this laptop's sync folder."""

from __future__ import annotations

import base64
import copy
import hashlib
import ipaddress
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from binder import paths

FOLDER_ID = "binder-sync"
DEFAULT_LISTEN = "tcp://0.0.0.0:22000"
DEFAULT_GUI = "127.0.0.1:8384"
RESCAN_S = 60  # a full look at the folder, for changes the file watcher missed
WATCH_DELAY_S = 1  # how long the watcher gathers changes before it scans them
RECONNECT_S = 10  # a laptop back on the network is found again within this
IGNORED = (  # .stignore: a file being written never travels, only finished ones
    "// Written by Binder: files being written (temporary names) never leave this laptop.",
    "*.tmp",
    ".*",
    "*~",
    "// Segments this laptop refused stay here (they are set aside with the reason).",
    "/refused",
)
# <options> that keep Syncthing on the command post's network (syncthing-config(5), 1.19).
HARDENED = {
    "globalAnnounceEnabled": "false",  # no global discovery servers
    "relaysEnabled": "false",  # no relays
    "natEnabled": "false",  # no UPnP / NAT-PMP port mapping
    "stunKeepaliveStartS": "0",  # no STUN servers (NAT traversal)
    "announceLANAddresses": "false",
    "urAccepted": "-1",  # usage reporting: declined, never asked again
    "crashReportingEnabled": "false",
    "autoUpgradeIntervalH": "0",  # no automatic upgrades
    "upgradeToPreReleases": "false",
    "startBrowser": "false",
    "reconnectionIntervalS": str(RECONNECT_S),
}
SYMBOLS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # base32, as in Syncthing's device IDs
TYPOS = str.maketrans({"0": "O", "1": "I", "8": "B"})  # Syncthing reads these the same way


class SyncthingError(Exception):
    """A problem a person can fix, said in words (no traceback)."""


@dataclass(frozen=True)
class Peer:
    """Another laptop: its Syncthing device ID and where to reach it ("dynamic": found on the
    local network by Syncthing's local discovery)."""

    device_id: str
    address: str = "dynamic"


@dataclass(frozen=True)
class Written:
    """What `write_config` wrote, for the person who ran it."""

    config: Path
    device_id: str
    folder: Path
    peers: tuple[Peer, ...]
    listen: str
    gui: str | None


def luhn_check(group: str) -> str:
    """The check letter Syncthing appends to each 13-letter group of a device ID (Luhn mod 32)."""
    total, factor = 0, 1
    for letter in group:
        addend = factor * SYMBOLS.index(letter)
        factor = 3 - factor
        total += addend // 32 + addend % 32
    return SYMBOLS[(32 - total % 32) % 32]


def format_device_id(letters: str) -> str:
    """56 letters (four groups of 13, each with its check letter) in Syncthing's 8 x 7 form."""
    return "-".join(letters[i:i + 7] for i in range(0, 56, 7))


def device_id_of_certificate(cert_pem: str) -> str:
    """A Syncthing device ID: the certificate's SHA-256, base32, with a check letter a group."""
    import ssl  # here, not at the top: every binder command builds this module's parser

    digest = hashlib.sha256(ssl.PEM_cert_to_DER_cert(cert_pem)).digest()
    plain = base64.b32encode(digest).decode("ascii").rstrip("=")
    return format_device_id("".join(g + luhn_check(g) for g in
                                    (plain[i:i + 13] for i in range(0, 52, 13))))


def parse_device_id(text: str) -> str:
    """A typed device ID, checked letter by letter, in Syncthing's form; or SyncthingError."""
    letters = "".join(text.split()).replace("-", "").upper().translate(TYPOS)
    if len(letters) != 56 or any(letter not in SYMBOLS for letter in letters):
        raise SyncthingError(f"{text!r} is not a Syncthing device ID: one has 56 letters and "
                             "digits 2-7, in eight groups of seven")
    for number, start in enumerate(range(0, 56, 14), start=1):
        group = letters[start:start + 14]
        if luhn_check(group[:13]) != group[13]:
            raise SyncthingError(f"{text!r} is not a Syncthing device ID: the check letter "
                                 f"ending group {number * 2} does not match; look for a "
                                 f"mistyped letter in groups {number * 2 - 1} and {number * 2}")
    return format_device_id(letters)


def parse_tcp_address(text: str, what: str) -> str:
    """tcp://host:port (or tcp4://, tcp6://, the port optional), checked; or SyncthingError."""
    parts = urlsplit(text)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("tcp", "tcp4", "tcp6") or not parts.hostname or port == -1:
        raise SyncthingError(f"{what} {text!r}: give it as tcp://host:port, e.g. "
                             "tcp://192.168.1.20:22000 (TCP only: no QUIC, no relays)")
    return text


def parse_peer(text: str) -> Peer:
    """ID (found by local discovery) or ID@tcp://host:port (a fixed address)."""
    device, _, address = text.partition("@")
    if not address:
        return Peer(parse_device_id(device))
    return Peer(parse_device_id(device), parse_tcp_address(address, "--peer address"))


def parse_gui(text: str) -> str | None:
    """The GUI's address, on this laptop only (loopback), or None for "off"."""
    if text.strip().lower() == "off":
        return None
    host, _, port = text.rpartition(":")
    bare = host.strip("[]")
    try:
        loopback = bare == "localhost" or ipaddress.ip_address(bare).is_loopback
    except ValueError:
        loopback = False
    if not loopback or not port.isdigit() or not 0 < int(port) < 65536:
        raise SyncthingError(f"--gui {text!r}: the GUI stays on this laptop: give "
                             "127.0.0.1:PORT (or off)")
    return text


def make_keys(home: Path) -> None:
    """The laptop's Syncthing key, certificate and a first config.xml, made by Syncthing itself
    (`syncthing generate`, which keeps a key that is already there)."""
    program = shutil.which("syncthing")
    if program is None:
        raise SyncthingError("Syncthing is not installed on this laptop: install it (Debian and "
                             "Ubuntu: apt-get install syncthing; Windows and macOS: "
                             "https://syncthing.net/downloads/), then run this again")
    command = [program, "generate", "--home", str(home), "--no-default-folder",
               "--skip-port-probing"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        raise SyncthingError(f"Syncthing did not finish making its keys in {home} within two "
                             "minutes; run this again") from None
    if result.returncode != 0 or not (home / "cert.pem").is_file():
        said = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no message"]
        raise SyncthingError(f"Syncthing could not make its keys in {home}: {said[0]}")


def own_device_id(cert: Path) -> str:
    try:
        return device_id_of_certificate(cert.read_text(encoding="ascii"))
    except ValueError:
        raise SyncthingError(f"{cert}: not a certificate; move the Syncthing home aside (it "
                             "gives this laptop a new Syncthing ID) and run this again") from None


def read_config(path: Path) -> ET.ElementTree:
    try:
        tree = ET.parse(path)
    except ET.ParseError as exc:
        line, column = exc.position
        raise SyncthingError(f"{path}:{line}: not a Syncthing configuration (XML broken at "
                             f"column {column}); move it aside and run this again") from None
    except OSError as exc:
        raise SyncthingError(f"{path}: cannot be read ({exc.strerror})") from None
    others = [f.get("id") for f in tree.getroot().findall("folder") if f.get("id") != FOLDER_ID]
    if others:
        raise SyncthingError(f"{path.parent} is a Syncthing home with other folders "
                             f"({', '.join(others)}): give Binder a Syncthing home of its own")
    return tree


def child(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    """The parent's first <tag>, made if missing; its text set when given."""
    element = parent.find(tag)
    if element is None:
        element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def template(root: ET.Element, tag: str) -> ET.Element:
    """A copy of Syncthing's own <defaults> for a new folder or device, or an empty element."""
    found = root.find(f"defaults/{tag}")
    element = copy.deepcopy(found) if found is not None else ET.Element(tag)
    for stale in element.findall("device") + element.findall("address"):
        element.remove(stale)
    return element


def device_element(root: ET.Element, peer: Peer) -> ET.Element:
    element = template(root, "device")
    element.set("id", peer.device_id)
    element.set("name", "")  # Syncthing fills in the laptop's own name when it first connects
    element.set("introducer", "false")
    element.insert(0, ET.Element("address"))
    element[0].text = peer.address
    child(element, "autoAcceptFolders", "false")
    child(element, "paused", "false")
    return element


def folder_element(root: ET.Element, folder: Path, devices: list[str]) -> ET.Element:
    element = template(root, "folder")
    attributes = {"id": FOLDER_ID, "label": "Binder", "path": str(folder), "type": "sendreceive",
                  "rescanIntervalS": str(RESCAN_S), "fsWatcherEnabled": "true",
                  "fsWatcherDelayS": str(WATCH_DELAY_S)}
    for name, value in attributes.items():
        element.set(name, value)
    for position, device in enumerate(devices):
        element.insert(position, ET.Element("device", {"id": device, "introducedBy": ""}))
    child(element, "ignoreDelete", "true")  # a segment deleted on one laptop stays on the others
    child(element, "order", "oldestFirst")  # a device's earlier segments first
    child(element, "disableFsync", "false")
    child(element, "paused", "false")
    return element


def harden(root: ET.Element, peers: list[Peer], listen: str, gui: str | None) -> None:
    options = child(root, "options")
    for name, value in HARDENED.items():
        child(options, name, value)
    dynamic = any(peer.address == "dynamic" for peer in peers)
    child(options, "localAnnounceEnabled", "true" if dynamic else "false")
    for old in options.findall("listenAddress"):
        options.remove(old)
    options.insert(0, ET.Element("listenAddress"))
    options[0].text = listen
    interface = child(root, "gui")
    interface.set("enabled", "false" if gui is None else "true")
    interface.set("tls", "false")
    interface.set("debugging", "false")
    child(interface, "address", gui or DEFAULT_GUI)
    child(interface, "insecureAdminAccess", "false")


def replace_folder_and_devices(root: ET.Element, own: str, folder: Path,
                               peers: list[Peer]) -> None:
    mine = next((d for d in root.findall("device") if d.get("id") == own), None)
    for stale in root.findall("folder") + root.findall("device"):
        root.remove(stale)
    if mine is None:
        mine = device_element(root, Peer(own))
    elements = [folder_element(root, folder, [own] + [p.device_id for p in peers]), mine]
    elements += [device_element(root, peer) for peer in peers]
    for position, element in enumerate(elements):
        root.insert(position, element)


def save(tree: ET.ElementTree, path: Path) -> None:
    """config.xml replaced whole (temporary file, fsync, rename): never half-written."""
    ET.indent(tree, space="    ")
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            tree.write(out, encoding="utf-8", xml_declaration=False)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def prepare_folder(folder: Path) -> None:
    """The sync folder with Syncthing's marker (.stfolder) and Binder's .stignore."""
    (folder / ".stfolder").mkdir(parents=True, exist_ok=True)
    (folder / ".stignore").write_text("\n".join(IGNORED) + "\n", encoding="utf-8")


def write_config(home: Path, folder: Path, peers: list[Peer], listen: str = DEFAULT_LISTEN,
                 gui: str | None = DEFAULT_GUI) -> Written:
    """Write the hardened config.xml into the Syncthing home `home`: one folder (`folder`,
    shared with `peers`), nothing that reaches past the command post's network."""
    home, folder = Path(home).absolute(), Path(folder).absolute()
    if home == folder or folder in home.parents:
        raise SyncthingError(f"--home {home} is inside the sync folder {folder}: Syncthing's "
                             "key would travel to the other laptops; choose a folder outside it")
    try:
        home.mkdir(parents=True, exist_ok=True)
        if not all((home / name).is_file() for name in ("cert.pem", "key.pem", "config.xml")):
            make_keys(home)
        own = own_device_id(home / "cert.pem")
        others = list({p.device_id: p for p in peers if p.device_id != own}.values())
        tree = read_config(home / "config.xml")
        replace_folder_and_devices(tree.getroot(), own, folder, others)
        harden(tree.getroot(), others, listen, gui)
        prepare_folder(folder)
        save(tree, home / "config.xml")
    except OSError as exc:
        where = exc.filename or home
        raise SyncthingError(f"{where}: cannot be written ({exc.strerror})") from None
    return Written(home / "config.xml", own, folder, tuple(others), listen, gui)


def describe(written: Written) -> list[str]:
    """What was written, in words, for the planner pairing the laptops."""
    gui = f"on http://{written.gui} (this laptop only)" if written.gui else "off"
    lines = [f"This laptop's Syncthing ID: {written.device_id}",
             f"Wrote {written.config}:",
             f"  folder {FOLDER_ID}: {written.folder} (send and receive; files deleted on "
             "another laptop are kept here)",
             f"  listening on {written.listen}; GUI {gui}",
             "  off: global discovery, relays, NAT traversal, usage and crash reports, upgrades"]
    lines += [f"  laptop {peer.device_id} at {peer.address}" if peer.address != "dynamic" else
              f"  laptop {peer.device_id} (found on the local network)"
              for peer in written.peers] or ["  no other laptop yet: add them with --peer"]
    lines += [f"Start (or restart) Syncthing: syncthing serve --home {written.config.parent} "
              "--no-browser",
              "Give this laptop's ID to every other laptop's `binder sync syncthing --peer`."]
    return lines


def command_syncthing(args) -> int:
    """Write the configuration and say what was written; a problem in words, exit status 1."""
    try:
        peers = [parse_peer(text) for text in args.peer]
        listen = parse_tcp_address(args.listen or DEFAULT_LISTEN, "--listen")
        gui = parse_gui(args.gui or DEFAULT_GUI)
        folder = sync_folder(paths.data_dir(getattr(args, "data_dir", None)))
        written = write_config(Path(args.home), folder, peers, listen, gui)
    except SyncthingError as exc:
        print(f"binder: {exc}", file=sys.stderr)
        return 1
    print("\n".join(describe(written)))
    return 0


def sync_folder(data_folder: Path) -> Path:
    """The folder the laptops share: <data>/sync."""
    return Path(data_folder) / "sync"

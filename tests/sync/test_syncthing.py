"""Syncthing as the transport: the hardened config.xml Binder writes, and two real Syncthing
daemons on 127.0.0.1, configured only by it, carrying a segment from one data folder to another."""

import argparse
import ipaddress
import os
import shutil
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from binder.cli_sync import add_syncthing_parser
from binder.sync.syncthing import (
    Peer,
    SyncthingError,
    device_id_of_certificate,
    parse_device_id,
    write_config,
)

SYNCTHING = shutil.which("syncthing")
needs_syncthing = pytest.mark.skipif(
    SYNCTHING is None, reason="syncthing is not installed (apt-get install syncthing)")
TIMEOUT = 120  # seconds for a file to cross: generous, for a busy two-core machine

# A certificate `syncthing generate` made, and the device ID Syncthing printed for it.
CERT = """\
-----BEGIN CERTIFICATE-----
MIICHjCCAaOgAwIBAgIJAJX737wS9AR2MAoGCCqGSM49BAMCMEoxEjAQBgNVBAoT
CVN5bmN0aGluZzEgMB4GA1UECxMXQXV0b21hdGljYWxseSBHZW5lcmF0ZWQxEjAQ
BgNVBAMTCXN5bmN0aGluZzAeFw0yNjExMjYwMDAwMDBaFw00NjExMjEwMDAwMDBa
MEoxEjAQBgNVBAoTCVN5bmN0aGluZzEgMB4GA1UECxMXQXV0b21hdGljYWxseSBH
ZW5lcmF0ZWQxEjAQBgNVBAMTCXN5bmN0aGluZzB2MBAGByqGSM49AgEGBSuBBAAi
A2IABN0fjkgWFlk7MkJM4oA/XWvQxKJRW9NHbIaznbSZix+we2i+j90eQd8uGz6z
fiJ17vbodZpkXQ2cVqno1mDrDFBocuXMJ9RkrqeRHe4GxJNvqss3vDxsfGvsvsTW
TgKa9KNVMFMwDgYDVR0PAQH/BAQDAgWgMB0GA1UdJQQWMBQGCCsGAQUFBwMBBggr
BgEFBQcDAjAMBgNVHRMBAf8EAjAAMBQGA1UdEQQNMAuCCXN5bmN0aGluZzAKBggq
hkjOPQQDAgNpADBmAjEAxLE5Z2b+yxIjSqMjWHJzOvaLBBpyTACaPLzoQDKRZ4ik
/Xk685Iq9P0hy4Nj+EGhAjEAufIF3dqqPNPV3Ny2fQFxNiKjD1LejZYi/PTCXAct
kpByZOllCyo6/gZPljksc4s/
-----END CERTIFICATE-----
"""
CERT_ID = "WCPUUDA-KWHEC3Z-D7L6GGL-YZML2FS-LCU7Y55-C5A3H2K-GCJYAFN-DDTKIQL"
OTHER_ID = "TA7NZTU-3LDWJME-IXNI6C2-NARGILS-R7JOCHN-HP57TJH-CZ2KC4B-NJYYMA5"
THIRD_ID = "MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD"

# Every option that keeps Syncthing off the internet, as syncthing-config(5) for 1.19 names it.
HARDENED = {
    "globalAnnounceEnabled": "false",
    "relaysEnabled": "false",
    "natEnabled": "false",
    "stunKeepaliveStartS": "0",
    "urAccepted": "-1",
    "crashReportingEnabled": "false",
    "autoUpgradeIntervalH": "0",
    "startBrowser": "false",
}


def run_cli(argv: list[str]) -> int:
    """`binder sync syncthing ...` as binder/cli.py wires it: under a `sync` command."""
    parser = argparse.ArgumentParser(prog="binder")
    parser.add_argument("--data-dir")
    sync = parser.add_subparsers(dest="command").add_parser("sync")
    add_syncthing_parser(sync.add_subparsers(dest="sync_command", required=True))
    args = parser.parse_args(argv)
    return args.run(args)


def handmade_home(home: Path) -> Path:
    """A Syncthing home with keys and the smallest config, so no syncthing program is needed."""
    home.mkdir(parents=True)
    (home / "cert.pem").write_text(CERT)
    (home / "key.pem").write_text("not read by Binder\n")
    (home / "config.xml").write_text(f'<configuration version="36"><device id="{CERT_ID}" '
                                     'name="ic-laptop"><address>dynamic</address></device>'
                                     '<gui enabled="true"><address>0.0.0.0:8384</address></gui>'
                                     '<options><listenAddress>default</listenAddress>'
                                     '<relaysEnabled>true</relaysEnabled></options>'
                                     '</configuration>')
    return home


def hardening_problems(config: Path, folder: Path, own: str, peers: dict[str, str],
                       listen: str) -> list[str]:
    """Every way the written config.xml differs from the hardened one (empty: none)."""
    root = ET.parse(config).getroot()
    options = root.find("options")
    expected = dict(HARDENED, localAnnounceEnabled=str("dynamic" in peers.values()).lower())
    problems = [f"options/{name} is {options.findtext(name)!r}, not {value!r}"
                for name, value in expected.items() if options.findtext(name) != value]
    listening = [e.text for e in options.findall("listenAddress")]
    if listening != [listen]:
        problems.append(f"listens on {listening}")
    gui = root.find("gui")
    host = gui.findtext("address").rpartition(":")[0].strip("[]")
    if gui.get("enabled") == "true" and not ipaddress.ip_address(host).is_loopback:
        problems.append(f"GUI on {gui.findtext('address')}")
    folders = root.findall("folder")
    if [f.get("id") for f in folders] != ["binder-sync"]:
        return problems + [f"folders {[f.get('id') for f in folders]}"]
    shared = folders[0]
    wanted = {"path": str(folder), "type": "sendreceive", "fsWatcherEnabled": "true"}
    problems += [f"folder {name}={shared.get(name)!r}" for name, value in wanted.items()
                 if shared.get(name) != value]
    if not (int(shared.get("fsWatcherDelayS")) <= 2 and int(shared.get("rescanIntervalS")) <= 120):
        problems.append("folder watched or rescanned too slowly")
    if shared.findtext("ignoreDelete") != "true":
        problems.append("folder does not ignore deletes")
    if {d.get("id") for d in shared.findall("device")} != {own, *peers}:
        problems.append(f"folder shared with {[d.get('id') for d in shared.findall('device')]}")
    devices = {d.get("id"): d for d in root.findall("device")}
    if set(devices) != {own, *peers}:
        return problems + [f"devices {sorted(devices)}"]
    for device_id, address in peers.items():
        device = devices[device_id]
        if [a.text for a in device.findall("address")] != [address]:
            problems.append(f"{device_id} at {[a.text for a in device.findall('address')]}")
        if device.findtext("autoAcceptFolders") != "false" or device.get("introducer") != "false":
            problems.append(f"{device_id} may add folders or introduce devices")
    return problems


def test_the_device_id_of_a_certificate_is_the_one_syncthing_prints():
    assert device_id_of_certificate(CERT) == CERT_ID


def test_a_typed_device_id_is_checked_letter_by_letter():
    typed = CERT_ID.lower().replace("-", " ").replace("O", "0")
    assert parse_device_id(typed) == CERT_ID
    assert parse_device_id(CERT_ID.replace("-", "")) == CERT_ID
    mistyped = CERT_ID[:-1] + "M"
    with pytest.raises(SyncthingError, match="check letter ending group 8 .* groups 7 and 8"):
        parse_device_id(mistyped)
    with pytest.raises(SyncthingError, match="56 letters"):
        parse_device_id(CERT_ID[:-8])


def test_the_config_written_is_hardened_without_the_syncthing_program(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    home = handmade_home(tmp_path / "home")
    folder = tmp_path / "data" / "sync"
    peers = [Peer(OTHER_ID, "tcp://192.168.1.20:22000"), Peer(THIRD_ID, "tcp://cp-ops:22000")]
    written = write_config(home, folder, peers, listen="tcp://0.0.0.0:22000")
    assert written.device_id == CERT_ID
    assert hardening_problems(home / "config.xml", folder, CERT_ID,
                              {p.device_id: p.address for p in peers},
                              "tcp://0.0.0.0:22000") == []
    assert (folder / ".stfolder").is_dir()
    assert "*.tmp" in (folder / ".stignore").read_text().splitlines()
    own = [d for d in ET.parse(home / "config.xml").getroot().findall("device")
           if d.get("id") == CERT_ID]
    assert own[0].get("name") == "ic-laptop"  # this laptop's own entry is kept as it was


@needs_syncthing
def test_the_config_written_over_syncthings_own_is_hardened(tmp_path):
    home, folder = tmp_path / "home", tmp_path / "data" / "sync"
    written = write_config(home, folder, [Peer(OTHER_ID)], listen="tcp://0.0.0.0:22000")
    assert hardening_problems(home / "config.xml", folder, written.device_id,
                              {OTHER_ID: "dynamic"}, "tcp://0.0.0.0:22000") == []
    printed = subprocess.run([SYNCTHING, "serve", "--home", str(home), "--device-id"],
                             capture_output=True, text=True, timeout=60).stdout.split()
    assert printed == [written.device_id]


def test_writing_again_replaces_the_other_laptops_and_keeps_this_ones(tmp_path):
    home = handmade_home(tmp_path / "home")
    folder = tmp_path / "data" / "sync"
    write_config(home, folder, [Peer(OTHER_ID)])
    # The same list of every laptop can be given on every laptop: its own ID is left out.
    again = write_config(home, folder, [Peer(THIRD_ID, "tcp://10.0.0.3:22000"), Peer(CERT_ID),
                                        Peer(THIRD_ID, "tcp://10.0.0.3:22000")])
    assert [p.device_id for p in again.peers] == [THIRD_ID]
    assert hardening_problems(home / "config.xml", folder, CERT_ID,
                              {THIRD_ID: "tcp://10.0.0.3:22000"}, "tcp://0.0.0.0:22000") == []
    assert sorted(p.name for p in home.iterdir()) == ["cert.pem", "config.xml", "key.pem"]


def test_a_syncthing_home_with_other_folders_is_refused_and_left_alone(tmp_path):
    home = handmade_home(tmp_path / "home")
    config = home / "config.xml"
    config.write_text(config.read_text().replace(
        "<options>", '<folder id="photos" path="/home/ann/Photos"></folder><options>'))
    before = config.read_bytes()
    with pytest.raises(SyncthingError, match="other folders \\(photos\\).*a Syncthing home of its"):
        write_config(home, tmp_path / "sync", [Peer(OTHER_ID)])
    assert config.read_bytes() == before


def test_a_home_inside_the_sync_folder_is_refused_before_a_key_is_made(tmp_path):
    data = tmp_path / "data"
    with pytest.raises(SyncthingError, match="inside the sync folder.*key would travel"):
        write_config(data / "sync" / "syncthing", data / "sync", [Peer(OTHER_ID)])
    assert not (data / "sync").exists()


def test_the_gui_can_be_turned_off(tmp_path, capsys):
    home = handmade_home(tmp_path / "home")
    assert run_cli(["--data-dir", str(tmp_path / "data"), "sync", "syncthing", "--home",
                    str(home), "--gui", "off"]) == 0
    assert "GUI off" in capsys.readouterr().out
    assert ET.parse(home / "config.xml").getroot().find("gui").get("enabled") == "false"


def test_a_broken_config_is_named_with_its_line(tmp_path):
    home = handmade_home(tmp_path / "home")
    (home / "config.xml").write_text("<configuration>\n<options>\n</configuration>\n")
    with pytest.raises(SyncthingError, match=r"config.xml:3: not a Syncthing configuration"):
        write_config(home, tmp_path / "sync", [])


def test_a_damaged_certificate_is_named(tmp_path):
    home = handmade_home(tmp_path / "home")
    (home / "cert.pem").write_text(CERT[:200])
    with pytest.raises(SyncthingError, match=r"cert.pem: not a certificate"):
        write_config(home, tmp_path / "sync", [])


def test_without_syncthing_the_message_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    with pytest.raises(SyncthingError, match="Syncthing is not installed.*apt-get install"):
        write_config(tmp_path / "home", tmp_path / "sync", [])


def test_the_command_prints_this_laptops_id_and_what_it_wrote(tmp_path, capsys):
    home = handmade_home(tmp_path / "home")
    status = run_cli(["--data-dir", str(tmp_path / "data"), "sync", "syncthing", "--home",
                      str(home), "--peer", f"{OTHER_ID.lower()}@tcp://192.168.1.20:22000",
                      "--peer", THIRD_ID, "--listen", "tcp://0.0.0.0:22001"])
    out = capsys.readouterr().out
    assert status == 0
    assert f"This laptop's Syncthing ID: {CERT_ID}" in out
    assert f"Wrote {home / 'config.xml'}" in out
    assert f"laptop {OTHER_ID} at tcp://192.168.1.20:22000" in out
    assert f"laptop {THIRD_ID} (found on the local network)" in out
    assert hardening_problems(home / "config.xml", tmp_path / "data" / "sync", CERT_ID,
                              {OTHER_ID: "tcp://192.168.1.20:22000", THIRD_ID: "dynamic"},
                              "tcp://0.0.0.0:22001") == []


@pytest.mark.parametrize(("option", "value", "said"), [
    ("--peer", OTHER_ID[:-1] + "A", "check letter ending group 8"),
    ("--peer", f"{OTHER_ID}@quic://10.0.0.2:22000", "TCP only"),
    ("--listen", "tcp://0.0.0.0:notaport", "tcp://host:port"),
    ("--gui", "0.0.0.0:8384", "the GUI stays on this laptop"),
])
def test_a_bad_option_is_refused_in_words_and_nothing_is_written(tmp_path, capsys, option,
                                                                   value, said):
    home = handmade_home(tmp_path / "home")
    before = (home / "config.xml").read_bytes()
    status = run_cli(["--data-dir", str(tmp_path / "data"), "sync", "syncthing",
                      "--home", str(home), option, value])
    err = capsys.readouterr().err
    assert status == 1 and err.startswith("binder: ") and said in err
    assert "Traceback" not in err
    assert (home / "config.xml").read_bytes() == before


# Two real daemons.

@dataclass
class Laptop:
    """One laptop of the test: a Binder data folder and a Syncthing home of its own."""

    name: str
    root: Path
    port: int
    gui_port: int
    device_id: str = ""
    process: subprocess.Popen | None = None

    @property
    def home(self) -> Path:
        return self.root / "syncthing"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "syncthing.log"

    def segment(self, name: str, device: str = "dev") -> Path:
        return self.data / "sync" / "segments" / "inc" / device / name


def free_ports(count: int) -> list[int]:
    holders = [socket.socket() for _ in range(count)]
    try:
        for holder in holders:
            holder.bind(("127.0.0.1", 0))
        return [holder.getsockname()[1] for holder in holders]
    finally:
        for holder in holders:
            holder.close()


def configure(laptop: Laptop, capsys, *peers: Laptop) -> None:
    """`binder sync syncthing` for the laptop, with the others at their 127.0.0.1 ports."""
    argv = ["--data-dir", str(laptop.data), "sync", "syncthing", "--home", str(laptop.home),
            "--listen", f"tcp://127.0.0.1:{laptop.port}", "--gui", f"127.0.0.1:{laptop.gui_port}"]
    for peer in peers:
        argv += ["--peer", f"{peer.device_id}@tcp://127.0.0.1:{peer.port}"]
    assert run_cli(argv) == 0
    said = capsys.readouterr().out
    laptop.device_id = said.split("This laptop's Syncthing ID: ")[1].split()[0]


def pair(a: Laptop, b: Laptop, capsys) -> None:
    configure(a, capsys)  # first run on each laptop: its ID, to give the other
    configure(b, capsys)
    configure(a, capsys, b)
    configure(b, capsys, a)


def start_both(a: Laptop, b: Laptop) -> None:
    """A, then B once A listens: two Syncthings dialling each other in the same second can
    stall 20 s on the doubled connection (Syncthing 1.19), which this test is not about."""
    start(a)
    if sys.platform.startswith("linux"):
        wanted = f"{a.port:04X}"
        wait_for("A's Syncthing listens", lambda: any(
            s[3] == wanted for s in socket_addresses(a.process.pid)), [a])
    start(b)


def start(laptop: Laptop) -> None:
    # STMONITORED: Syncthing runs as the one process we started (no monitor process in front
    # of it), so its process id is the one to stop and to look at.
    env = dict(os.environ, STMONITORED="yes", STNOUPGRADE="1", HOME=str(laptop.root))
    with open(laptop.log, "ab") as log:
        laptop.process = subprocess.Popen(
            [SYNCTHING, "serve", "--home", str(laptop.home), "--no-browser", "--no-restart",
             "--logflags=3"], stdout=log, stderr=subprocess.STDOUT, env=env)


def stop(laptops: list[Laptop]) -> None:
    """Terminate each daemon by its process id and wait for it; kill one that hangs."""
    running = [laptop.process for laptop in laptops if laptop.process is not None]
    for process in running:
        if process.poll() is None:
            process.terminate()
    for process in running:
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


@pytest.fixture
def laptops(tmp_path):
    ports = free_ports(4)
    pair = [Laptop("A", tmp_path / "a", ports[0], ports[1]),
            Laptop("B", tmp_path / "b", ports[2], ports[3])]
    yield pair
    stop(pair)


def logs(laptops: list[Laptop]) -> str:
    return "\n".join(f"--- {laptop.name}'s Syncthing log (last lines):\n" + "\n".join(
        laptop.log.read_text(errors="replace").splitlines()[-25:]) for laptop in laptops)


def wait_for(what: str, condition, laptops: list[Laptop]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        stopped = [lap.name for lap in laptops if lap.process.poll() is not None]
        if stopped or time.monotonic() > deadline:
            why = f"Syncthing stopped on {stopped}" if stopped else f"not within {TIMEOUT} s"
            pytest.fail(f"{what}: {why}\n{logs(laptops)}")
        time.sleep(0.2)


def write_segment(path: Path, data: bytes) -> None:
    """As a segment is written: a temporary file, fsync, then renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


def socket_addresses(pid: int) -> list[tuple[str, str, str, str]]:
    """(protocol, local address, remote address, local port in hex) of each TCP and UDP socket
    the process holds, from /proc (Linux)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    found = []
    for protocol in ("tcp", "tcp6", "udp", "udp6"):
        for line in Path(f"/proc/{pid}/net/{protocol}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes:
                port = fields[1].split(":")[1] if fields[3] == "0A" else ""  # 0A: LISTEN
                found.append((protocol, host_of(fields[1]), host_of(fields[2]), port))
    return found


def host_of(hex_address: str) -> str:
    """/proc/net's "0100007F:5656" as an IP address (each 32-bit word in host byte order)."""
    raw = bytes.fromhex(hex_address.split(":")[0])
    order = -1 if sys.byteorder == "little" else 1
    words = b"".join(raw[i:i + 4][::order] for i in range(0, len(raw), 4))
    family = socket.AF_INET if len(raw) == 4 else socket.AF_INET6
    return socket.inet_ntop(family, words)


def loopback(address: str, or_unspecified: bool = False) -> bool:
    ip = ipaddress.ip_address(address)
    ip = getattr(ip, "ipv4_mapped", None) or ip
    return ip.is_loopback or (or_unspecified and ip.is_unspecified)


@needs_syncthing
def test_two_laptops_share_a_segment_through_syncthing_and_keep_it_when_one_deletes_it(
        laptops, capsys):
    a, b = laptops
    pair(a, b, capsys)
    start_both(a, b)

    first = os.urandom(40_000)
    write_segment(a.segment("1.seg"), first)
    being_written = a.segment(".2.seg.tmp")
    being_written.write_bytes(b"half a segment")
    wait_for("A's segment reaches B", b.segment("1.seg").exists, laptops)
    assert b.segment("1.seg").read_bytes() == first

    a.segment("1.seg").unlink()
    write_segment(a.segment("2.seg"), os.urandom(1_000))
    wait_for("A's next segment reaches B", b.segment("2.seg").exists, laptops)
    # B has handled everything up to 2.seg (the deletion came before it); one more round
    # makes sure that round of pulling is over.
    write_segment(a.segment("3.seg"), os.urandom(1_000))
    wait_for("A's third segment reaches B", b.segment("3.seg").exists, laptops)
    assert b.segment("1.seg").exists(), "deleted on A, and then on B too"
    assert b.segment("1.seg").read_bytes() == first
    assert not b.segment(".2.seg.tmp").exists()  # a file being written never travels

    if sys.platform.startswith("linux"):
        for laptop in laptops:
            sockets = socket_addresses(laptop.process.pid)
            assert sockets, f"no sockets found for {laptop.name}"
            # Bound to 127.0.0.1 (not to every interface), and talking to 127.0.0.1 or no one.
            outside = [s for s in sockets if not (loopback(s[1]) and loopback(s[2], True))]
            assert outside == [], f"{laptop.name} reaches past 127.0.0.1: {outside}"
    stop(laptops)
    for laptop, other in ((a, b), (b, a)):  # as Syncthing left it: nothing undone
        assert hardening_problems(laptop.home / "config.xml", laptop.data / "sync",
                                  laptop.device_id, {other.device_id: f"tcp://127.0.0.1:{other.port}"},
                                  f"tcp://127.0.0.1:{laptop.port}") == []


@needs_syncthing
def test_segments_written_while_a_laptop_was_away_cross_both_ways_when_it_returns(
        laptops, capsys):
    a, b = laptops
    pair(a, b, capsys)
    start_both(a, b)
    write_segment(a.segment("1.seg"), b"first")
    wait_for("A's segment reaches B", b.segment("1.seg").exists, laptops)

    stop([b])  # B's Syncthing stops (the laptop is out of range); Binder goes on writing
    from_a, from_b = os.urandom(20_000), os.urandom(20_000)
    write_segment(a.segment("2.seg"), from_a)
    write_segment(b.segment("1.seg", device="devb"), from_b)
    start(b)
    wait_for("A's segment from the gap reaches B", b.segment("2.seg").exists, laptops)
    wait_for("B's segment from the gap reaches A", a.segment("1.seg", "devb").exists, laptops)
    assert b.segment("2.seg").read_bytes() == from_a
    assert a.segment("1.seg", "devb").read_bytes() == from_b

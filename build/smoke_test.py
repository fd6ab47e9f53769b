"""Start the built bundle with --self-test, then as a person does (the window's frame first,
then the rest: --startup-probe on a new data folder), then make a laptop's and an agency's keys
(cryptography is bundled), and fail on a non-zero exit or unexpected output."""

import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    program = Path(sys.argv[1] if len(sys.argv) > 1 else "dist/binder/binder")
    if not program.exists():
        print(f"smoke test: {program} does not exist; run make bundle", file=sys.stderr)
        return 1
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    result = subprocess.run([str(program.resolve()), "--self-test"], capture_output=True, text=True,
                            cwd="/",
                            env=env, timeout=120)
    output = (result.stdout + result.stderr).strip()
    lines = output.splitlines()
    ok = result.returncode == 0 and len(lines) == 1 and lines[0].startswith("binder self-test OK")
    print(output)
    with tempfile.TemporaryDirectory(prefix="binder-smoke-") as data:
        started = subprocess.run([str(program.resolve()), "--data-dir", data, "--startup-probe"],
                                 capture_output=True, text=True, cwd="/", env=env, timeout=120)
    came_up = started.returncode == 0 and started.stdout.split() == ["ready", "built"]
    print(f"started as a person does: {' '.join(started.stdout.split()) or 'nothing'} "
          f"(exit {started.returncode})")
    if not came_up:
        print(started.stderr.strip())
    signs = signs_and_exports(program, env)
    ok = ok and came_up and signs
    size = sum(f.lstat().st_size for f in program.parent.rglob("*") if not f.is_symlink())
    print(f"smoke test: {'passed' if ok else 'FAILED'} (exit {result.returncode}); "
          f"bundle {size / 1e6:.0f} MB")
    return 0 if ok else 1


def signs_and_exports(program: Path, env: dict) -> bool:
    """The laptops' keys (cryptography, bundled): this laptop's key and card, an agency's key,
    and the sync engine started over them (`binder sync export`, with nothing to send yet)."""
    with tempfile.TemporaryDirectory(prefix="binder-smoke-") as data:
        runs = [subprocess.run([str(program.resolve()), "--data-dir", data, *argv],
                               capture_output=True, text=True, cwd="/", env=env, timeout=120)
                for argv in (["device"], ["agency", "new-key", "-o", f"{data}/agency.key"],
                             ["sync", "export"])]
        keys = (Path(data) / "keys" / "device.key").is_file()
    ok = keys and all(run.returncode == 0 for run in runs)
    print(f"keys and signing: {'ok' if ok else 'FAILED'} "
          f"(exits {', '.join(str(run.returncode) for run in runs)})")
    if not ok:
        print("\n".join(run.stderr.strip() for run in runs if run.stderr.strip()))
    return ok


if __name__ == "__main__":
    raise SystemExit(main())

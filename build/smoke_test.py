"""Start the built bundle with --self-test and fail on a non-zero exit or unexpected output."""

import subprocess
import sys
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
    size = sum(f.lstat().st_size for f in program.parent.rglob("*") if not f.is_symlink())
    print(f"smoke test: {'passed' if ok else 'FAILED'} (exit {result.returncode}); "
          f"bundle {size / 1e6:.0f} MB")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

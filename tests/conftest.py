"""Shared fixtures: small real content folders and real SQLite files in tmp_path."""

import os
import textwrap
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"

REPO = Path(__file__).resolve().parent.parent
# Real Markdown written by other people (../shared/fixtures, from the main checkout or a worktree)
FIXTURES = next((p / "shared" / "fixtures" for p in REPO.parents
                 if (p / "shared" / "fixtures").is_dir()), REPO.parent / "shared" / "fixtures")
PAGERDUTY = FIXTURES / "pagerduty-incident-response-docs"

CHECKLIST = """\
---
title: Tourniquet
kind: checklist
section: Casualty care
summary: Stop life-threatening limb bleeding and record the time.
tags: [TQ, hemorrhage, bleeding]
roles: [Any officer, EMS]
sources:
  - name: BJA VALOR Casualty Care Toolkit
    url: https://www.valorforblue.org/
reviewed: 2026-11-20
---
For trained personnel. Follow your agency's medical direction and training.

## Under fire
- [ ] Move to cover if you can {#cover}
- [ ] Apply the tourniquet over clothing, high on the limb {#apply-high}

## Field care
- [ ] Write the time on the tourniquet ([why](../response/casualty-guide.md#timing)) {#time}
"""

GUIDE = """\
---
title: Casualty guide
kind: guide
section: Response
summary: How casualties move from the warm zone to transport.
tags: [CCP, casualty collection point]
sources:
  - name: Hartford Consensus
    url: https://www.facs.org/
reviewed: 2026-11-01
---
Casualties go to a casualty collection point.

## Timing
| Phase | Who |
|-------|-----|
| Warm zone | Rescue task force |

See the [tourniquet checklist](../casualty-care/tourniquet.md) and the
[outside page](https://example.org/guide).
"""

CONTACTS = """\
---
title: Command post contacts
kind: contacts
section: Contacts
summary: The phone list of the command post, filled in by the agency.
tags: [ICS 205A, phone list]
sources:
  - name: FEMA ICS forms
    url: https://training.fema.gov/
reviewed: 2026-11-01
---
| Role | Name | Phone |
|------|------|-------|
| Incident Commander | | |
"""

FUNDING = """\
---
title: EFLEA
kind: funding
section: Funding
summary: Ask for federal help with extraordinary law-enforcement costs such as overtime.
tags: [EFLEA, overtime, reimbursement]
roles: [Finance/Administration]
sources:
  - name: BJA EFLEA overview
    url: https://bja.ojp.gov/program/eflea/overview
dates:
  received: the date BJA received the request
deadlines:
  - what: BJA decides on the request
    after: 10 days
    from: received
    source: 34 U.S.C. 50101(b), in force in 2026
reviewed: 2026-11-01
---
## Ask
- [ ] Send the signed request letter to the BJA Director {#letter}
"""

SAMPLE_PAGES = {
    "casualty-care/tourniquet.md": CHECKLIST,
    "response/casualty-guide.md": GUIDE,
    "contacts/command-post-contacts.md": CONTACTS,
    "funding/eflea.md": FUNDING,
}


def write_pages(folder: Path, pages: dict[str, str]) -> Path:
    for rel, text in pages.items():
        file = folder / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture
def content_dir(tmp_path) -> Path:
    return write_pages(tmp_path / "content", SAMPLE_PAGES)


@pytest.fixture
def content_db(tmp_path, content_dir) -> Path:
    from binder.content.build import build_store

    out = tmp_path / "content.db"
    build_store(content_dir, out)
    return out


@pytest.fixture(scope="session")
def shipped_db(tmp_path_factory) -> Path:
    """content.db built from the binder's real content/ folder."""
    from binder.content.build import build_store

    out = tmp_path_factory.mktemp("shipped") / "content.db"
    build_store(REPO / "content", out)
    return out


@pytest.fixture
def laptop_zone():
    """Sets this process's time zone (TZ) for a test, and puts the old one back after."""
    import time

    before = os.environ.get("TZ")

    def use(zone: str) -> None:
        os.environ["TZ"] = zone
        time.tzset()

    yield use
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()

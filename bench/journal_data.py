"""A generated journal.db for the journal bench: what Journal.append writes, hash chain too."""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import uuid
from pathlib import Path

from binder.journal import hlc
from binder.journal.journal import EVENT_FIELDS, Journal, Operator, event_hash

OPERATORS = (
    ("Dana Ortiz", "Incident Commander", "Metro PD"),
    ("Sam Lee", "Planning Section Chief", "County OEM"),
    ("Ravi Patel", "Scribe", "Metro PD"),
    ("Jo Brandt", "Safety Officer", "Fire District 4"),
    ("Ana Silva", "Liaison Officer", "County OEM"),
    ("Kim Novak", "Finance/Admin Section Chief", "City Finance"),
)
STEP_MIX = (("tick", 70), ("untick", 8), ("na", 5), ("done_before", 5), ("note", 10),
            ("operator", 2))
START = dt.datetime(2026, 5, 1, 6, 0, tzinfo=dt.UTC)
QUIET_DOC = "reunification-checklist"  # a checklist no event touches: not every page is used


def checklist_steps(content_db: Path) -> list[tuple[str, str, str]]:
    """(doc id, step id, plain text) of every step of the content but QUIET_DOC's."""
    conn = sqlite3.connect(content_db)
    try:
        sql = "SELECT doc_id, id, plain FROM steps ORDER BY doc_id, position"
        return [row for row in conn.execute(sql) if row[0] != QUIET_DOC]
    finally:
        conn.close()


def write_journal(path: Path, count: int, steps: list[tuple[str, str, str]],
                  seed: int = 1) -> str:
    """A journal of `count` events: one big open incident (the current one, about 90 % of the
    events) and up to nine smaller, closed ones; returns the big incident's id."""
    rng = random.Random(seed)
    journal = Journal(path)  # the real schema, pragmas and settings
    journal.set_operator(Operator(*OPERATORS[0]))
    conn = journal.conn
    others = min(9, max(0, (count - 1) // 1000))
    big = max(1, count - others * max(1, count // 100))
    sizes = [big] + [(count - big) // others] * others if others else [count]
    sizes[-1] += count - sum(sizes)
    clock = [START]
    rows: list[tuple] = []
    current = ""
    for number, size in enumerate(sizes):
        incident_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        current = current or incident_id
        rows += incident_rows(rng, clock, incident_id, number, size, steps, closed=number > 0)
    with conn:
        conn.execute("BEGIN")
        conn.executemany(
            f"INSERT INTO events ({', '.join(EVENT_FIELDS)}, prev_hash, hash) "
            f"VALUES ({', '.join('?' * (len(EVENT_FIELDS) + 2))})", rows)
        conn.execute("COMMIT")
    journal.set_setting("current_incident", current)
    journal.close()
    return current


def incident_rows(rng: random.Random, clock: list, incident_id: str, number: int, size: int,
                  steps: list, closed: bool) -> list[tuple]:
    """One incident's events, chained: start, then step events, notes and operator changes."""
    prev = ""
    operator = OPERATORS[number % len(OPERATORS)]
    rows = []

    def add(kind: str, step=("", "", ""), occurred: str = "", data: dict | None = None):
        nonlocal prev
        clock[0] += dt.timedelta(milliseconds=rng.randint(200, 9000))
        values = {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "kind": kind,
            "incident_id": incident_id, "doc_id": step[0], "step_id": step[1],
            "step_text": step[2], "operator": operator[0], "position": operator[1],
            "entered_at": clock[0].isoformat(timespec="milliseconds"), "occurred_at": occurred,
            "data": json.dumps(data or {}, sort_keys=True, ensure_ascii=False),
            "device": "", "hlc": hlc.make(int(clock[0].timestamp() * 1000)),
        }
        digest = event_hash(prev, values)
        rows.append((*(values[name] for name in EVENT_FIELDS), prev, digest))
        prev = digest

    add("start", data={"name": f"Incident {number + 1}", "type": "Active assailant",
                       "location": f"{100 + number} Main Street", "period_from": "",
                       "period_to": "", "content_revision": "bench", "exercise": number % 3 == 2})
    kinds, weights = zip(*STEP_MIX, strict=True)
    for _ in range(size - 1 - closed):
        kind = rng.choices(kinds, weights)[0]
        step = rng.choice(steps)
        if kind == "operator":
            operator = rng.choice(OPERATORS)
            add("operator", data={"agency": operator[2]})
        elif kind == "note":
            on_step = rng.random() < 0.6
            add("note", step if on_step else ("", "", ""),
                data={"text": f"Radio check {rng.randint(1, 999)}: units on scene, all well"})
        elif kind == "done_before":
            earlier = clock[0] - dt.timedelta(minutes=rng.randint(1, 30))
            add(kind, step, earlier.isoformat(timespec="milliseconds"))
        else:
            add(kind, step)
    if closed:
        add("close")
    return rows

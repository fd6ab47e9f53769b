"""Verify a chain: every hash recomputed, every head in journal.anchor found, in plain words."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from binder.journal.anchor import AnchorRecord
from binder.journal.journal import EVENT_FIELDS, ChainReport, Journal, event_hash, row_problem

OPERATOR_CHAIN = "changes of operator made with no incident open (names, positions, agencies)"
CANNOT_PROVE = ("that someone able to write both journal.db and journal.anchor did not rewrite "
                "both: compare the head with the one on a printed export or handover")


@dataclass
class ChainCheck:
    """One chain's result, before it is put in words for the whole incident."""

    count: int = 0
    head: str = ""
    problem: str = ""
    proves: str = ""
    cannot_prove: str = ""
    notes: list[str] = field(default_factory=list)


def verify_incident(journal: Journal, incident_id: str) -> ChainReport:
    """The incident's chain, the operator chain the ICS 214 also reads, and unreadable rows."""
    record = journal.anchor.read(journal.journal_id)
    main = check_chain(journal, incident_id, record)
    problems = [main.problem] if main.problem else []
    notes = list(main.notes)
    if incident_id:
        operators = check_chain(journal, "", record)
        if operators.problem:
            problems.append(f"in the {OPERATOR_CHAIN}: {operators.problem}")
        notes += [f"In the {OPERATOR_CHAIN}: {note}" for note in operators.notes]
    heads, laptop_problems = laptop_chains(journal, incident_id, main)
    problems = laptop_problems + problems[1 if main.problem else 0:]
    unplaced = journal.unplaced()
    if unplaced:
        problems.append(f"entry {unplaced[0]} could not be read and may belong to this incident")
    if record.problem:
        notes.append(record.problem)
    if journal.anchor_problem:
        notes.append(journal.anchor_problem)
    return ChainReport(not problems, main.count, main.head, "; ".join(problems),
                       main.proves, main.cannot_prove, tuple(notes), heads,
                       combined_digest(heads) if len(heads) > 1 else "")


def verify_all(journal: Journal) -> list[tuple[str, ChainReport]]:
    """Every chain in the journal or in journal.anchor: a whole incident removed shows too."""
    record = journal.anchor.read(journal.journal_id)
    chains = [row[0] or "" for row in journal.conn.execute(
        "SELECT incident_id FROM events GROUP BY incident_id ORDER BY MIN(seq)")]
    chains += [chain for chain in record.marks if chain not in chains]
    reports = []
    for chain in chains:
        check = check_chain(journal, chain, record)
        notes = (*check.notes, *([record.problem] if record.problem else []))
        heads, problems = laptop_chains(journal, chain, check)
        reports.append((chain, ChainReport(not problems, check.count, check.head,
                                           "; ".join(problems), check.proves, check.cannot_prove,
                                           notes, heads,
                                           combined_digest(heads) if len(heads) > 1 else "")))
    return reports


def check_chain(journal: Journal, chain: str, record: AnchorRecord | None,
                device: str = "") -> ChainCheck:
    """This laptop's chain of an incident (with its anchor), or another laptop's (`device`),
    whose own anchor is the signed segments it came in (binder/sync)."""
    devices = (device,) if device else ("", journal.device_id)
    where = f"incident_id = ? AND device IN ({', '.join('?' * len(devices))})"
    count = journal.conn.execute(
        f"SELECT count(*) FROM events WHERE {where}", (chain, *devices)).fetchone()[0]
    rows = journal.conn.execute(  # read as they come: 100,000 rows are never held at once
        f"SELECT seq, {', '.join(EVENT_FIELDS)}, prev_hash, hash FROM events "
        f"WHERE {where} ORDER BY seq", (chain, *devices))
    result = ChainCheck(count=count)
    hashes = {}
    for row in rows:
        values = dict(zip(("seq", *EVENT_FIELDS, "prev_hash", "hash"), row, strict=True))
        if row_problem(values):
            result.problem = f"entry {values['seq']} could not be read: {row_problem(values)}"
            return result
        values = {k: ("" if v is None else v) for k, v in values.items()}
        if values["prev_hash"] != result.head:
            result.problem = f"event {values['seq']} does not follow the event before it"
            return result
        if event_hash(result.head, values) != values["hash"]:
            result.head = values["hash"]
            result.problem = (f"event {values['seq']} ({values['kind']}, entered "
                              f"{values['entered_at']}) was changed after it was written")
            return result
        result.head = values["hash"]
        hashes[values["seq"]] = values["hash"]
    if record is None:
        result.proves = f"{entries(result.count)}, each chained to the one before"
    else:
        compare_with_anchor(result, hashes, chain, record, journal.anchor.path.name)
    return result


def laptop_chains(journal: Journal, chain: str, local_check: ChainCheck
                  ) -> tuple[dict[str, str], list[str]]:
    """Every laptop's head in an incident (this one's from `local_check`), and the problems found
    in the chains: this laptop's first."""
    heads = {journal.device_id: local_check.head}
    problems = [local_check.problem] if local_check.problem else []
    for device in other_laptops(journal, chain) if chain else []:
        other = check_chain(journal, chain, None, device)
        heads[device] = other.head
        if other.problem:
            problems.append(f"in the entries of laptop {device}: {other.problem}")
    return heads, problems


def other_laptops(journal: Journal, incident_id: str) -> list[str]:
    """The other laptops with entries in an incident, in the order their first entry came."""
    return [row[0] for row in journal.conn.execute(
        "SELECT device FROM events WHERE incident_id = ? AND device NOT IN ('', ?) "
        "GROUP BY device ORDER BY MIN(seq)", (incident_id, journal.device_id))]


def combined_digest(heads: dict[str, str]) -> str:
    """One digest over every laptop's head (by laptop), so that two printouts can be compared."""
    lines = "".join(f"{device}:{head}\n" for device, head in sorted(heads.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


def compare_with_anchor(result: ChainCheck, hashes: dict[int, str], chain: str,
                        record: AnchorRecord, name: str) -> None:
    """Every head the anchor recorded must still be there, unchanged, at the same entry."""
    unchanged = f"{entries(result.count)} unchanged since they were written"
    marks = record.marks.get(chain, [])
    if not record.exists or (not marks and result.count):
        why = record.problem or (f"there is no {name} beside the journal" if not record.exists
                                 else f"{name} has no record of these entries")
        result.proves = f"{unchanged}, each chained to the one before"
        result.cannot_prove = f"that no entries were removed ({why}); {CANNOT_PROVE}"
        return
    for mark in marks:
        found = hashes.get(mark.seq)
        if found is None:
            result.problem = (f"entry {mark.seq}, recorded in {name} at {local(mark.at)}, is no "
                              "longer in the journal: entries were removed")
            return
        if found != mark.head:
            result.problem = (f"the entries up to {mark.seq} were rewritten after {local(mark.at)}"
                              f": {name} recorded the head {mark.head[:16]}… there, the journal "
                              f"now gives {found[:16]}…")
            return
    last = marks[-1] if marks else None
    if last is None:
        result.proves = "no entries yet"
        result.cannot_prove = CANNOT_PROVE
        return
    result.proves = (f"{unchanged}, and none removed up to the head recorded in {name} at "
                     f"{local(last.at)}")
    result.cannot_prove = CANNOT_PROVE
    if hashes and min(hashes) <= record.started_after:
        result.cannot_prove = (f"that no entries were removed before {name} was started at "
                               f"{local(record.started_at)}; {CANNOT_PROVE}")
    ahead = sum(seq > last.seq for seq in hashes)
    if ahead:
        result.notes.append(
            f"the newest {ahead} entr{'y was' if ahead == 1 else 'ies were'} saved after the last "
            f"head recorded in {name} (Binder stopped, or could not write {name}, between saving "
            "and recording): chained and unchanged, but not covered by the anchor")


def statement(name: str, report: ChainReport) -> list[str]:
    """What `binder verify` and Incident > Verify say: the verdict, the head, what it proves."""
    if report.intact:
        lines = [f"intact: {name}, {entries(report.count)}, head {report.head}"]
    else:
        lines = [f"NOT INTACT: {name}: {report.problem}",
                 f"head now: {report.head or 'none'} ({entries(report.count)})"]
    if report.combined:
        lines.append(f"combined digest of {len(report.laptops)} laptops' chains: "
                     f"{report.combined}")
        lines += [f"  laptop {device}: head {head or 'none'}"
                  for device, head in sorted(report.laptops.items())]
    if report.proves:
        lines.append(f"proves: {report.proves}")
    if report.cannot_prove:
        lines.append(f"cannot prove: {report.cannot_prove}")
    lines += [f"note: {note}" for note in report.notes]
    return lines


def entries(count: int) -> str:
    return f"{count} entr{'y' if count == 1 else 'ies'}"


def local(stamp: str) -> str:
    """A stored UTC time as local time to the minute, for a person."""
    try:
        return dt.datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp or "an unknown time"

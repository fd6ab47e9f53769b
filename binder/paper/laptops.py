"""Entries from several laptops on paper: in clock order, with their laptop and what is odd
about them (a clock far ahead, written after the close, changed at the same time elsewhere)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from binder.journal import hlc
from binder.journal.incidents import StepState
from binder.journal.journal import STEP_KINDS, ChainReport, Event
from binder.journal.step_history import StepHistory

AFTER_CLOSE = "written after the incident closed"
AT_ONCE = "changed at the same time on another laptop"


def clock_of(event: Event) -> str:
    """The event's hlc; for one written before schema 6, its entered time in the same form."""
    if event.hlc:
        return event.hlc
    try:
        return hlc.make(int(dt.datetime.fromisoformat(event.entered_at).timestamp() * 1000))
    except ValueError:
        return ""


def in_clock_order(events: list[Event]) -> list[Event]:
    """Every laptop's entries in the order of their clocks (then by laptop, as a step's state is
    chosen, then as stored here): the same order on every laptop."""
    return sorted(events, key=lambda event: (clock_of(event), event.device, event.seq))


def laptops_of(events: list[Event], here: str) -> set[str]:
    """The laptops that wrote these events ('' is this one, before schema 6)."""
    return {event.device or here for event in events}


def entry_flags(events: list[Event], ahead: dict[str, int]) -> dict[str, list[str]]:
    """What is odd about each flagged entry, by event id. `ahead`: the entries whose clock was
    far ahead of this laptop's when they arrived (`Journal.arrived_ahead`)."""
    flags: dict[str, list[str]] = {}
    closes = sorted(clock_of(e) for e in events if e.kind == "close")
    for event in events:
        if event.id in ahead:
            flags.setdefault(event.id, []).append(
                f"its laptop's clock was {ahead_words(ahead[event.id])} ahead of this one's")
        if closes and event.kind != "close" and clock_of(event) > closes[0]:
            flags.setdefault(event.id, []).append(AFTER_CLOSE)
    for event_id in changed_at_once(events):
        flags.setdefault(event_id, []).append(AT_ONCE)
    return flags


def changed_at_once(events: list[Event]) -> set[str]:
    """The ids of step entries two laptops made at once (journal/step_history.py): only steps
    more than one laptop changed are looked at."""
    steps: dict[tuple[str, str], list[Event]] = {}
    for event in events:
        if event.kind in STEP_KINDS:
            steps.setdefault((event.doc_id, event.step_id), []).append(event)
    found: set[str] = set()
    for entries in steps.values():
        entries.sort(key=lambda e: e.seq)
        if len({e.device for e in entries}) < 2 or linear(entries):
            continue
        history = StepHistory()
        for event in entries:
            follows = event.data.get("follows")
            history.add(event.id, event.kind, hlc=event.hlc, seq=event.seq,
                        follows=follows if isinstance(follows, list) else None,
                        device=event.device)
        for first, second in history.forks():
            found.update((first.id, second.id))
    return found


def linear(entries: list[Event]) -> bool:
    """Each entry (in the order stored) written over the one before it: none made at once. (An
    entry from before schema 6 has no `follows` and was.) Most steps are; only the others need
    their history worked out."""
    before = None
    for event in entries:
        follows = event.data.get("follows")
        if follows is None and event.device or follows is not None and follows != (
                [before] if before else []):
            return False
        before = event.id
    return True


def ahead_words(ms: int) -> str:
    minutes = (ms + 30_000) // 60_000
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    return f"{hours} h {minutes % 60:02d} min" if hours < 48 else f"{hours // 24} days"


def marked(activity: str, laptop: str, flags: list[str]) -> str:
    """The activity with its laptop (when several wrote) and its flags, for the log."""
    text = activity + (f" [laptop {laptop}]" if laptop else "")
    return text + "".join(f" [FLAG: {flag}]" for flag in flags)


def combined_line(chain: ChainReport) -> str:
    """'Combined digest of 2 laptops' chains: …' when more than one laptop wrote, else ''."""
    if not chain.combined:
        return ""
    return f"Combined digest of {len(chain.laptops)} laptops' chains: {chain.combined}"


def printed_states(states: dict[str, StepState], here: str) -> dict[str, StepState]:
    """Step states as paper shows them: this laptop's entries without a laptop, others' with."""
    def mine(device: str) -> str:
        return "" if device in ("", here) else device

    return {step_id: replace(state, device=mine(state.device), at_once=tuple(
                (*other[:4], mine(other[4])) for other in state.at_once))
            for step_id, state in states.items()}

"""What a person is told when the journal refuses a write: a full disk, a done step."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

SETTING_WORDS = {"current_incident": "Which incident is current", "operator": "Who is logging",
                 "theme": "The look", "zoom": "The text size", "agency_name": "The agency's name",
                 "pinned_pages": "The pinned pages", "recent_pages": "The recent pages"}


def saving_message(path: Path, exc: sqlite3.Error, setting: str = "") -> str:
    """Why SQLite refused a write, for a person: an event (nothing saved) or a setting."""
    name = getattr(exc, "sqlite_errorname", "")
    what = (f"{SETTING_WORDS.get(setting, 'A setting')} could not be remembered in {path}"
            if setting else f"This could not be saved to {path}, and nothing was saved")
    if name == "SQLITE_FULL":
        return (f"The disk is full: {what[0].lower()}{what[1:]}. Free some space, or export "
                "the log to another disk.")
    if name.startswith("SQLITE_READONLY") or "readonly" in str(exc):
        return (f"The activity journal is read-only here: {what[0].lower()}{what[1:]}. It can "
                "still be read, verified and exported.")
    if name.startswith("SQLITE_BUSY"):
        return f"The activity journal is busy (is another Binder writing to it?): {what}."
    return f"{what} ({exc})."


STATE_WORDS = {"tick": "Already done", "done_before": "Already marked done earlier",
               "na": "Already marked N/A", "untick": "Already put back to open"}


def step_conflict_text(kind: str, last: tuple | None) -> str:
    """"Already done by Ann Lee (Operations) at 14:03": why a step event was refused."""
    if last is None:
        return "This step is open: there is nothing to undo."
    last_kind, operator, position, entered_at, occurred_at = last
    who = operator or "someone whose name was not recorded"
    if position:
        who += f" ({position})"
    when = dt.datetime.fromisoformat(occurred_at or entered_at).astimezone()
    today = dt.datetime.now().astimezone().date()
    stamp = when.strftime("%H:%M") if when.date() == today else when.strftime("%d %b %Y %H:%M")
    advice = "" if kind == "untick" else " Undo it first to change it."
    return f"{STATE_WORDS[last_kind]} by {who} at {stamp}.{advice}"

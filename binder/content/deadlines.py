"""Funding deadlines written in a page's front matter, checked, and counted from a date.

    dates:                       # dates a person records during the incident (optional)
      received: the date BJA received the written request
    deadlines:
      - what: BJA approves or refuses the request
        after: 10 days           # N days | N months | N years
        from: received           # incident | a name under `dates` | not given
        source: 34 U.S.C. 50101(b), in force in 2026
        note: optional words shown with the date
        whichever_later: death-claim   # optional: of the deadlines with this name, the later
                                       # one applies (28 CFR 32.12: "the later of")

`from: incident` counts from the date the incident started; a name under `dates` counts from
the date people record for it (Incident > Deadlines); `not given` says the source names no
starting date, and then `note` must say so in words: Binder never guesses one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass

INCIDENT = "incident"
NOT_GIVEN = "not given"
UNITS = {"day": "days", "days": "days", "month": "months", "months": "months",
         "year": "years", "years": "years"}
LONGEST = {"days": 3660, "months": 120, "years": 10}  # a longer deadline is a typing mistake
AFTER = re.compile(r"^\s*(\d{1,5})\s+([A-Za-z]+)\s*$")
DATE_NAME = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
KEYS = ("what", "after", "from", "source", "note", "whichever_later")


@dataclass(frozen=True)
class Deadline:
    what: str
    after: int  # how many units after the starting date; 0 for none
    unit: str  # "days", "months" or "years"; "" for none
    start: str  # INCIDENT, a name under the page's `dates`, or NOT_GIVEN
    source: str  # where the deadline comes from, with the year it holds for
    note: str = ""
    whichever_later: str = ""  # deadlines of a page with the same name: the later one applies

    @property
    def length(self) -> str:
        """'10 days', '1 year'."""
        if not self.unit:
            return ""
        return f"{self.after} {self.unit[:-1] if self.after == 1 else self.unit}"

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, value: dict) -> Deadline:
        return cls(**{name: value.get(name, "") for name in
                      ("what", "after", "unit", "start", "source", "note",
                       "whichever_later")})


def count(start: dt.date, after: int, unit: str) -> dt.date:
    """The date `after` days, months or years after `start`, in calendar days (the starting day
    itself is not counted: 10 days after 1 March is 11 March). A month or year later on a day
    that month does not have (31 January + 1 month, 29 February + 1 year) is that month's last
    day: the earlier of the two possible dates, so a deadline is never shown late."""
    if unit == "days":
        return start + dt.timedelta(days=after)
    months = after * 12 if unit == "years" else after
    if unit not in ("months", "years"):
        raise ValueError(f"unknown unit {unit!r}")
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return dt.date(year, month, min(start.day, (following - dt.timedelta(days=1)).day))


def read_deadlines(meta: dict, text: str) -> tuple[dict[str, str], list[Deadline],
                                                    list[tuple[int, str]]]:
    """The page's `dates` and `deadlines`, and every problem as (line, message). A deadline
    with a problem is left out."""
    problems: list[tuple[int, str]] = []
    dates = read_dates(meta.get("dates"), top_line(text, "dates"), problems)
    value = meta.get("deadlines")
    if value in (None, "", []):
        if dates:
            problems.append((top_line(text, "dates"),
                             "'dates' are only for 'deadlines', and this page has none"))
        return dates, [], problems
    line = top_line(text, "deadlines")
    if not isinstance(value, list):
        problems.append((line, "'deadlines' must be a list of '- what: ...' entries"))
        return dates, [], problems
    lines = item_lines(text, "deadlines", len(value))
    deadlines, used = [], set()
    for item, item_line in zip(value, lines, strict=True):
        deadline = read_one(item, item_line, dates, problems)
        if deadline is not None:
            deadlines.append(deadline)
            used.add(deadline.start)
    groups = [d.whichever_later for d in deadlines if d.whichever_later]
    for group in sorted(set(groups)):
        if groups.count(group) < 2:
            problems.append((line, f"'whichever_later: {group}' names one deadline only: give "
                                   "the same name to each deadline of which the later applies"))
    for name in dates:
        if name not in used:
            problems.append((top_line(text, "dates"),
                             f"date '{name}' is not used by any deadline's 'from'"))
    return dates, deadlines, problems


def read_dates(value, line: int, problems: list) -> dict[str, str]:
    if value in (None, "", {}):
        return {}
    if not isinstance(value, dict):
        problems.append((line, "'dates' must be 'name: what the date is' lines"))
        return {}
    dates = {}
    for name, label in value.items():
        name = str(name).strip()
        if not DATE_NAME.match(name) or name in (INCIDENT, "not-given"):
            problems.append((line, f"date name '{name}' must be lowercase letters, digits and "
                                   "hyphens (and not 'incident')"))
        elif not isinstance(label, str) or not label.strip():
            problems.append((line, f"date '{name}' needs words saying what the date is, e.g. "
                                   f"'{name}: the date BJA received the request'"))
        else:
            dates[name] = " ".join(label.split())
    return dates


def read_one(item, line: int, dates: dict[str, str], problems: list) -> Deadline | None:
    if not isinstance(item, dict):
        problems.append((line, "each deadline must be 'what', 'after', 'from' and 'source' "
                               "lines"))
        return None
    found = len(problems)
    for key in item:
        if key not in KEYS:
            problems.append((line, f"unknown key '{key}' in a deadline (use: "
                                   f"{', '.join(KEYS)})"))
    text = {key: " ".join(str(item.get(key) or "").split()) for key in KEYS}
    for key in ("what", "from", "source"):
        if not text[key]:
            problems.append((line, f"a deadline needs '{key}'"))
    start = text["from"]
    if start and start not in (INCIDENT, NOT_GIVEN) and start not in dates:
        named = ", ".join(dates) or "none on this page"
        problems.append((line, f"'from: {start}' is not 'incident', 'not given' or a name "
                               f"under 'dates' ({named})"))
    if start == NOT_GIVEN and not text["note"]:
        problems.append((line, "'from: not given' needs a 'note' saying that the source does "
                               "not say when the time starts"))
    if text["source"] and not YEAR.search(text["source"]):
        problems.append((line, "a deadline's 'source' must give the year it holds for, e.g. "
                               "'28 CFR 32.12, in force in 2026'"))
    after, unit = 0, ""
    if text["after"]:
        match = AFTER.match(text["after"])
        unit = UNITS.get(match.group(2).lower(), "") if match else ""
        if not unit:
            problems.append((line, f"'after: {text['after']}' must be a number of days, months "
                                   "or years, e.g. '10 days'"))
        else:
            after = int(match.group(1))
            if not 0 < after <= LONGEST[unit]:
                problems.append((line, f"'after: {text['after']}' must be from 1 to "
                                       f"{LONGEST[unit]} {unit}"))
    elif start != NOT_GIVEN:
        problems.append((line, "a deadline needs 'after' (e.g. '10 days'), unless 'from' is "
                               "'not given'"))
    if text["whichever_later"] and not DATE_NAME.match(text["whichever_later"]):
        problems.append((line, f"'whichever_later: {text['whichever_later']}' must be a name in "
                               "lowercase letters, digits and hyphens, e.g. death-claim"))
    if len(problems) > found:
        return None
    return Deadline(text["what"], after, unit, start, text["source"], text["note"],
                    text["whichever_later"])


def top_line(text: str, key: str) -> int:
    """The 1-based line of a top-level front-matter key, or 1 when it is absent."""
    for number, line in enumerate(text.splitlines()[:400], start=1):
        if re.match(rf"^{re.escape(key)}\s*:", line):
            return number
    return 1


def item_lines(text: str, key: str, how_many: int) -> list[int]:
    """The line of each '- ' entry of a top-level list, as many as the list has (the key's
    line for any not found, e.g. a list written inline)."""
    start = top_line(text, key)
    lines, indent = [], None
    for number, line in enumerate(text.splitlines()[start:], start=start + 1):
        if line.strip() in ("---", "...") or (line[:1].strip() and not line.startswith("-")):
            break
        stripped = line.lstrip()
        if stripped.startswith("- ") or stripped == "-":
            here = len(line) - len(stripped)
            indent = here if indent is None else indent
            if here == indent:
                lines.append(number)
    return (lines + [start] * how_many)[:how_many]

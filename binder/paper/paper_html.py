"""What goes on paper, as rich text: the print stylesheet, a page's body with step rows, the
cover, the contents and the handover's first page. binder.paper.printing lays these out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from binder.content.pages import header_html, sources_html
from binder.content.store import DocRecord, StepRecord
from binder.journal.deadline_dates import OFFSET
from binder.journal.incidents import Incident, Progress, StepState, packs_text
from binder.journal.journal import ChainReport
from binder.paper.export import EXERCISE_MARK, keep, local_minutes

# Black on white, 10.5 pt body text: the screen's stylesheet is never used on paper. A heading
# a page marks {: .new-sheet } starts a sheet (each blank form on the forms page).
PRINT_STYLE = """
  body { color: #000; background: #fff; }
  h1 { font-size: 17pt; font-weight: bold; margin-top: 0; margin-bottom: 4px; }
  h2 { font-size: 13pt; font-weight: bold; margin-top: 14px; margin-bottom: 4px; }
  h3 { font-size: 11.5pt; font-weight: bold; margin-top: 10px; margin-bottom: 3px; }
  p, li { margin-top: 2px; margin-bottom: 4px; }
  a { color: #000; text-decoration: none; }
  a.external { font-style: italic; }
  .meta { font-size: 9pt; margin-bottom: 2px; }
  .summary { font-style: italic; margin-bottom: 8px; }
  .progress { font-size: 11pt; font-weight: bold; margin-top: 4px; margin-bottom: 6px; }
  .sources { font-size: 9pt; }
  .small { font-size: 9pt; }
  .note { font-size: 9pt; font-style: italic; margin-top: 2px; margin-bottom: 0; }
  .sign { font-size: 9.5pt; }
  .signed { font-size: 9.5pt; font-weight: bold; }
  .admonition-title { font-weight: bold; }
  th { font-weight: bold; text-align: left; background: #e6e6e6; }
  .cover-agency { font-size: 20pt; font-weight: bold; }
  .cover-title { font-size: 30pt; font-weight: bold; }
  .cover-line { font-size: 12pt; }
  .cover-note { font-size: 10pt; }
  .toc-section { font-size: 11.5pt; font-weight: bold; }
  .exercise { color: #b00000; font-size: 16pt; font-weight: bold; }
  .broken { color: #b00000; font-weight: bold; }
  .hash { font-family: monospace; font-size: 8.5pt; }
  .new-sheet { page-break-before: always; }
"""
BOX_ANCHOR = "paper-box-"  # the empty cell a tick box is painted over: paper-box-<n>
CONTENT_TABLE = "<table border='1' cellspacing='0' cellpadding='4' width='100%' " \
                "style='border-collapse: collapse; border-color: #000'>"
STEP_TABLE = "<table width='100%' cellspacing='0' cellpadding='3' style='margin-top: 2px; " \
             "margin-bottom: 2px'>"
RULE = "style='border-bottom: 1px solid #aaaaaa'"  # a light line under each step row
BLANK_SIGN = "Initials&nbsp;________&nbsp;&nbsp; Time&nbsp;________"
TOC_NUMBER_WIDTH = "12%"


@dataclass(frozen=True)
class BodyHtml:
    html: str
    boxes: list[str]  # the status drawn in each box, in order: "open", "done", "N/A", ...


def page_body(doc: DocRecord, states: dict[str, StepState] | None = None,
              progress_line: str = "") -> BodyHtml:
    """One page for paper: its header, prose and step rows in reading order, then its sources."""
    steps = {step.id: step for step in doc.steps}
    parts = [header_html(doc)]
    if progress_line:
        parts.append(f"<p class='progress'>{escape(progress_line)}</p>")
    boxes: list[str] = []
    for block in doc.blocks:
        step = steps.get(block.get("step") or "")
        if step is None:
            parts.append(bordered_tables(block.get("html", "")))
            continue
        state = (states or {}).get(step.id)
        parts.append(step_row(step, len(boxes), state, states is not None))
        boxes.append(state.status if state else "open")
    parts.append(sources_html(doc))
    return BodyHtml("".join(parts), boxes)


def bordered_tables(html: str) -> str:
    """The page's own tables with ruled cells, as on a paper form."""
    return html.replace("<table>", CONTENT_TABLE)


def step_row(step: StepRecord, number: int, state: StepState | None, handover: bool) -> str:
    """A step as a row: a cell the box is painted over, the step (and its notes), and the line
    for initials and time, or who did it and when."""
    notes = "".join(f"<p class='note'>Note: {escape(text)}</p>"
                    for text in (state.notes if state else ()))
    return (f"{STEP_TABLE}<tr>"
            f"<td width='6%' {RULE}><a name='{BOX_ANCHOR}{number}'></a>&nbsp;</td>"
            f"<td width='60%' {RULE}>{step.html}{notes}</td>"
            f"<td width='34%' {RULE}>{sign_html(state, handover)}</td></tr></table>")


def sign_html(state: StepState | None, handover: bool) -> str:
    if state is None or state.status == "open" and not state.at_once:
        return f"<span class='sign'>{BLANK_SIGN}</span>"
    return f"<span class='signed'>{escape(attribution(state))}</span>"


def attribution(state: StepState) -> str:
    """'Done by Ann Lee (Incident Commander) at 14:03'; 'N/A by …'; done before: both times;
    ', on laptop …' when another laptop wrote it (paper's states name only other laptops:
    laptops.printed_states), and what another laptop did to it at the same time."""
    who = state.operator or "someone not named"
    if state.position:
        who += f" ({state.position})"
    when = short_time(state.occurred_at or state.entered_at)
    if state.status == "N/A":
        text = f"N/A by {who} at {when}"
    elif state.status == "open":
        text = f"Undone by {who} at {when}"
    else:
        text = f"Done by {who} at {when}"
    if state.status == "done before" and state.occurred_at:
        text += f" (logged at {short_time(state.entered_at)})"
    if state.device:
        text += f", on laptop {state.device}"
    for status, operator, position, entered_at, device in state.at_once:
        other = f"{operator} ({position})" if position else operator or "someone not named"
        where = f"laptop {device}" if device else "this laptop"
        text += (f". CHANGED AT THE SAME TIME on {where}: {STATUS_WORDS.get(status, status)} "
                 f"by {other} at {short_time(entered_at)}")
    return text


STATUS_WORDS = {"done": "done", "N/A": "N/A", "done before": "done earlier", "open": "undone"}


def short_time(stamp: str) -> str:
    """'14:03' for today, '2026-05-01 14:03' for another day (local, 24-hour)."""
    shown = local_minutes(stamp)
    today = dt.datetime.now().astimezone().strftime("%Y-%m-%d")
    return shown[11:] if shown.startswith(today) else keep(shown)


def progress_text(done: Progress) -> str:
    return f"{done.done} done · {done.not_applicable} N/A · {done.open} open"


def cover_html(agency: str, revision: str, printed: str, packs: list[str]) -> str:
    agency_line = f"<p align='center' class='cover-agency'>{escape(agency)}</p>" if agency else ""
    pack_line = (f"<p align='center' class='cover-line'>With the agency's own pages: "
                 f"{escape(', '.join(packs))}</p>" if packs else "")
    return (f"<p style='margin-top: 180px'>&nbsp;</p>{agency_line}"
            "<p align='center' class='cover-title'>Incident Response Binder</p>"
            "<p align='center' style='margin-top: 30px' class='cover-line'>"
            f"Content revision {escape(revision or 'not recorded')}</p>"
            f"<p align='center' class='cover-line'>Printed {escape(printed)}</p>{pack_line}"
            "<p align='center' style='margin-top: 200px' class='cover-note'>"
            "The paper copy for when the laptop is down. Tick a step with a pen and write your "
            "initials and the time beside it.<br>The laptop's binder may be newer than this copy: "
            "check the revision above.</p>")


@dataclass(frozen=True)
class TocEntry:
    title: str
    page: int  # the paper page it starts on, counted from 1
    section: bool = False


def toc_html(entries: list[TocEntry]) -> str:
    rows = []
    for entry in entries:
        if entry.section:
            rows.append(f"<tr><td colspan='2' style='padding-top: 10px'><span class='toc-section'>"
                        f"{escape(entry.title)}</span></td>"
                        f"<td align='right' style='padding-top: 10px'><span class='toc-section'>"
                        f"{entry.page}</span></td></tr>")
        else:
            rows.append(f"<tr><td width='4%'></td><td>{escape(entry.title)}</td>"
                        f"<td align='right' width='{TOC_NUMBER_WIDTH}'>{entry.page}</td></tr>")
    return ("<h1>Contents</h1><p class='meta'>Each page of the binder starts on a new sheet; "
            "the number is the sheet it starts on (see the foot of every sheet).</p>"
            f"<table width='100%' cellspacing='0' cellpadding='2'>{''.join(rows)}</table>")


@dataclass(frozen=True)
class HandoverFacts:
    incident: Incident
    printed_at: str
    printed_by: str
    revision: str
    chain: ChainReport
    checklists: list[tuple[str, str]]  # (title, progress line)
    missing: list[str]  # ids of touched pages no longer in this binder
    deadlines: str = ""  # the "Funding deadlines" section (deadline_words.deadlines_html)


def handover_html(facts: HandoverFacts) -> str:
    incident = facts.incident
    mark = (f"<p align='center' class='exercise'>{EXERCISE_MARK}</p>"
            if incident.exercise else "")
    word = " (EXERCISE)" if incident.exercise else ""
    rows = [("Incident", incident.name + word),
            ("Type and location", ", ".join(p for p in (incident.type, incident.location) if p)
             or "not given"),
            ("Started", f"{started_text(incident)} by {incident.started_by}"),
            ("Status", f"closed {local_minutes(incident.closed_at)}" if incident.closed_at
             else "open"),
            ("Printed at", facts.printed_at + " (local time, 24-hour)"),
            ("Printed by", facts.printed_by or "not recorded"),
            ("Content revision", revision_text(facts.revision, incident.content_revision)),
            ("Agency packs at start", packs_text(incident))]
    table = "".join(f"<tr><th width='28%'>{escape(k)}</th><td>{escape(v)}</td></tr>"
                    for k, v in rows)
    checklists = "".join(f"<tr><td>{escape(title)}</td><td>{escape(line)}</td></tr>"
                         for title, line in facts.checklists)
    missing = (f"<p>Touched pages no longer in this binder: {escape(', '.join(facts.missing))}</p>"
               if facts.missing else "")
    return (f"{mark}<h1>Shift handover — {escape(incident.name)}</h1>"
            f"{CONTENT_TABLE}{table}</table>{chain_html(facts.chain)}"
            "<h2>Checklists worked in this incident</h2>"
            + (f"{CONTENT_TABLE}<tr><th width='60%'>Checklist</th><th>Progress</th></tr>"
               f"{checklists}</table>" if checklists else "<p>No step has been ticked yet.</p>")
            + missing
            + "<p class='meta'>Each checklist follows on its own sheets: a ticked box was done "
              "(N/A: crossed out), an empty box is still open.</p>" + facts.deadlines)


def started_text(incident: Incident) -> str:
    """The start in this laptop's time, and where it happened when that was another zone."""
    here = local_minutes(incident.started_at)
    if not OFFSET.match(incident.utc_offset or ""):
        return here
    moment = dt.datetime.fromisoformat(incident.started_at)
    there = moment.astimezone(dt.datetime.strptime(incident.utc_offset, "%z").tzinfo)
    if there.utcoffset() == moment.astimezone().utcoffset():
        return here
    return (f"{here} ({there.strftime('%Y-%m-%d %H:%M')} where it happened, "
            f"UTC{incident.utc_offset})")


def revision_text(now: str, at_start: str) -> str:
    if not at_start or at_start == now:
        return now or "not recorded"
    return f"{now} (the incident started on content revision {at_start})"


def chain_html(chain: ChainReport) -> str:
    combined = (f"<br>Combined digest of {len(chain.laptops)} laptops' chains: "
                f"<span class='hash'>{escape(chain.combined)}</span>" if chain.combined else "")
    if chain.intact:
        return (f"<p>Journal chain: intact, {chain.count} entries, head "
                f"<span class='hash'>{escape(chain.head)}</span>{combined}</p>")
    return (f"<p class='broken'>Journal chain: BROKEN: {escape(chain.problem)}; head now "
            f"<span class='hash'>{escape(chain.head)}</span>{combined}</p>")

"""Funding deadlines in front matter: counted by hand-computed dates (leap years, month ends),
checked by `binder check` at the entry's line, stored in content.db and read back."""

import datetime as dt
import sqlite3

import pytest

from binder.content.build import build_store
from binder.content.check import check_content
from binder.content.deadlines import Deadline, count
from binder.content.store import ContentStore
from tests.conftest import FUNDING, SAMPLE_PAGES, write_pages

D = dt.date


@pytest.mark.parametrize("start, after, unit, due", [
    (D(2026, 11, 28), 10, "days", D(2026, 12, 8)),   # the starting day is not counted
    (D(2028, 2, 25), 10, "days", D(2028, 3, 6)),     # 2028 is a leap year: 29 Feb counts
    (D(2027, 2, 25), 10, "days", D(2027, 3, 7)),     # 2027 is not
    (D(2026, 12, 28), 10, "days", D(2027, 1, 7)),    # across the new year
    (D(2028, 2, 29), 3, "years", D(2031, 2, 28)),    # no 29 Feb in 2031: the earlier date
    (D(2028, 2, 29), 4, "years", D(2032, 2, 29)),    # 2032 has one
    (D(2029, 2, 28), 1, "years", D(2030, 2, 28)),
    (D(2027, 2, 28), 1, "years", D(2028, 2, 28)),    # not moved to 29 Feb
    (D(2026, 11, 26), 3, "years", D(2029, 11, 26)),
    (D(2027, 5, 31), 9, "months", D(2028, 2, 29)),   # no 31 Feb: the month's last day
    (D(2026, 5, 31), 9, "months", D(2027, 2, 28)),
    (D(2026, 1, 31), 1, "months", D(2026, 2, 28)),
    (D(2026, 11, 26), 18, "months", D(2028, 5, 26)),
    (D(2026, 10, 31), 36, "months", D(2029, 10, 31)),
    (D(2026, 12, 15), 1, "months", D(2027, 1, 15)),  # December to January
    (D(2026, 11, 30), 33, "days", D(2027, 1, 2)),
])
def test_deadlines_fall_on_the_hand_computed_dates(start, after, unit, due):
    assert count(start, after, unit) == due


def test_an_unknown_unit_is_refused():
    with pytest.raises(ValueError):
        count(D(2026, 1, 1), 1, "weeks")


def funding(front: str) -> dict[str, str]:
    """The sample pages with the funding page's dates and deadlines replaced by `front`."""
    head, rest = FUNDING.split("dates:\n", 1)
    return {**SAMPLE_PAGES, "funding/eflea.md": head + front + "reviewed:" +
            rest.split("reviewed:", 1)[1]}


def errors(tmp_path, front: str) -> list[str]:
    folder = write_pages(tmp_path / "content", funding(front))
    return [str(f) for f in check_content(folder) if not f.warning]


def test_the_sample_deadline_is_stored_and_read_back(tmp_path, content_db):
    store = ContentStore(content_db)
    try:
        doc = store.document("eflea")
        assert doc.dates == {"received": "the date BJA received the request"}
        assert doc.deadlines == (Deadline("BJA decides on the request", 10, "days", "received",
                                          "34 U.S.C. 50101(b), in force in 2026"),)
        assert store.deadline_pages() == ["eflea"]
        assert store.document("tourniquet").deadlines == ()
    finally:
        store.close()


# Front matter lines: 1 '---', 2-7 title..roles, 8 sources, 9-10 the source, 11 the first key
# written here, 12 a first entry under it.
@pytest.mark.parametrize("front, message", [
    ("deadlines:\n  - what: Decision\n    after: 10 days\n    from: incident\n",
     "funding/eflea.md:12: a deadline needs 'source'"),
    ("deadlines:\n  - what: Decision\n    after: ten days\n    from: incident\n"
     "    source: BJA (2026)\n",
     "funding/eflea.md:12: 'after: ten days' must be a number of days, months or years, "
     "e.g. '10 days'"),
    ("deadlines:\n  - what: Decision\n    after: 10 weeks\n    from: incident\n"
     "    source: BJA (2026)\n",
     "funding/eflea.md:12: 'after: 10 weeks' must be a number of days, months or years, "
     "e.g. '10 days'"),
    ("deadlines:\n  - what: Decision\n    after: 0 days\n    from: incident\n"
     "    source: BJA (2026)\n",
     "funding/eflea.md:12: 'after: 0 days' must be from 1 to 3660 days"),
    ("deadlines:\n  - what: Decision\n    after: 10 days\n    from: received\n"
     "    source: BJA (2026)\n",
     "funding/eflea.md:12: 'from: received' is not 'incident', 'not given' or a name under "
     "'dates' (none on this page)"),
    ("deadlines:\n  - what: Decision\n    after: 10 days\n    from: incident\n"
     "    source: BJA overview\n",
     "funding/eflea.md:12: a deadline's 'source' must give the year it holds for, e.g. "
     "'28 CFR 32.12, in force in 2026'"),
    ("deadlines:\n  - what: Request\n    from: not given\n    source: BJA (2026)\n",
     "funding/eflea.md:12: 'from: not given' needs a 'note' saying that the source does not "
     "say when the time starts"),
    ("deadlines:\n  - what: Decision\n    from: incident\n    source: BJA (2026)\n",
     "funding/eflea.md:12: a deadline needs 'after' (e.g. '10 days'), unless 'from' is "
     "'not given'"),
    ("deadlines:\n  - what: Decision\n    after: 10 days\n    from: incident\n"
     "    source: BJA (2026)\n    by: tomorrow\n",
     "funding/eflea.md:12: unknown key 'by' in a deadline (use: what, after, from, source, "
     "note, whichever_later)"),
    ("deadlines:\n  - what: Decision\n    after: 10 days\n    from: incident\n"
     "    source: BJA (2026)\n    whichever_later: decision\n",
     "funding/eflea.md:11: 'whichever_later: decision' names one deadline only: give the same "
     "name to each deadline of which the later applies"),
    ("deadlines: 10 days\n",
     "funding/eflea.md:11: 'deadlines' must be a list of '- what: ...' entries"),
    ("dates:\n  received: the date BJA received it\ndeadlines:\n  - what: Decision\n"
     "    after: 10 days\n    from: incident\n    source: BJA (2026)\n",
     "funding/eflea.md:11: date 'received' is not used by any deadline's 'from'"),
    ("dates:\n  Received On: the date\ndeadlines:\n  - what: Decision\n"
     "    after: 10 days\n    from: incident\n    source: BJA (2026)\n",
     "funding/eflea.md:11: date name 'Received On' must be lowercase letters, digits and "
     "hyphens (and not 'incident')"),
])
def test_a_wrong_deadline_is_an_error_at_its_line(tmp_path, front, message):
    assert errors(tmp_path, front) == [message]
    folder = tmp_path / "content"
    assert not [f for f in check_content(folder) if f.warning]  # not also "no deadlines"


def test_each_entry_is_reported_at_its_own_line(tmp_path):
    front = ("deadlines:\n"
             "  - what: First\n    after: 10 days\n    from: incident\n    source: BJA (2026)\n"
             "  - what: Second\n    after: 3 yrs\n    from: incident\n    source: BJA (2026)\n")
    assert errors(tmp_path, front) == [
        "funding/eflea.md:16: 'after: 3 yrs' must be a number of days, months or years, "
        "e.g. '10 days'"]


def test_a_wrong_deadline_stops_the_build_and_leaves_no_file(tmp_path):
    from binder.content.content import ContentErrors

    folder = write_pages(tmp_path / "content", funding(
        "deadlines:\n  - what: Decision\n    after: 10 days\n    from: incident\n"))
    with pytest.raises(ContentErrors, match="funding/eflea.md:12: a deadline needs 'source'"):
        build_store(folder, tmp_path / "content.db")
    assert not (tmp_path / "content.db").exists()


def test_a_funding_page_without_deadlines_is_a_warning(tmp_path):
    folder = write_pages(tmp_path / "content", funding(""))
    found = [str(f) for f in check_content(folder)]
    assert found == ["funding/eflea.md:3: warning: a funding page with no 'deadlines': write "
                     "each deadline its sources give (or 'from: not given' with a note saying "
                     "there is none), so Incident > Deadlines can show it"]


def test_content_of_version_3_is_still_read_without_deadlines(tmp_path, content_db):
    """An agency pack built before deadlines existed stays readable after the update."""
    old = tmp_path / "old.db"
    with sqlite3.connect(content_db) as source, sqlite3.connect(old) as target:
        source.backup(target)
    with sqlite3.connect(old) as conn:
        conn.execute("DROP TABLE deadlines")
        conn.execute("PRAGMA user_version = 3")
    conn.close()
    store = ContentStore(old)
    try:
        assert store.version == 3
        assert store.document("eflea").deadlines == ()
        assert store.deadline_pages() == []
    finally:
        store.close()


def test_the_shipped_funding_pages_give_their_deadlines(shipped_db):
    store = ContentStore(shipped_db)
    try:
        eflea, psob = store.document("eflea"), store.document("psob")
        decision = next(d for d in eflea.deadlines if d.start == "received")
        assert (decision.after, decision.unit) == (10, "days")
        assert "50101(b)" in decision.source
        assert {(d.start, d.length) for d in psob.deadlines} == {
            ("death", "3 years"), ("injury", "3 years"), ("other-benefits", "1 year"),
            ("denial-letter", "33 days")}
        aeap = store.document("aeap").deadlines
        assert [(d.length, d.start) for d in aeap] == [
            ("9 months", "not given"), ("18 months", "not given"), ("36 months", "not given")]
        assert all("does not" in d.note or "not the date" in d.note for d in aeap)
        assert set(store.deadline_pages()) == {"eflea", "aeap", "psob", "victim-compensation"}
    finally:
        store.close()

"""A new content.db (a new Binder) keeps contacts, packs, incidents and every event."""

from binder.content.build import build_store
from binder.content.packs import add_pack, list_packs
from binder.journal.contacts import Contact, ContactBook
from binder.journal.incidents import incidents_from, step_states
from binder.journal.journal import Journal, Operator
from binder.paths import pack_paths
from binder.search.library import Library
from tests.conftest import CHECKLIST, SAMPLE_PAGES, write_pages

AGENCY_PAGE = """\
---
title: County lockdown SOP
kind: checklist
section: Response
summary: The county's own lockdown steps.
tags: [lockdown, SOP]
roles: [Incident Commander]
sources:
  - name: County Sheriff's Office SOP 12
    url: https://example.org/sop-12
reviewed: 2026-11-01
---
## Lock down
- [ ] Order the lockdown over the county channel {#order}
"""


def test_everything_a_person_added_survives_a_new_content_db(tmp_path):
    shipped, data = tmp_path / "content.db", tmp_path / "data"
    build_store(write_pages(tmp_path / "v1", SAMPLE_PAGES), shipped)

    journal = Journal(data / "journal.db")
    journal.set_operator(Operator("Ann Lee", "Incident Commander", "County SO"))
    library = Library.open(shipped)
    book = ContactBook(journal)
    book.seed_from(library.shipped)
    book.add(Contact(0, "Incident Commander", "Dana Ruiz", "County SO", "555 010 2000", "",
                     "", "", "", "", 0))
    add_pack(write_pages(tmp_path / "pack", {"sop/lockdown.md": AGENCY_PAGE}), data,
             name="County SOPs", known_ids=["tourniquet", "eflea"])
    incident = journal.start_incident("Mall shooting", content_revision=library.revision)
    incident_id = incident.incident_id
    journal.tick_step(incident_id, "eflea", "eflea/letter",
                      "Send the signed request letter to the BJA Director")
    journal.tick_step(incident_id, "tourniquet", "tourniquet/cover", "Move to cover if you can")
    journal.tick_step(incident_id, "lockdown", "lockdown/order",
                      "Order the lockdown over the county channel")
    journal.close()
    library.close()

    # version 2: the EFLEA page is gone and a tourniquet step was reworded
    v2 = dict(SAMPLE_PAGES)
    del v2["funding/eflea.md"]
    v2["casualty-care/tourniquet.md"] = CHECKLIST.replace(
        "Move to cover if you can", "Move to hard cover if you can")
    build_store(write_pages(tmp_path / "v2", v2), shipped)

    journal = Journal(data / "journal.db")
    library = Library.open(shipped, pack_paths(data))
    assert library.document("eflea") is None
    assert library.document("tourniquet").steps[0].text == "Move to hard cover if you can"
    assert [c.name for c in ContactBook(journal).contacts("Ruiz")] == ["Dana Ruiz"]
    assert [p.name for p in list_packs(data)] == ["County SOPs"]
    assert library.search("lockdown").hits[0].doc_id == "lockdown"
    [incident] = incidents_from(journal.events())
    assert incident.is_open and incident.name == "Mall shooting"
    states = step_states(journal.events(incident_id))
    assert {k for k, v in states.items() if v.done} == {
        "eflea/letter", "tourniquet/cover", "lockdown/order"}
    texts = {e.step_id: e.step_text for e in journal.events(incident_id) if e.step_id}
    assert texts["eflea/letter"] == "Send the signed request letter to the BJA Director"
    assert texts["tourniquet/cover"] == "Move to cover if you can"  # as it was when ticked
    journal.close()
    library.close()

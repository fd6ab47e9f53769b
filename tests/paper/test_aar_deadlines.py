"""The after-action draft's "Funding deadlines" list, read back from the PDF: the handover's
rows, with dates counted by hand across a leap day."""

import datetime as dt

from binder.content.store import ContentStore
from binder.journal.deadline_dates import record_date
from binder.journal.incidents import incidents_from
from binder.journal.journal import INCIDENT_KINDS, Journal
from binder.paper.aar import after_action
from binder.paper.aar_pdf import export_aar_pdf
from binder.search.library import Library
from tests.paper.test_export import needs_pdftotext, pdf_text
from tests.paper.test_handover_deadlines import ANN, CARL, started_elsewhere, words


@needs_pdftotext
def test_the_draft_lists_the_funding_deadlines_as_the_record_stands(tmp_path, shipped_db):
    journal = Journal(tmp_path / "data" / "journal.db")
    journal.set_operator(ANN)
    field = Journal(tmp_path / "field" / "journal.db")
    field.set_operator(CARL)
    incident_id = started_elsewhere(journal, field, "2024-02-20T15:00:00.000+00:00", "-05:00")
    incident = next(iter(incidents_from(journal.events(incident_id, kinds=INCIDENT_KINDS))))
    record_date(journal, incident, "psob", "death", "the date of the officer's death",
                "2024-02-29")
    record_date(journal, incident, "eflea", "received", "the date BJA received the written "
                "request", "2024-02-25")
    library = Library(ContentStore(shipped_db))
    aar = after_action(journal, incident_id, library)
    target = tmp_path / "aar.pdf"
    export_aar_pdf(aar, target)
    text = words(pdf_text(target))
    listed = text[text.index("Funding deadlines"):text.index("Timeline (every laptop")]
    today = dt.date.today()
    assert "The incident started on 2024-02-20 where it happened (UTC-05:00)." in listed
    assert f"from {today.isoformat()}, the day this was drafted" in listed
    # 29 February 2024 + 3 years: 28 February 2027; 25 February 2024 + 10 days: 6 March
    death = (dt.date(2027, 2, 28) - today).days
    assert ("PSOB: File the death benefit claim, counting from the death: 2027-02-28 (Sun), "
            f"in {death} days; 3 years after the date of the officer's death (2024-02-29, "
            "recorded by Ann Lee). [28 CFR 32.12, in force in 2026]") in listed
    assert ("EFLEA: BJA approves or refuses the request: 2024-03-06 (Wed), passed "
            f"{(today - dt.date(2024, 3, 6)).days} days ago") in listed
    assert "PSOB: Appeal a denied claim: no date until the date on the PSOB Office's denial " \
           "letter is recorded (psob:denial-letter)" in listed
    assert "AEAP: Crisis response grant period: no date: up to 9 months; the source does not " \
           "say from when. [OVC, Types of assistance available through AEAP (2026)]" in listed
    assert "Note:" not in listed  # the short list: notes are on the pages and the handover
    library.close()
    field.close()
    journal.close()


@needs_pdftotext
def test_a_draft_without_a_binder_has_no_deadlines_list(tmp_path):
    journal = Journal(tmp_path / "journal.db")
    journal.set_operator(ANN)
    incident_id = journal.start_incident("North Mall").incident_id
    target = tmp_path / "aar.pdf"
    export_aar_pdf(after_action(journal, incident_id, None), target)
    assert "Funding deadlines" not in pdf_text(target)
    journal.close()

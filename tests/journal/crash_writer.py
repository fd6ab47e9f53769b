"""The journal writer that tests/journal/test_crash.py kills with SIGKILL.

Run as `python tests/journal/crash_writer.py JOURNAL_PATH INCIDENT_ID`: it opens the journal and
writes step events for the incident until it is killed, printing the id of each event on its
own line, flushed, only after the call that wrote it has returned (that is, after COMMIT).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root

from binder.journal.incidents import step_states  # noqa: E402
from binder.journal.journal import Journal  # noqa: E402

DOC_ID = "casualty-care/tourniquet"
STEPS = [
    ("cover", "Move to cover if you can"),
    ("apply-high", "Apply the tourniquet over clothing, high on the limb"),
    ("time", "Write the time on the tourniquet"),
    ("tighten", "Tighten until the bleeding stops — and then a little more"),
    ("second", "Apply a second tourniquet above the first if needed"),
]


def main(journal_path: str, incident_id: str) -> int:
    journal = Journal(Path(journal_path))
    if journal.recovered:
        print(journal.recovered, file=sys.stderr, flush=True)
        return 3
    # A tick needs an open step and an untick a done one (the journal refuses the others).
    done = {step_id for step_id, state in step_states(journal.events(incident_id)).items()
            if state.done}
    n = 0
    while True:
        step, text = STEPS[n % len(STEPS)]
        step_id = f"{DOC_ID}#{step}"
        if n % 3 == 2:
            event = journal.add_note(incident_id, f"note {n}: checked {step}", doc_id=DOC_ID,
                                     step_id=step_id, step_text=text)
        elif step_id in done:
            event = journal.untick_step(incident_id, DOC_ID, step_id, text)
            done.discard(step_id)
        else:
            event = journal.tick_step(incident_id, DOC_ID, step_id, text)
            done.add(step_id)
        print(event.id, flush=True)
        n += 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))

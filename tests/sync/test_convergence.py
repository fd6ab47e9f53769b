"""Several laptops, random entries, partial, duplicated and reordered deliveries: once every
segment has reached every laptop, all hold the same entries and show the same step states."""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from binder.journal.journal import JournalError
from binder.journal.state import JournalState
from tests.sync.conftest import make_laptop, put_on_roster

STEPS = ("s1", "s2")
ACTION = st.one_of(
    st.tuples(st.just("write"), st.integers(0, 2), st.sampled_from(("tick", "untick", "note")),
              st.sampled_from(STEPS)),
    st.tuples(st.just("export"), st.integers(0, 2)),
    st.tuples(st.just("carry"), st.integers(0, 2), st.integers(0, 2), st.integers(0, 2**16)),
    st.tuples(st.just("import"), st.integers(0, 2)),
)


def deliver(source, target, seed: int, share: float = 0.5) -> None:
    """Some of the source's sync folder's files (a random share, in a random order, some sent
    again) copied into the target's."""
    files = sorted((source.data / "sync" / "segments").rglob("*.seg"))
    rng = random.Random(seed)
    rng.shuffle(files)
    for path in files[:max(1, int(len(files) * share))] if share < 1 else files:
        dest = target.data / "sync" / "segments" / path.relative_to(
            source.data / "sync" / "segments")
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)


def step_states(laptop, incident):
    """Each step's state (two laptops' entries with the same clock included: see
    test_a_tie_of_clocks_between_two_laptops_shows_the_same_state)."""
    state = JournalState(laptop.journal).incident(incident)
    return {step: (value.status, value.operator, value.device)
            for step, value in state.step_states("active-assailant").items()}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ACTION, min_size=10, max_size=40))
def test_every_laptop_ends_with_the_same_entries_and_step_states(actions):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        laptops = [make_laptop(root, name, position) for name, position in
                   (("ann", "IC"), ("bob", "Operations"), ("cara", "PIO"))]
        put_on_roster(root, laptops)
        incident = laptops[0].journal.start_incident("School").incident_id
        laptops[0].sync.export()
        for other in laptops[1:]:
            deliver(laptops[0], other, 0, share=1)
            other.sync.import_all()
        for action in actions:
            kind, who = action[0], laptops[action[1]]
            if kind == "write":
                _, _, what, step = action
                try:
                    if what == "note":
                        who.journal.add_note(incident, "note")
                    else:
                        who.journal.step_event(what, incident, "active-assailant", step, step)
                except JournalError:  # refused: already done, or not done
                    pass
            elif kind == "export":
                who.sync.export()
            elif kind == "carry":
                deliver(who, laptops[action[2]], action[3])
            else:
                report = who.sync.import_all()
                assert report.refused == []
        for laptop in laptops:
            laptop.sync.export()
        for _ in range(2):  # everything everywhere, twice: duplicates change nothing
            for source in laptops:
                for target in laptops:
                    if source is not target:
                        deliver(source, target, 1, share=1)
            for laptop in laptops:
                report = laptop.sync.import_all()
                assert (report.refused, report.waiting) == ([], [])
        ids = [{e.id for e in laptop.journal.events(incident)} for laptop in laptops]
        assert ids[0] == ids[1] == ids[2]
        states = [step_states(laptop, incident) for laptop in laptops]
        assert states[0] == states[1] == states[2]
        for laptop in laptops:
            laptop.journal.close()


def test_a_tie_of_clocks_between_two_laptops_shows_the_same_state(tmp_path, monkeypatch):
    from binder.journal import hlc

    ann, bob = (make_laptop(tmp_path, n, p) for n, p in (("ann", "IC"), ("bob", "Operations")))
    put_on_roster(tmp_path, [ann, bob])
    incident = ann.journal.start_incident("School").incident_id
    ann.sync.export()
    deliver(ann, bob, 0, share=1)
    bob.sync.import_all()
    now = hlc.wall_ms() + 1000
    monkeypatch.setattr(hlc, "wall_ms", lambda: now)  # both tick in the same millisecond
    for laptop in (ann, bob):
        laptop.journal.step_event("tick", incident, "active-assailant", "s1", "s1")
        laptop.sync.export()
    deliver(ann, bob, 0, share=1)
    deliver(bob, ann, 0, share=1)
    for laptop in (ann, bob):
        assert laptop.sync.import_all().imported == 1
    states = [JournalState(laptop.journal).incident(incident).step_states("active-assailant")
              ["s1"].operator for laptop in (ann, bob)]
    assert states[0] == states[1]

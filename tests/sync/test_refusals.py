"""Segments that must not be trusted are refused with their reason, and everything else still
imports; one whose predecessor has not arrived waits; an unknown laptop waits to be let in."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from binder.journal import hlc
from binder.sync.keys import public_hex, trust_agency
from binder.sync.segment import SegmentError, decode, encode
from tests.sync.conftest import carry, make_laptop, put_on_roster


def three_segments(laptop) -> str:
    incident = laptop.journal.start_incident("School").incident_id
    laptop.sync.export()
    for text in ("Perimeter on Elm Street", "Staging at the church"):
        laptop.journal.add_note(incident, text)
        laptop.sync.export()
    return incident


def place(laptop, source, name=None, raw=None):
    """A file put into a laptop's sync folder under the same incident/device path (or `name`)."""
    base = laptop.data / "sync" / "segments"
    rel = source.relative_to(source.parents[2])
    dest = base / (name or rel)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(source.read_bytes() if raw is None else raw)
    return dest


def header_of(path):
    segment = decode(path.read_bytes())
    return {k: v for k, v in segment.header.items() if k not in ("format", "events")}, segment


def test_every_byte_changed_is_refused(pair):
    ann, _ = pair
    three_segments(ann)
    raw = ann.segments()[1].read_bytes()
    decode(raw)
    for index in range(len(raw)):
        changed = raw[:index] + bytes([raw[index] ^ 0x01]) + raw[index + 1:]
        with pytest.raises(SegmentError):
            decode(changed)


@pytest.mark.parametrize("damage", ["tampered", "truncated", "empty"])
def test_a_damaged_segment_is_refused_set_aside_and_the_rest_still_imports(tmp_path, damage):
    ann, bob, cara = (make_laptop(tmp_path, n, p) for n, p in
                      (("ann", "IC"), ("bob", "Operations"), ("cara", "PIO")))
    put_on_roster(tmp_path, [ann, bob, cara])
    incident = three_segments(ann)
    carry(ann, cara)
    cara.sync.import_all()
    cara.journal.add_note(incident, "Media staging at the library")
    cara.sync.export()
    first, second, third = ann.segments()
    raw = second.read_bytes()
    raw = {"tampered": raw.replace(b"Elm", b"Oak"), "truncated": raw[:len(raw) // 2],
           "empty": b""}[damage]
    for path in (first, third):
        place(bob, path)
    bad = place(bob, second, raw=raw)
    carry(cara, bob)
    report = bob.sync.import_all()
    assert [file for file, _ in report.refused] == [str(bad)]
    reason = report.refused[0][1]
    assert {"tampered": "changed after it was signed", "truncated": "cut short",
            "empty": "not a Binder segment"}[damage] in reason
    assert report.waiting == [(str(bad.with_name("000003.seg")),
                               f"it waits for segment 2 of laptop {ann.device}")]
    assert report.imported == 2  # Ann's first and Cara's
    notes = [e.data["text"] for e in bob.journal.events(incident, kinds=("note",))]
    assert notes == ["Media staging at the library"]
    assert not bad.exists()
    aside = list((bob.data / "sync" / "refused").glob("*.seg"))
    assert [p.read_bytes() for p in aside] == [raw]
    assert reason in aside[0].with_suffix(".why.txt").read_text()
    place(bob, second)  # the good one arrives after all
    report = bob.sync.import_all()
    assert (report.imported, report.refused, report.waiting) == (2, [], [])


def test_a_segment_signed_again_with_another_key_is_refused(pair):
    ann, bob = pair
    three_segments(ann)
    first, second, _ = ann.segments()
    header, segment = header_of(second)
    other = Ed25519PrivateKey.generate()
    resigned = encode({**header, "public_key": public_hex(other)}, segment.events, other)
    forged = encode(header, segment.events, other)  # Ann's key named, another key's signature
    place(bob, first)
    bad = place(bob, second, raw=resigned)
    report = bob.sync.import_all()
    assert report.imported == 1
    assert report.refused == [(str(bad), f"it is signed with a key that is not laptop "
                                         f"{ann.device}'s key on the roster")]
    bad = place(bob, second, raw=forged)
    assert "signature does not match" in bob.sync.import_all().refused[0][1]


def test_a_segment_under_another_name_is_refused(pair):
    ann, bob = pair
    three_segments(ann)
    first, second, _ = ann.segments()
    place(bob, first)
    bad = place(bob, first, name=f"{second.parent.parent.name}/{ann.device}/000002.seg")
    report = bob.sync.import_all()
    assert report.imported == 1
    assert report.refused[0][0] == str(bad)
    assert report.refused[0][1].startswith("its name does not match what it holds (segment 1")


def test_a_gap_waits_and_imports_when_the_missing_segment_arrives(pair):
    ann, bob = pair
    incident = three_segments(ann)
    first, second, third = ann.segments()
    place(bob, first)
    place(bob, third)
    report = bob.sync.import_all()
    assert report.imported == 1 and report.refused == []
    assert report.waiting == [(str(bob.data / "sync" / "segments" / incident / ann.device /
                                   "000003.seg"), f"it waits for segment 2 of laptop {ann.device}")]
    assert bob.sync.import_all().imported == 0  # still waiting, nothing else happens
    place(bob, second)
    report = bob.sync.import_all()
    assert (report.imported, report.waiting) == (2, [])
    assert len(bob.journal.chain_events(incident, ann.device)) == 3


def test_a_second_different_segment_with_a_number_already_here_is_refused(pair, tmp_path):
    ann, bob = pair
    incident = three_segments(ann)
    carry(ann, bob)
    assert bob.sync.import_all().imported == 3
    # Ann's laptop put back to an old copy of its journal writes "segment 3" again, differently
    header, segment = header_of(ann.segments()[2])
    event = {**segment.events[0], "id": "other-id", "data": {"text": "Staging at the school"}}
    import json

    from binder.journal.journal import event_hash
    event["hash"] = event_hash(event["prev_hash"], {**event, "data": json.dumps(
        event["data"], sort_keys=True, ensure_ascii=False)})
    fork = encode(header, [event], ann.sync.key)
    stick = tmp_path / "stick" / "binder-sync" / "segments" / incident / ann.device
    stick.mkdir(parents=True)
    (stick / "000003.seg").write_bytes(fork)
    report = bob.sync.import_from(tmp_path / "stick")
    assert report.imported == 0
    assert report.refused == [(str(stick / "000003.seg"),
                               f"a different segment 3 of laptop {ann.device} is already here: "
                               "this one is a history written again or forked")]
    header4 = {**header, "number": 4, "previous": "0" * 64}
    (stick / "000004.seg").write_bytes(encode(header4, [event], ann.sync.key))
    (stick / "000003.seg").unlink()
    report = bob.sync.import_from(tmp_path / "stick")
    assert "does not follow segment 3" in report.refused[0][1]
    assert (stick / "000004.seg").exists()  # a stick is copied from, never changed


def test_an_unknown_laptop_waits_until_it_is_let_in_then_imports(tmp_path, pair):
    ann, bob = pair
    dan = make_laptop(tmp_path, "dan", "Logistics")  # a laptop from outside the agency
    trust_agency(dan.data, tmp_path / "agency.key.pub")
    dan.sync.put_roster(tmp_path / "roster.json")
    incident = ann.journal.start_incident("School").incident_id
    ann.sync.export()
    carry(ann, dan)
    dan.sync.import_all()
    dan.journal.add_note(incident, "Buses at the depot")
    dan.sync.export()
    carry(dan, bob)
    carry(ann, bob)
    report = bob.sync.import_all()
    assert report.imported == 1
    assert report.unknown == [(dan.device, "dan-laptop", "Logistics", incident)]
    assert "is not on this incident's roster" in report.waiting[0][1]
    assert [(lap.device, lap.on_roster) for lap in bob.sync.laptops(incident)
            if lap.device == dan.device] == [(dan.device, False)]
    event = bob.sync.admit(incident, dan.device)
    assert event.kind == "roster" and event.data["public_key"] == public_hex(dan.sync.key)
    report = bob.sync.import_all()
    assert (report.imported, report.unknown, report.waiting) == (1, [], [])
    bob.sync.export()
    carry(bob, ann)  # Bob's segment (the roster event) and Dan's, in one import on Ann's
    carry(dan, ann)
    report = ann.sync.import_all()
    assert (report.imported, report.unknown, report.refused) == (2, [], [])
    assert [e.data["text"] for e in ann.journal.events(incident, kinds=("note",))] == [
        "Buses at the depot"]


def test_a_clock_far_ahead_is_flagged_and_entries_after_the_close_are_kept(pair, monkeypatch):
    ann, bob = pair
    incident = ann.journal.start_incident("School").incident_id
    ann.sync.export()
    carry(ann, bob)
    bob.sync.import_all()
    real = hlc.wall_ms
    monkeypatch.setattr(hlc, "wall_ms", lambda: real() + 10 * 60_000)  # Bob's clock 10 min ahead
    bob.journal.add_note(incident, "Written on a laptop cut off from the others")
    monkeypatch.setattr(hlc, "wall_ms", real)
    bob.sync.export()
    ann.journal.close_incident(incident)
    carry(bob, ann)
    report = ann.sync.import_all()
    assert report.imported == 1
    assert [device for device, _ in report.clock] == [bob.device]
    assert 9 * 60_000 < report.clock[0][1] <= 10 * 60_000
    assert report.after_close == [(incident, bob.device, 1)]
    notes = [e.data["text"] for e in ann.journal.events(incident, kinds=("note",))]
    assert notes == ["Written on a laptop cut off from the others"]
    fresh = ann.reopen()  # worked out again from what is stored
    [laptop] = [lap for lap in fresh.sync.laptops(incident) if lap.device == bob.device]
    assert 9 * 60_000 < laptop.clock_ahead_ms <= 10 * 60_000 and laptop.on_roster


def test_a_segment_claiming_to_be_this_laptop_is_refused(pair):
    ann, bob = pair
    three_segments(ann)
    first = ann.segments()[0]
    header, segment = header_of(first)
    events = [{**event, "device": bob.device} for event in segment.events]
    raw = encode({**header, "device": bob.device}, events, ann.sync.key)
    bad = place(bob, first, name=f"{first.parent.parent.name}/{bob.device}/000001.seg", raw=raw)
    report = bob.sync.import_all()
    assert report.refused == [(str(bad), "it claims to come from this laptop, which did not "
                                         "write it")]


def test_a_file_too_big_to_be_a_segment_is_refused_unread(pair, monkeypatch):
    from binder.sync import importer

    ann, bob = pair
    three_segments(ann)
    first, second, _ = ann.segments()
    place(bob, first)
    monkeypatch.setattr(importer, "MAX_SEGMENT_BYTES", len(first.read_bytes()))
    big = place(bob, second, raw=second.read_bytes() + b"x" * len(first.read_bytes()))
    report = bob.sync.import_all()
    assert report.imported == 1
    assert report.refused == [(str(big), "it is larger than any segment Binder writes (0 MiB)")]


def test_a_long_backlog_goes_out_in_segments_of_at_most_max_entries(pair, monkeypatch):
    from binder.sync import export

    ann, bob = pair
    monkeypatch.setattr(export, "MAX_ENTRIES", 2)
    incident = ann.journal.start_incident("School").incident_id
    for n in range(4):
        ann.journal.add_note(incident, f"note {n}")
    assert [ann.sync.export() for _ in range(4)] == [1, 1, 1, 0]
    assert [len(decode(p.read_bytes()).events) for p in ann.segments()] == [2, 2, 1]
    carry(ann, bob)
    assert bob.sync.import_all().entries == 5


def test_a_signed_segment_spelling_a_lone_surrogate_is_refused_in_words(pair):
    """JSON can spell text no journal can hold (a lone surrogate): a laptop on the roster that
    wrote one (a bug, or on purpose) gets its segment refused with the reason, not a traceback."""
    ann, bob = pair
    incident = three_segments(ann)
    carry(ann, bob)
    assert bob.sync.import_all().imported == 3
    ann.journal.add_note(incident, "PLACEHOLDER")
    ann.sync.export()
    newest = sorted(ann.segments())[-1]
    body = newest.read_bytes()
    body = body[:body.rfind(b"signature ")].replace(b"PLACEHOLDER", b"\\ud800")
    raw = body + b"signature " + ann.sync.key.sign(body).hex().encode() + b"\n"
    place(bob, newest, raw=raw)
    report = bob.sync.import_all()
    assert report.imported == 0
    assert [why for _, why in report.refused] and "not valid Unicode" in report.refused[0][1]

"""The header every page shows: kind, section and a quiet line on its last review."""

import datetime as dt

from binder.content.pages import review_note


def test_a_recent_review_is_just_its_date():
    assert review_note("2026-11-01", today=dt.date(2026, 11, 23)) == "last reviewed 2026-11-01"


def test_an_old_review_is_marked_quietly():
    assert review_note("2025-10-01", today=dt.date(2026, 11, 23)) == (
        "last reviewed 2025-10-01 (over 12 months ago: check it before relying on it)")

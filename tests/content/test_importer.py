"""Reading a pack folder: Binder pages held to content/'s rules, outside Markdown taken in."""

import datetime as dt
import re
from collections import Counter

import pytest

from binder.content.importer import read_pack_folder
from binder.content.limits import MAX_PAGE_BYTES
from binder.content.render import render_markdown
from tests.conftest import CHECKLIST, GUIDE, PAGERDUTY, write_pages

TODAY = dt.date(2026, 11, 23)
SHIPPED = {"tourniquet", "casualty-guide", "command-post-contacts", "eflea", "glossary"}

AGENCY_CHECKLIST = """\
---
title: Lockdown
kind: checklist
section: Response
summary: Lock the building down and account for everyone.
tags: [lockdown]
roles: [Any officer]
sources:
  - name: County plan
    url: https://example.org/plan
reviewed: 2026-10-01
owner: Training unit
revision: 7
---
## First minutes
- [ ] Announce the lockdown on the radio {#announce}
- [ ] Read the [guide](../guides/shelter.md#rooms) first {#guide}
- [ ] Apply a [tourniquet](../../content/casualty-care/tourniquet.md) if needed {#tq}
"""

AGENCY_GUIDE = """\
---
title: Shelter in place
kind: guide
section: Response
summary: Which rooms to use.
tags: [shelter]
sources:
  - name: County plan
    url: https://example.org/plan
reviewed: 2026-10-01
---
## Rooms
Interior rooms without windows.
"""


def read(folder, **kwargs):
    kwargs.setdefault("known_ids", SHIPPED)
    return read_pack_folder(folder, today=TODAY, name="County", **kwargs)


def lines(findings) -> list[str]:
    return [str(f) for f in findings]


@pytest.mark.skipif(not PAGERDUTY.is_dir(), reason="the shared fixtures are not here")
def test_the_pagerduty_docs_import_as_guides_with_one_warning_each():
    result = read(PAGERDUTY)
    assert result.errors == []
    assert len(result.docs) == 36
    assert Counter(f.path for f in result.warnings) == Counter(d.path for d in result.docs)
    assert all(f.line == 1 and "imported as a guide titled" in f.message
               for f in result.warnings)
    assert {(d.kind, d.section) for d in result.docs} == {("guide", "County")} | {
        ("guide", f"County › {folder}") for folder in (
            "After", "Before", "Crisis", "During", "Oncall", "Resources", "Training")}
    by_path = {d.path: d for d in result.docs}
    assert "training/courses/incident_response.md" in by_path  # two folders down
    # A title from the front matter, from the heading a page opens with, from the file name.
    assert by_path["training/courses/incident_response.md"].title == "Incident Response Training"
    assert by_path["crisis/operations.md"].title == "Operationalizing Your Crisis Plan"
    assert by_path["training/subject_matter_expert.md"].title == "Subject matter expert"
    assert all(d.summary and len(d.summary) <= 160 for d in result.docs)
    assert all(d.reviewed == "" and d.tags == [] for d in result.docs)  # nobody said
    assert by_path["index.md"].sources[0].name == "County (agency content)"
    # The glossary does not take the binder's own glossary's place; links to it follow it.
    glossary = by_path["training/glossary.md"]
    assert glossary.id == "training-glossary"
    assert "('glossary')" not in str(result.warnings) and "the id 'glossary'" in next(
        f.message for f in result.warnings if f.path == glossary.path)
    complex_page = by_path["before/complex_incidents.md"]
    assert ("binder:training-glossary#span-of-control", 5) in complex_page.links
    # MkDocs' "page.md/#part" and "/folder/page/#part" links reach the page.
    assert "binder:different-roles#incident-commander-ic" in [t for t, _ in glossary.links]
    anti = by_path["resources/anti_patterns.md"]
    assert "binder:different-roles#incident-commander-ic" in [t for t, _ in anti.links]


@pytest.mark.skipif(not PAGERDUTY.is_dir(), reason="the shared fixtures are not here")
def test_pagerduty_admonitions_render_as_notes_not_as_text():
    doc = next(d for d in read(PAGERDUTY).docs if d.path == "before/severity_levels.md")
    html = "".join(render_markdown(b.md, doc.path) for b in doc.blocks if b.md)
    assert '<div class="admonition tip">' in html and "Always Assume The Worst" in html
    assert "!!!" not in html


def test_a_page_without_front_matter_becomes_a_guide(tmp_path):
    folder = write_pages(tmp_path / "pack", {
        "notes/Radio plan.md": "# Radio plan\n\nUse **channel 2** for the [perimeter]"
                               "(https://example.org) teams.\nKeep it short.\n\n## Channels\n"
                               "!!! note\n    Test the radios.\n",
        "untitled_page.md": "Just some words.\n",
        "setext.md": "Evacuation routes\n=================\n\nNorth stairs first.\n",
        "long.md": "# Long\n\n" + "word " * 100 + "\n",
    })
    result = read(folder)
    assert result.errors == []
    by_path = {d.path: d for d in result.docs}
    radio = by_path["notes/Radio plan.md"]
    assert (radio.id, radio.title, radio.kind, radio.section) == (
        "radio-plan", "Radio plan", "guide", "County › Notes")
    assert by_path["long.md"].section == "County"
    assert radio.summary == "Use channel 2 for the perimeter teams. Keep it short."
    assert [s.name for s in radio.sources] == ["County (agency content)"]
    assert radio.body.splitlines()[0] == ""  # the title is not shown twice
    assert by_path["untitled_page.md"].title == "Untitled page"
    assert by_path["setext.md"].title == "Evacuation routes"
    summary = by_path["long.md"].summary
    assert len(summary) <= 160 and summary.endswith("…")
    assert lines(result.warnings) == [
        "long.md:1: warning: no front matter: imported as a guide titled 'Long'",
        "notes/Radio plan.md:1: warning: no front matter: imported as a guide titled "
        "'Radio plan'",
        "setext.md:1: warning: no front matter: imported as a guide titled 'Evacuation routes'",
        "untitled_page.md:1: warning: no front matter: imported as a guide titled "
        "'Untitled page'",
    ]


def test_binder_pages_in_nested_folders_with_extra_fields(tmp_path):
    folder = write_pages(tmp_path / "pack", {
        "plans/response/lockdown.md": AGENCY_CHECKLIST,
        "plans/guides/shelter.md": AGENCY_GUIDE,
    })
    result = read(folder)
    assert lines(result.findings) == []
    lockdown = next(d for d in result.docs if d.id == "lockdown")
    assert [s.id for s in lockdown.steps] == ["lockdown/announce", "lockdown/guide",
                                              "lockdown/tq"]
    assert ("binder:tourniquet", 18) in lockdown.links  # a shipped page: fine


def test_every_problem_of_binder_pages_with_file_and_line(tmp_path):
    folder = write_pages(tmp_path / "pack", {
        "lockdown.md": AGENCY_CHECKLIST.replace("{#guide}", "{#announce}")
        .replace("shelter.md#rooms", "shelter.md#halls") + "- [ ] See [x](nowhere.md) {#x}\n"
        "<b>bold</b> and ![map](https://example.org/map.png)\n",
        "shelter.md": AGENCY_GUIDE.replace("kind: guide", "kind: leaflet"),
        "bad.md": "---\ntitle: [oops\n---\n",
        "empty.md": AGENCY_CHECKLIST.split("## First")[0].replace("url: https://example.org/plan",
                                                                   "url: ''"),
        "latin1.md": "# Caf\xe9\n",
    })
    (folder / "latin1.md").write_bytes("# Café\n\nline two\n".encode("latin-1"))
    result = read(folder)
    assert lines(result.errors) == [
        "bad.md:2: front matter is not valid YAML: expected ',' or ']', but got '<stream end>'",
        "empty.md:3: a checklist page with no steps: write each as '- [ ] Do this {#id}' "
        "under a heading",
        "empty.md:8: source 'County plan' has no web address (url)",
        "latin1.md:1: the file is not UTF-8 text: save it as UTF-8",
        "lockdown.md:17: step id 'announce' is used twice (first on line 16)",
        "lockdown.md:19: link to a page that does not exist: 'nowhere'",
        "lockdown.md:20: raw HTML </b> is shown as text, not as HTML: write it in Markdown",
        "lockdown.md:20: raw HTML <b> is shown as text, not as HTML: write it in Markdown",
        "lockdown.md:20: remote image https://example.org/map.png is never loaded: remove it",
        "shelter.md:3: unknown kind 'leaflet' (use one of: checklist, guide, contacts, funding)",
    ]


def test_a_broken_anchor_in_the_pack_is_an_error(tmp_path):
    folder = write_pages(tmp_path / "pack", {
        "lockdown.md": AGENCY_CHECKLIST.replace("guides/shelter.md#rooms", "shelter.md#halls"),
        "shelter.md": AGENCY_GUIDE,
    })
    assert lines(read(folder).findings) == [
        "lockdown.md:17: link to '#halls' in 'shelter', which has no such heading or step",
    ]


def test_non_ascii_file_names_and_escaped_links(tmp_path):
    folder = write_pages(tmp_path / "pack", {
        "Évacuation d'urgence.md": "# Évacuation d'urgence\n\nSortir par le nord.\n",
        "index.md": "# Plan\n\nVoir [évacuation](%C3%89vacuation%20d'urgence.md#top).\n",
        "日本語.md": "# 避難\n\n北へ。\n",
    })
    result = read(folder)
    assert result.errors == []
    by_path = {d.path: d for d in result.docs}
    assert by_path["Évacuation d'urgence.md"].id == "evacuation-d-urgence"
    assert by_path["Évacuation d'urgence.md"].title == "Évacuation d'urgence"
    assert by_path["日本語.md"].id == "page" and by_path["日本語.md"].title == "避難"
    assert by_path["index.md"].links == [("binder:evacuation-d-urgence#top", 3)]


def test_a_page_just_under_the_size_limit(tmp_path):
    words = "The command post logs every call and every decision. " * 8
    part = "## Part {0}\n\n" + words + "\n\n"
    text = "# Manual\n\nFirst words.\n\n" + "".join(part.format(i) for i in range(1_150))
    assert 400_000 < len(text.encode()) <= MAX_PAGE_BYTES  # 5 MB once: now past the limit
    write_pages(tmp_path / "pack", {"manual.md": text})
    started = dt.datetime.now()
    result = read(tmp_path / "pack")
    assert (dt.datetime.now() - started).total_seconds() < 10
    assert result.errors == [] and result.docs[0].summary == "First words."


def test_id_collisions_take_the_folder_and_links_follow(tmp_path):
    folder = write_pages(tmp_path / "pack", {
        "a/notes.md": "# Notes A\n",
        "b/notes.md": "# Notes B\n",
        "b/index.md": "# B\n\nSee [notes](notes.md) and [A's](../a/notes.md).\n",
        "x/shelter.md": AGENCY_GUIDE,
        "y/shelter.md": AGENCY_GUIDE.replace("Shelter in place", "Shelter again"),
        "tourniquet.md": CHECKLIST.replace("section: Casualty care", "section: Response")
        .replace("../response/casualty-guide.md", "guide.md"),
        "guide.md": GUIDE.replace("../casualty-care/tourniquet.md", "tourniquet.md"),
        "glossary.md": "# Words\n",
    })
    result = read(folder)
    assert result.errors == []
    ids = {d.path: d.id for d in result.docs}
    assert ids["a/notes.md"] == "notes" and ids["b/notes.md"] == "b-notes"
    assert ids["x/shelter.md"] == "shelter" and ids["y/shelter.md"] == "y-shelter"
    assert ids["tourniquet.md"] == "tourniquet"  # a Binder page overrides the shipped page
    assert ids["glossary.md"] == "county-glossary"  # an outside page never does by accident
    index = next(d for d in result.docs if d.path == "b/index.md")
    assert [t for t, _ in index.links] == ["binder:b-notes", "binder:notes"]
    found = lines(result.warnings)
    assert ("y/shelter.md:1: warning: page id 'y-shelter', as x/shelter.md has the id "
            "'shelter': links in this pack to this file still reach it, links to 'shelter' "
            "by id do not") in found
    assert any(f.startswith("b/notes.md:1: warning: no front matter") and
               "its id is 'b-notes', as a/notes.md has the id 'notes'" in f for f in found)
    assert any("its id is 'county-glossary', as the binder has a page with the id 'glossary'"
               in f for f in found)


def test_odd_files_bom_crlf_hidden_folders_and_an_empty_folder(tmp_path):
    folder = tmp_path / "pack"
    write_pages(folder, {".github/ISSUE_TEMPLATE/bug.md": "# Bug\n"})
    assert lines(read(folder).findings) == [f"{folder}:0: no Markdown pages (*.md) found"]
    (folder / "windows.md").write_bytes(
        b"\xef\xbb\xbf" + AGENCY_GUIDE.replace("\n", "\r\n").encode())
    result = read(folder)
    assert lines(result.findings) == [] and [d.title for d in result.docs] == [
        "Shelter in place"]
    assert lines(read(tmp_path / "nowhere").findings) == [f"{tmp_path / 'nowhere'}:0: "
                                                          "folder not found"]


def test_an_outside_page_notes_what_will_not_show(tmp_path):
    folder = write_pages(tmp_path / "pack", {
        "page.md": "# Page\n\n<div>boxed</div>\n\n![map](map.png)\n\n[gone](missing.md)\n",
    })
    result = read(folder)
    assert result.errors == []
    assert lines(result.warnings) == [
        "page.md:1: warning: no front matter: imported as a guide titled 'Page' (raw HTML shown "
        "as text on line 3; images left out on line 5; broken links on line 7)"
    ]


def test_the_revision_follows_the_files(tmp_path):
    folder = write_pages(tmp_path / "pack", {"a.md": "# A\n"})
    first = read(folder).revision
    assert re.fullmatch(r"[0-9a-f]{12}", first) and read(folder).revision == first
    write_pages(folder, {"a.md": "# A.\n"})
    assert read(folder).revision != first


def test_an_unknown_default_section_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown section"):
        read(tmp_path, default_section="Misc")

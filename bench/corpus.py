"""A generated corpus for the benchmark: realistic page sizes, a third of them checklists."""

from __future__ import annotations

import random
from pathlib import Path

from binder.content.check import SECTION_FOLDERS
from binder.content.content import SECTIONS

DOMAIN = (
    "tourniquet bleeding hemorrhage casualty collection point rescue task force reunification "
    "family assistance center death notification incident command post staging perimeter media "
    "briefing liaison operations planning logistics finance overtime reimbursement application "
    "victim compensation exercise tabletop drill evacuation shelter hospital triage transport "
    "ambulance officer supervisor radio channel dispatch warm zone hot zone cold zone threat "
    "suppression extrication assessment wound packing pressure hypothermia airway respiration "
    "circulation documentation demobilisation after action review improvement plan chaplain "
    "advocate counselor wellness trauma peer support volunteer donation rumour control school "
    "student parent guardian witness interview evidence scene security traffic road closure"
).split()
VERBS = (
    "Assign Confirm Record Brief Establish Notify Request Check Move Open Close Report "
    "Designate Track Send Prepare Review Secure Staff Call Ask Tell Keep Post Update"
).split()
TAGS = ("TQ RTF CCP FAC PIO JIC MCI AAR NOK EFLEA AEAP PSOB ICS HSEEP VTT UC IC EOC EMS").split()


def make_vocabulary(rng: random.Random, size: int = 12_000) -> list[str]:
    """Pseudo-words, shaped like English, for the long tail of a real corpus."""
    onsets = [
        "",
        "b",
        "c",
        "d",
        "f",
        "g",
        "h",
        "l",
        "m",
        "n",
        "p",
        "r",
        "s",
        "t",
        "v",
        "w",
        "br",
        "cr",
        "pr",
        "st",
        "tr",
        "sh",
        "ch",
        "pl",
        "gr",
    ]
    vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io"]
    codas = ["", "n", "r", "s", "t", "l", "nd", "st", "ng", "rt", "ck", "m"]
    words = set()
    while len(words) < size:
        syllables = rng.choice((1, 2, 2, 3, 3, 4))
        words.add(
            "".join(
                rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
                for _ in range(syllables)
            )
        )
    return sorted(words)


class Writer:
    def __init__(self, seed: int = 1):
        self.rng = random.Random(seed)
        vocabulary = make_vocabulary(self.rng) + DOMAIN * 3
        self.rng.shuffle(vocabulary)
        total, cumulative = 0.0, []
        for rank in range(len(vocabulary)):
            total += 1 / (rank + 1) ** 0.9  # Zipf-like: a few words everywhere, a long tail
            cumulative.append(total)
        self.vocabulary, self.cumulative = vocabulary, cumulative

    def words(self, count: int) -> list[str]:
        return self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=count)

    def sentence(self, low: int = 6, high: int = 16) -> str:
        words = self.words(self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def page(self, number: int) -> tuple[str, str]:
        rng = self.rng
        section = rng.choice(SECTIONS)
        checklist = number % 3 == 0
        title = " ".join(self.words(rng.randint(2, 5))).title()
        tags = rng.sample(TAGS, 2) + self.words(3)
        size = rng.randint(300, 1500)
        lines = [
            "---",
            f"title: {title} {number}",
            f"kind: {'checklist' if checklist else 'guide'}",
            f"section: {section}",
            f"summary: {self.sentence(8, 14)}",
            f"tags: [{', '.join(tags)}]",
            "roles: [Incident Commander]" if checklist else "",
            "sources:",
            "  - name: Generated",
            "    url: https://example.org/",
            "reviewed: 2026-11-01",
            "---",
        ]
        written = 0
        steps = rng.randint(10, 40) if checklist else 0
        phases = max(1, steps // 8)
        for phase in range(max(phases, 3)):
            lines.append(f"\n## {' '.join(self.words(rng.randint(1, 3))).title()}\n")
            for step in range(steps // phases if checklist else 0):
                text = f"{rng.choice(VERBS)} {' '.join(self.words(rng.randint(5, 14)))}"
                lines.append(f"- [ ] {text} {{#s{phase}-{step}}}")
                written += len(text.split())
            paragraph = [self.sentence() for _ in range(rng.randint(3, 8))]
            lines.append("\n" + " ".join(paragraph) + "\n")
            written += sum(len(s.split()) for s in paragraph)
        while written < size:
            paragraph = [self.sentence() for _ in range(rng.randint(3, 8))]
            lines.append(" ".join(paragraph) + "\n")
            written += sum(len(s.split()) for s in paragraph)
        folder = SECTION_FOLDERS[section]
        return f"{folder}/page-{number:05d}.md", "\n".join(line for line in lines if line != "")


def write_corpus(folder: Path, count: int = 10_000, seed: int = 1) -> Path:
    writer = Writer(seed)
    for number in range(count):
        rel, text = writer.page(number)
        path = Path(folder) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Path(folder)

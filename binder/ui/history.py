"""Back and forward through the pages opened in the window."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from binder.journal.places import Place


class History:
    """Back and forward through the pages opened, like a browser; each place keeps where it
    was scrolled to and which step had the keyboard when it was left."""

    def __init__(self):
        self.places: list[Place] = []
        self.index = -1

    def visit(self, place: Place) -> None:
        if self.index >= 0 and self.places[self.index].same_page(place):
            return
        del self.places[self.index + 1 :]
        self.places.append(place)
        self.index = len(self.places) - 1

    def keep(self, place: Place) -> None:
        """The current place, as it is being left."""
        if self.index >= 0 and self.places[self.index].same_page(place):
            self.places[self.index] = place

    def step(self, delta: int) -> Place | None:
        target = self.index + delta
        if 0 <= target < len(self.places):
            self.index = target
            return self.places[target]
        return None

    def can_step(self, delta: int) -> bool:
        return 0 <= self.index + delta < len(self.places)

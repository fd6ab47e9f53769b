"""The binder's sections, in the order the window and the paper show them (no imports)."""

SECTIONS = ("Response", "Casualty care", "Funding", "Wellness", "Exercises", "Contacts", "Forms")
SUB_SECTION = " › "  # between a pack's section and one of its folders: "County › Training"


def section_orders(names) -> dict[str, int]:
    """Each section's place: the shipped ones in SECTIONS' order, then any other (an agency
    pack's own, its folders just after it) by name."""
    others = sorted({name for name in names if name not in SECTIONS}, key=str.casefold)
    orders = {name: index for index, name in enumerate(SECTIONS)}
    orders.update((name, len(SECTIONS) + index) for index, name in enumerate(others))
    return orders

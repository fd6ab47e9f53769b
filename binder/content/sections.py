"""The binder's sections, in the order the window and the paper show them (no imports)."""

SECTIONS = ("Response", "Casualty care", "Funding", "Wellness", "Exercises", "Contacts", "Forms")

"""What the journal raises when it cannot do what was asked: a message for a person."""


class JournalError(Exception):
    """journal.db cannot be opened or written: a message for a person."""


class StepConflict(JournalError):
    """A tick on a step that is already done, or an untick of one that is open."""


class CheckinConflict(JournalError):
    """A person checked in twice, or a check-out of a check-in that is not open."""

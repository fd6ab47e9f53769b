"""CSV cells a spreadsheet never runs as formulas (OWASP's CSV injection guidance), and back."""

from __future__ import annotations

import re
from collections.abc import Iterable

# OWASP: a cell beginning with =, +, -, @, a tab or a carriage return is read as a formula by
# Excel, LibreOffice and Sheets; a leading single quote makes it text. A cell that already
# begins with quotes before one of those gets one more, so that reading it back is exact.
FORMULA = re.compile(r"'*[=+\-@\t\r]")
NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")


def safe_cell(value: object) -> str:
    """A value as a CSV cell no spreadsheet evaluates: "=SUM(A1)" -> "'=SUM(A1)"."""
    text = "" if value is None else str(value)
    return "'" + text if FORMULA.match(text) else text


def safe_row(values: Iterable[object]) -> list[str]:
    return [safe_cell(value) for value in values]


def cell_value(cell: str) -> str:
    """What safe_cell was given: "'+1 202 555 0100" -> "+1 202 555 0100"."""
    return cell[1:] if NEUTRALISED.match(cell) else cell

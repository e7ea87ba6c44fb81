"""CSV downloads that open safely in a spreadsheet: the one writer every export of the portal uses.

It lives in the generic base, which every app with an export (policy, consent, reports, and
sanctions above them) may import. The dialect is the one Dutch Excel opens without a wizard:
``;`` between cells, UTF-8 with a byte-order mark.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse

# OWASP, "CSV Injection": Excel, LibreOffice and Google Sheets read a cell that starts with one of
# these as a formula (=HYPERLINK(...) sends the reader to any site, with data of other cells); a
# leading apostrophe makes it text, shown as typed.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """The value as a spreadsheet should show it: text that could start a formula gets a leading ``'``.

    Numbers stay numbers (a count of -2 is no formula); everything else is written as text.
    """
    if value is None or (isinstance(value, int | float | Decimal) and not isinstance(value, bool)):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_download(*, filename: str, rows: Iterable[Sequence[object]]) -> HttpResponse:
    """An attachment named ``filename`` with ``rows`` (the header first), every cell made safe."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel recognises UTF-8 by the byte-order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    return response

"""The CSV writer every export uses: cells that a spreadsheet would run as a formula become text."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.utils.text import format_lazy

from common.exports import csv_download, spreadsheet_cell


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Anna de Vries", "Anna de Vries"),
        ("a=b", "a=b"),  # only the first character makes a formula
        ("", ""),
        (format_lazy("{}", "=lazy"), "'=lazy"),  # a lazy label, as TextChoices give
        (-2, -2),  # a number stays a number
        (Decimal("-1.5"), Decimal("-1.5")),
        (None, None),
    ],
)
def test_a_cell_that_could_start_a_formula_is_written_as_text(value, written):
    assert spreadsheet_cell(value) == written


def test_the_download_is_an_attachment_that_excel_reads_as_utf8():
    response = csv_download(filename="proef.csv", rows=[["Naam", "Aantal"], ["=1+1", -2], ["Zoë", 3]])
    assert response["Content-Disposition"] == 'attachment; filename="proef.csv"'
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Naam", "Aantal"], ["'=1+1", "-2"], ["Zoë", "3"]]

"""Every CSV export opens safely in a spreadsheet: text that could start a formula is shown as typed.

A name typed by a parent, a school administration or a colleague ends up in a leader's spreadsheet;
``=HYPERLINK("http://x")`` there would be a live link, ``@SUM(1)`` a formula (OWASP, CSV Injection).
"""

from __future__ import annotations

import csv
import io

import pytest

from accounts.tests.factories import PupilFactory, SchoolFactory, UserFactory
from reports.tests.factories import ReportFactory
from skow_portal.tests.test_access_matrix import all_routes

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(1)", "\tTab", "\rCR"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plant_hostile_names(world) -> None:
    """A pupil, a colleague and a school (with a case) under each hostile name."""
    for value in HOSTILE:
        PupilFactory(school=world.school_a, group=world.group_a, first_name=value, last_name="")
        # Django's get_full_name() strips a leading tab or CR; the other values reach the cell.
        UserFactory(first_name=value, last_name="", roles=[("staff", world.school_a)])
        ReportFactory(school=SchoolFactory(name=value))


# Every export of the portal: route → how the board reaches it in the World.
EXPORTS = {
    "consent/schools/<int:pk>/export.csv": lambda w: f"/consent/schools/{w.school_a.pk}/export.csv",
    "protocol/acknowledgements/<int:school>/export.csv": lambda w: (
        f"/protocol/acknowledgements/{w.school_a.pk}/export.csv"
    ),
    "cases/statistics.csv": lambda w: "/cases/statistics.csv",
}
# What of HOSTILE each export shows at the start of a cell.
SHOWN = {
    "consent/schools/<int:pk>/export.csv": HOSTILE,
    "protocol/acknowledgements/<int:school>/export.csv": [v for v in HOSTILE if not v[0].isspace()],
    "cases/statistics.csv": HOSTILE,
}


def test_the_table_names_every_csv_export_of_the_portal():
    exports = {route for route, _name in all_routes() if route.endswith(".csv")}
    assert exports == set(EXPORTS), "A CSV export without a row here: give it one, and write it with csv_download."


@pytest.mark.parametrize("route", sorted(EXPORTS))
def test_no_cell_of_an_export_starts_a_formula(client, world, route, logged_in):
    _plant_hostile_names(world)
    logged_in(world.users["board"])
    response = client.get(EXPORTS[route](world))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    cells = [
        cell for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";") for cell in row
    ]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    for value in SHOWN[route]:
        assert any(cell.startswith(f"'{value}") for cell in cells), f"{value!r} is not in the export as text"

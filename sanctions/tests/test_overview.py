"""The yearly incident overview: counts without names, ids or typed text, small cells suppressed."""

from __future__ import annotations

import datetime
import html
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts.tests.factories import SchoolFactory, UserFactory
from policy.tests.factories import version_1
from reports.constants import CaseState, Category
from reports.tests.factories import CaseFactory, ReportFactory
from sanctions.constants import EscalationKind, MeasureKind
from sanctions.models import Escalation, SafetyEvaluation
from sanctions.overview import PRIMARY, SECONDARY, Cell, Table, school_year_of, yearly_overview
from sanctions.services import safety_evaluation_record
from sanctions.tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db

YEAR = school_year_of(timezone.localdate())
SECRET_TEXT = "Geheime omschrijving over Pietje Puk"
SECRET_NAME = "Karin Bakker"


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _bullying_cases(school, count: int, *, category=Category.BULLYING, **report):
    cases = []
    for _n in range(count):
        cases.append(
            ReportFactory(
                school=school,
                category=category,
                description=SECRET_TEXT,
                reporter_name=SECRET_NAME,
                involved_names="Pietje Puk",
                **report,
            ).case
        )
    return cases


def _cell(overview, key: str, label: str) -> str:
    table = next(t for t in overview.tables if t.key == key)
    return next(cell.shown for cell in table.cells if cell.label == label)


def _table(overview, key: str) -> Table:
    return next(t for t in overview.tables if t.key == key)


# Suppression -----------------------------------------------------------------------------------------


def test_a_cell_under_five_is_shown_as_less_than_five_and_one_more_is_hidden_beside_the_total():
    table = Table("t", "T", [Cell("a", 3), Cell("b", 12), Cell("c", 7), Cell("d", 0)]).suppress()
    assert [cell.shown for cell in table.cells] == [PRIMARY, "12", SECONDARY, PRIMARY]
    assert table.total_shown == "22"


def test_zeros_alone_need_no_second_cell_hidden():
    table = Table("t", "T", [Cell("a", 0), Cell("b", 9)]).suppress()
    assert [cell.shown for cell in table.cells] == [PRIMARY, "9"]
    assert table.total_shown == "9"


def test_with_no_cell_left_to_hide_the_total_goes():
    table = Table("t", "T", [Cell("a", 2), Cell("b", 4)]).suppress()
    assert [cell.shown for cell in table.cells] == [PRIMARY, PRIMARY]
    assert table.total_shown == SECONDARY
    small = Table("t", "T", [Cell("a", 1), Cell("b", 2)]).suppress()
    assert small.total_shown == PRIMARY


def test_a_table_whose_rows_do_not_add_up_shows_no_total_and_hides_only_small_cells():
    table = Table("t", "T", [Cell("a", 3), Cell("b", 12)], has_total=False).suppress()
    assert [cell.shown for cell in table.cells] == [PRIMARY, "12"]
    assert table.total_shown == ""


# The overview ---------------------------------------------------------------------------------------


def test_three_cases_of_one_kind_are_suppressed(school, school_leader):
    _bullying_cases(school, 3)
    overview = yearly_overview(user=school_leader, year=YEAR, school=school)
    assert _cell(overview, "category", str(Category.BULLYING.label)) == PRIMARY
    assert _table(overview, "category").total_shown == PRIMARY
    assert _cell(overview, "route", "Behandeld door de schoolleiding") == PRIMARY
    assert all(d.is_suppressed and d.median is None for d in overview.durations)


def test_every_category_of_the_category_class_has_a_row(school, school_leader):
    overview = yearly_overview(user=school_leader, year=YEAR, school=school)
    assert [cell.label for cell in _table(overview, "category").cells] == [str(c.label) for c in Category]


def test_counts_by_category_measure_escalation_and_state_with_complementary_suppression(school, school_leader):
    cases = _bullying_cases(school, 6) + _bullying_cases(school, 3, category=Category.SEXTING)
    for case in cases[:5]:
        MeasureFactory(case=case, kind=MeasureKind.WARNING)
    for case in cases[:6]:
        Escalation.objects.create(
            case=case,
            kind=EscalationKind.POLICE_REPORT,
            happened_on=timezone.localdate(),
            contact_by=SECRET_NAME,
            recorded_by=school_leader,
        )
    overview = yearly_overview(user=school_leader, year=YEAR, school=school)
    assert _cell(overview, "category", str(Category.SEXTING.label)) == PRIMARY
    assert _cell(overview, "category", str(Category.BULLYING.label)) == SECONDARY  # else 9 - 6 gives sexting away
    assert _table(overview, "category").total_shown == "9"
    assert _cell(overview, "measure", str(MeasureKind.WARNING.label)) == "5"
    assert _cell(overview, "escalation", str(EscalationKind.POLICE_REPORT.label)) == "6"
    assert _cell(overview, "state", str(CaseState.NEW.label)) == "9"
    assert _cell(overview, "involved", "Leerling") == "9"


def test_time_to_acknowledge_and_close_as_median_and_percentiles_from_five_cases(school, school_leader):
    now = timezone.now()
    for days in (1, 2, 3, 4, 10):
        case = CaseFactory(school=school, created_at=now - datetime.timedelta(days=20))
        case.acknowledged_at = case.created_at + datetime.timedelta(days=days)
        case.save()
    overview = yearly_overview(
        user=school_leader, year=school_year_of((now - datetime.timedelta(days=20)).date()), school=school
    )
    acknowledge, close = overview.durations
    assert (acknowledge.count, acknowledge.median, acknowledge.p75, acknowledge.p90) == (5, 3.0, 4.0, 7.6)
    assert close.count == 0 and close.median is None


def test_the_school_year_runs_from_first_august(school, board_member):
    zone = timezone.get_current_timezone()
    CaseFactory(school=school, created_at=datetime.datetime(2025, 7, 31, 23, 0, tzinfo=zone))
    for _n in range(5):
        CaseFactory(school=school, created_at=datetime.datetime(2025, 8, 1, 0, 30, tzinfo=zone))
    assert _table(yearly_overview(user=board_member, year=2024, school=school), "route").total == 1
    assert _table(yearly_overview(user=board_member, year=2025, school=school), "route").total == 5


def test_a_leaders_overview_leaves_out_the_cases_about_the_leadership(school, school_leader, board_member):
    _bullying_cases(school, 5)
    ReportFactory(school=school, about_leadership=True)
    leader_view = yearly_overview(user=school_leader, year=YEAR, school=school)
    board_view = yearly_overview(user=board_member, year=YEAR, school=school)
    assert _table(leader_view, "route").total == 5
    assert _table(board_view, "route").total == 6


def test_the_board_overview_counts_per_school(school, other_school, board_member):
    _bullying_cases(school, 5)
    _bullying_cases(other_school, 2)
    overview = yearly_overview(user=board_member, year=YEAR)
    assert _cell(overview, "school", school.name) == SECONDARY
    assert _cell(overview, "school", other_school.name) == PRIMARY
    assert _table(overview, "school").total_shown == "7"


# The downloads: no name, id, number or typed text ------------------------------------------------------


def _forbidden(cases) -> list[str]:
    words = [SECRET_TEXT, SECRET_NAME, "Pietje Puk", "melder@example.nl"]
    for case in cases:
        words.append(case.number)
    return words


@pytest.mark.parametrize("kind", ["html", "csv", "pdf"])
def test_the_overview_holds_no_name_id_or_free_text(school, school_leader, logged_in, kind):
    cases = _bullying_cases(school, 3) + _bullying_cases(school, 6, category=Category.THREATS)
    for case in cases[:5]:
        MeasureFactory(case=case, reason=SECRET_TEXT)
    client = logged_in(school_leader)
    base = f"/overview/{YEAR}/schools/{school.pk}/"
    response = client.get(base if kind == "html" else f"{base}overview.{kind}")
    assert response.status_code == 200
    if kind == "pdf":
        assert response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
    else:
        text = html.unescape(response.content.decode("utf-8-sig"))
    for word in _forbidden(cases):
        assert word not in text
    assert "Bedreigen" in text and "<5" in text
    if kind != "html":
        # No id either: the only numbers are counts, years, percentages of the durations and pages.
        for case in cases:
            assert f"-{case.pk:05d}" not in text
    if kind == "csv":
        assert f"{YEAR}-{YEAR + 1};{school.name};Meldingen per categorie;Pesten;<5" in text
        assert "Meldingen per categorie;Bedreigen;*" in text


def test_the_pdf_shows_the_evaluatie_and_its_protocol_version(school, school_leader, logged_in):
    version = version_1()
    safety_evaluation_record(
        school=school,
        year=YEAR,
        by=school_leader,
        monitor_instrument="Vensters Veiligheidsmonitor",
        monitor_held_on=timezone.localdate(),
        monitor_delivered=True,
        conclusions="Leerlingen voelen zich veilig; online pesten neemt toe in groep 8.",
        measures_taken="Lessen mediawijsheid in groep 7 en 8.",
        protocol_version=version,
    )
    text = pdf_text(logged_in(school_leader).get(f"/overview/{YEAR}/schools/{school.pk}/overview.pdf").content)
    assert "Vensters Veiligheidsmonitor" in text and "Lessen mediawijsheid" in text
    assert f"versie {version.number}" in text


# Who sees what -----------------------------------------------------------------------------------------


def test_a_leader_reads_own_school_and_not_another_nor_the_board_overview(
    school, other_school, school_leader, logged_in
):
    client = logged_in(school_leader)
    assert client.get(f"/overview/{YEAR}/schools/{school.pk}/").status_code == 200
    assert client.get(f"/overview/{YEAR}/schools/{other_school.pk}/overview.csv").status_code == 404
    assert client.get(f"/overview/{YEAR}/").status_code == 404
    assert client.get(f"/overview/{YEAR}/overview.pdf").status_code == 404


def test_the_council_follows_the_statistics_rule_and_does_not_read_it(school, council_secretary, logged_in):
    client = logged_in(council_secretary)
    assert client.get("/overview/").status_code == 404
    assert client.get(f"/overview/{YEAR}/").status_code == 404


def test_a_year_without_cases_before_it_or_in_the_future_is_not_found(school, board_member, logged_in):
    client = logged_in(board_member)
    assert client.get(f"/overview/{YEAR}/").status_code == 200
    assert client.get(f"/overview/{YEAR + 1}/").status_code == 404
    assert client.get(f"/overview/{YEAR - 5}/").status_code == 404
    assert client.get(f"/overview/{YEAR}/overview.docx").status_code == 404


# The evaluatie -----------------------------------------------------------------------------------------


def test_a_leader_records_and_corrects_the_evaluatie(school, school_leader, logged_in):
    client = logged_in(school_leader)
    url = f"/overview/{YEAR}/schools/{school.pk}/evaluation/"
    data = {
        "monitor_instrument": "Scol",
        "monitor_held_on": timezone.localdate().isoformat(),
        "monitor_delivered": "on",
        "conclusions": "Veilig.",
        "measures_taken": "",
        "protocol_version": "",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "conclusions": "Veilig, behalve online."}).status_code == 302
    evaluation = SafetyEvaluation.objects.get()
    assert (evaluation.school, evaluation.school_year, evaluation.conclusions) == (
        school,
        YEAR,
        "Veilig, behalve online.",
    )
    assert "Veilig, behalve online." in client.get(f"/overview/{YEAR}/schools/{school.pk}/").content.decode()


def test_a_bad_evaluatie_keeps_what_was_typed_with_a_dutch_message(school, school_leader, logged_in):
    response = logged_in(school_leader).post(
        f"/overview/{YEAR}/schools/{school.pk}/evaluation/",
        {"monitor_instrument": "Scol", "monitor_held_on": "2099-01-01", "conclusions": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Deze datum ligt in de toekomst." in html and 'value="Scol"' in html
    assert not SafetyEvaluation.objects.exists()


def test_another_schools_leader_cannot_record_its_evaluatie(school, other_school, logged_in):
    leader_b = UserFactory(roles=[("school_leader", other_school)])
    response = logged_in(leader_b).post(f"/overview/{YEAR}/schools/{school.pk}/evaluation/", {})
    assert response.status_code == 404


# Queries ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cases", [3, 30])
def test_the_overview_page_takes_the_same_queries_at_any_size(
    cases, school, board_member, logged_in, django_assert_num_queries
):
    for n in range(cases):
        case = ReportFactory(school=SchoolFactory() if n % 3 else school).case
        MeasureFactory(case=case)
    client = logged_in(board_member)
    client.get(f"/overview/{YEAR}/")  # the session and the user
    with django_assert_num_queries(17):
        assert client.get(f"/overview/{YEAR}/").status_code == 200
    with django_assert_num_queries(13):
        assert client.get(f"/overview/{YEAR}/schools/{school.pk}/overview.csv").status_code == 200

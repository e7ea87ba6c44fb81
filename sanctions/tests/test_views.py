"""What the sanctions pages say and do, through HTTP. Which role gets which answer at which URL is
the access matrix's (skow_portal/tests/test_access_matrix.py)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.tests.factories import GuardianshipFactory, PupilFactory, UserFactory
from reports.models import CasePerson
from reports.tests.factories import ReportFactory
from sanctions.constants import MeasureKind, MeasureStatus, SubjectKind
from sanctions.models import Escalation, Measure
from sanctions.tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(school, school_leader, board_member, parent):
    """A case at the school with a proposed suspension and a subject leader named in it."""
    case = ReportFactory(school=school).case
    staff_subject = UserFactory(first_name="Tim", last_name="Visser", roles=[("staff", school)])
    subject_leader = UserFactory(roles=[("school_leader", school)])
    measure = MeasureFactory(case=case, staff_member=staff_subject, proposed_by=school_leader, proposed=True)
    CasePerson.objects.create(
        case=case, subject_kind=SubjectKind.STAFF, staff_member=staff_subject, added_by=school_leader
    )
    CasePerson.objects.create(
        case=case, subject_kind=SubjectKind.STAFF, staff_member=subject_leader, added_by=board_member
    )
    pupil = parent.children.get()
    referral = Escalation.objects.create(
        case=case,
        kind="safe_home_referral",
        happened_on=datetime.date(2026, 11, 20),
        pupil=pupil,
        recorded_by=school_leader,
    )
    return {
        "case": case,
        "measure": measure,
        "referral": referral,
        "staff_subject": staff_subject,
        "pupil": pupil,
    }


# Measures through the pages -----------------------------------------------------------------------


def measure_post(world, **overrides):
    data = {
        "subject_kind": "staff",
        "staff_member": world["staff_subject"].pk,
        "kind": "warning",
        "reason": "Scheldend gereageerd op ouders in de Facebookgroep.",
        "decided_on": "2026-11-20",
        "starts_on": "",
        "ends_on": "",
        "board_consulted": "no",
        "board_consulted_on": "",
    }
    data.update(overrides)
    return data


def test_a_leader_records_a_warning_and_proposes_a_suspension(client, world, school_leader, board_member, logged_in):
    logged_in(school_leader)
    url = reverse("sanctions:measure_new", args=[world["case"].pk])
    assert client.post(url, measure_post(world)).status_code == 302
    response = client.post(
        url, measure_post(world, kind="suspension", starts_on="2026-11-23", ends_on="2026-11-27"), follow=True
    )
    assert "pas in zodra een lid van het bestuur" in response.content.decode()
    kinds = dict(Measure.objects.filter(case=world["case"]).values_list("kind", "status").order_by("pk")[1:])
    assert kinds == {MeasureKind.WARNING: MeasureStatus.IN_EFFECT, MeasureKind.SUSPENSION: MeasureStatus.PROPOSED}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reason": ""}, "Dit veld is verplicht."),
        ({"staff_member": ""}, "Kies wie het betreft."),
        ({"kind": "expulsion"}, "Deze maatregel past niet bij wie het betreft."),
        ({"kind": "suspension"}, "Geef de periode van de schorsing"),
        ({"starts_on": "2026-11-27", "ends_on": "2026-11-23"}, "De einddatum ligt voor de begindatum."),
        ({"decided_on": "morgen"}, "Voer een geldige datum in."),
        # Toelichting: a light measure says whether the directeur-bestuurder was consulted, and when.
        ({"board_consulted": ""}, "Geef aan of de directeur-bestuurder over deze maatregel is geraadpleegd."),
        ({"board_consulted": "yes"}, "Geef de datum van het overleg met de directeur-bestuurder."),
        ({"board_consulted": "yes", "board_consulted_on": "2999-01-01"}, "ligt in de toekomst"),
    ],
)
def test_bad_input_is_refused_in_dutch_and_keeps_what_was_typed(
    client, world, school_leader, overrides, message, logged_in
):
    logged_in(school_leader)
    data = measure_post(
        world,
        reason=overrides.get("reason", "Dit bleef staan na de fout."),
        **{k: v for k, v in overrides.items() if k != "reason"},
    )
    response = client.post(reverse("sanctions:measure_new", args=[world["case"].pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert escape(message) in page
    if "reason" not in overrides:
        assert "Dit bleef staan na de fout." in page
    assert Measure.objects.count() == 1


def test_a_board_member_cannot_approve_their_own_proposal_through_the_page(client, world, board_member, logged_in):
    measure = MeasureFactory(
        case=world["case"], staff_member=world["staff_subject"], proposed_by=board_member, proposed=True
    )
    logged_in(board_member)
    detail = client.get(reverse("sanctions:measure_detail", args=[world["case"].pk, measure.pk])).content.decode()
    assert "Goedkeuren" not in detail and "een lid van het bestuur dat hem niet zelf voorstelde" in detail
    response = client.post(reverse("sanctions:measure_approve", args=[world["case"].pk, measure.pk]), {"note": ""})
    assert response.status_code == 400
    assert "U hebt deze maatregel zelf voorgesteld" in response.content.decode()
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PROPOSED


def test_the_approvals_page_lists_what_waits_and_approving_puts_it_in_effect(client, world, board_member, logged_in):
    logged_in(board_member)
    page = client.get(reverse("sanctions:approvals")).content.decode()
    assert "Schorsing" in page and world["case"].number in page
    response = client.post(
        reverse("sanctions:measure_approve", args=[world["case"].pk, world["measure"].pk]), {"note": ""}, follow=True
    )
    assert "nu van kracht" in response.content.decode()
    world["measure"].refresh_from_db()
    assert world["measure"].is_in_effect
    assert "Er wachten geen maatregelen op goedkeuring." in client.get(reverse("sanctions:approvals")).content.decode()


def test_a_leader_cannot_post_an_approval(client, world, school_leader, logged_in):
    logged_in(school_leader)
    response = client.post(reverse("sanctions:measure_approve", args=[world["case"].pk, world["measure"].pk]))
    assert response.status_code == 404
    world["measure"].refresh_from_db()
    assert world["measure"].status == MeasureStatus.PROPOSED


# Escalations through the pages --------------------------------------------------------------------


def test_the_inspector_call_is_asked_for_after_a_boundary_crossing_finding(client, world, school_leader, logged_in):
    logged_in(school_leader)
    case = world["case"]
    client.post(
        reverse("sanctions:conduct_finding_new", args=[case.pk]), {"is_boundary_crossing": "yes", "reason": "B.5"}
    )
    page = client.get(reverse("sanctions:escalation_list", args=[case.pk])).content.decode()
    assert "0900-1113111" in page and "kan het dossier niet worden gesloten" in page
    bad = client.post(
        reverse("sanctions:inspector_call_new", args=[case.pk]),
        {"called_on": "2026-11-20", "called_at": "", "caller": "Directeur", "advice": "Gesprek voeren."},
    )
    assert bad.status_code == 400 and "Gesprek voeren." in bad.content.decode()
    good = client.post(
        reverse("sanctions:inspector_call_new", args=[case.pk]),
        {"called_on": "2026-11-20", "called_at": "10:15", "caller": "Directeur", "advice": "Gesprek voeren."},
    )
    assert good.status_code == 302
    page = client.get(reverse("sanctions:escalation_list", args=[case.pk])).content.decode()
    assert "kan het dossier niet worden gesloten" not in page and "Gesprek voeren." in page


def test_the_meldcode_asks_for_the_next_step(client, world, school_leader, logged_in):
    logged_in(school_leader)
    url = reverse("sanctions:safe_home_step", args=[world["case"].pk, world["referral"].pk])
    assert "Stap 1 van 5" in client.get(url).content.decode()  # the fixture's referral has no steps yet
    client.post(url, {"done_on": "2026-11-20", "notes": "Signalen op een rij."})
    assert "Stap 2 van 5" in client.get(url).content.decode()


# Person files --------------------------------------------------------------------------------------


def test_a_person_file_lists_the_cases_and_measures_its_reader_may_see(
    client, school, other_school, school_leader, board_member, logged_in
):
    pupil = PupilFactory(school=school, first_name="Noor")
    here = ReportFactory(school=school).case
    about_leadership = ReportFactory(school=school, about_leadership=True).case
    for case, kind in ((here, MeasureKind.DEVICES_TAKEN), (about_leadership, MeasureKind.WARNING)):
        MeasureFactory(case=case, subject_kind=SubjectKind.PUPIL, staff_member=None, pupil=pupil, kind=kind)
        CasePerson.objects.create(case=case, subject_kind=SubjectKind.PUPIL, pupil=pupil, added_by=board_member)
    url = reverse("sanctions:pupil_person_file", args=[pupil.pk])

    logged_in(school_leader)
    page = client.get(url).content.decode()
    assert "Leerlingendossier van Noor" in page
    assert here.number in page and "Devices in bewaring genomen" in page
    assert about_leadership.number not in page and "Waarschuwing" not in page

    logged_in(board_member)
    page = client.get(url).content.decode()
    assert here.number in page and about_leadership.number in page and "Waarschuwing" in page
    printed = client.get(reverse("sanctions:person_file_print", args=["pupils", pupil.pk])).content.decode()
    assert here.number in printed and "Afgedrukt op" in printed and "Hoofdmenu" not in printed


def test_a_parents_person_file_shows_measures_about_the_parent(client, school, school_leader, logged_in):
    guardian = GuardianshipFactory(pupil=PupilFactory(school=school)).guardian
    case = ReportFactory(school=school).case
    MeasureFactory(case=case, subject_kind=SubjectKind.PARENT, staff_member=None, parent=guardian)
    logged_in(school_leader)
    page = client.get(reverse("sanctions:parent_person_file", args=[guardian.pk])).content.decode()
    assert f"Persoonsdossier van ouder/verzorger {guardian}" in page
    assert "Waarschuwing" in page and case.number in page


def test_the_case_page_shows_the_sanctions_panel(client, world, school_leader, logged_in):
    logged_in(school_leader)
    page = client.get(reverse("reports:case_detail", args=[world["case"].pk])).content.decode()
    assert 'data-testid="sanctions-panel"' in page
    assert reverse("sanctions:measure_list", args=[world["case"].pk]) in page


def test_the_person_file_search_finds_only_people_the_reader_may_see(
    client, world, other_school, school_leader, logged_in
):
    elsewhere = UserFactory(first_name="Tom", last_name="Visser", roles=[("staff", other_school)])
    logged_in(school_leader)
    page = client.get(reverse("sanctions:person_file_search"), {"q": "visser"}).content.decode()
    assert reverse("sanctions:staff_person_file", args=[world["staff_subject"].pk]) in page
    assert reverse("sanctions:staff_person_file", args=[elsewhere.pk]) not in page
    leader_self = client.get(reverse("sanctions:person_file_search"), {"q": school_leader.last_name}).content.decode()
    assert reverse("sanctions:staff_person_file", args=[school_leader.pk]) not in leader_self
    pupil = world["pupil"]
    found = client.get(reverse("sanctions:person_file_search"), {"q": pupil.student_number}).content.decode()
    assert reverse("sanctions:pupil_person_file", args=[pupil.pk]) in found


def test_a_closed_case_refuses_a_new_measure_with_a_dutch_message(client, world, school_leader, logged_in):
    from reports.constants import CaseState

    type(world["case"]).objects.filter(pk=world["case"].pk).update(state=CaseState.CLOSED, closed_at=timezone.now())
    logged_in(school_leader)
    response = client.post(reverse("sanctions:measure_new", args=[world["case"].pk]), measure_post(world))
    assert response.status_code == 400 and "Dit dossier is gesloten." in response.content.decode()


@pytest.mark.parametrize(
    "page",
    [
        lambda w: reverse("sanctions:measure_list", args=[w["case"].pk]),
        lambda w: reverse("sanctions:approvals"),
        lambda w: reverse("sanctions:staff_person_file", args=[w["staff_subject"].pk]),
        lambda w: reverse("sanctions:escalation_list", args=[w["case"].pk]),
    ],
    ids=["measure_list", "approvals", "staff_person_file", "escalation_list"],
)
def test_pages_take_the_same_number_of_queries_for_one_or_many_rows(
    client, world, board_member, school_leader, page, logged_in
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    logged_in(board_member)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page(world)).status_code == 200
        return len(queries)

    few = count()
    for _ in range(5):
        MeasureFactory(
            case=world["case"], staff_member=world["staff_subject"], proposed_by=school_leader, proposed=True
        )
        Escalation.objects.create(
            case=world["case"], kind="police_report", happened_on=datetime.date(2026, 11, 20), recorded_by=school_leader
        )
    assert count() == few

"""For staff: the group overview, the photo check, publication records, takedowns and the CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Guardianship, Pupil
from accounts.tests.factories import GroupFactory, GuardianshipFactory, PupilFactory, UserFactory
from common.refusals import ActionRefused
from consent.constants import Method
from consent.extensions import group_extensions
from consent.models import Publication, TakedownTask
from consent.selectors import photo_check
from consent.services import consent_decide, consent_withdraw, publication_record
from consent.tests.factories import current_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(school, teacher):
    group = GroupFactory(school=school, grade=5, name="5a")
    group.teachers.add(teacher)
    return group


def pupil_with_guardians(group, first_name, *answers):
    pupil = PupilFactory(school=group.school, group=group, first_name=first_name, infix="", last_name="Test")
    for index, answer in enumerate(answers):
        guardian = UserFactory(email=f"{first_name.lower()}{index}@example.nl", password="")
        GuardianshipFactory(pupil=pupil, guardian=guardian)
        if answer is not None:
            consent_decide(
                decided_by=guardian, form=current_form(), answers=answer, method=Method.LOGGED_IN, pupil=pupil
            )
    return pupil


YES = {"school_social_media": {"photo": True}}
NO = {}


def test_photo_check_says_yes_when_everyone_pictured_consented(group):
    pupils = [pupil_with_guardians(group, "Anna", YES), pupil_with_guardians(group, "Bas", YES, YES)]
    result = photo_check(
        pupils=Pupil.objects.filter(pk__in=[p.pk for p in pupils]), purpose="school_social_media", medium="photo"
    )
    assert result.allowed and result.blockers == []


def test_photo_check_says_no_and_who_blocks_it_and_why(group):
    pupil_with_guardians(group, "Anna", YES)
    pupil_with_guardians(group, "Bas", None)  # nobody answered
    disagree = pupil_with_guardians(group, "Cas", YES, NO)
    result = photo_check(pupils=group.pupils.all(), purpose="school_social_media", medium="photo")
    assert not result.allowed
    reasons = {pupil.first_name: reason for pupil, reason in result.blockers}
    assert set(reasons) == {"Bas", "Cas"}
    assert reasons["Bas"] == "nog geen toestemming gegeven"
    assert str(disagree.guardianships.last().guardian) in reasons["Cas"]


def test_a_cleared_picture_is_recorded_with_the_consents_in_force(group, teacher):
    anna = pupil_with_guardians(group, "Anna", YES)
    publication = publication_record(
        created_by=teacher,
        group=group,
        pupils=[anna],
        purpose="school_social_media",
        medium="photo",
        description="Sportdag",
    )
    assert list(publication.pupils.all()) == [anna]
    assert publication.consent_snapshot == {str(anna.pk): [anna.consent_decisions.get().pk]}


def test_a_picture_that_is_not_cleared_cannot_be_recorded(group, teacher):
    bas = pupil_with_guardians(group, "Bas", None)
    with pytest.raises(ActionRefused, match="publiceren mag niet"):
        publication_record(
            created_by=teacher, group=group, pupils=[bas], purpose="website", medium="photo", description="x"
        )
    assert not Publication.objects.exists()


def test_withdrawal_gives_the_publisher_a_takedown_task_with_a_deadline(
    group, teacher, django_capture_on_commit_callbacks
):
    anna = pupil_with_guardians(group, "Anna", YES)
    publication_record(
        created_by=teacher,
        group=group,
        pupils=[anna],
        purpose="school_social_media",
        medium="photo",
        description="Sportdag",
    )
    guardian = anna.guardianships.get().guardian
    with django_capture_on_commit_callbacks(execute=True):
        consent_withdraw(decided_by=guardian, method=Method.LOGGED_IN, pupil=anna)
    task = TakedownTask.objects.get()
    assert task.assigned_to == teacher and task.pupil == anna and task.done_at is None
    assert task.due_at > task.created_at
    assert any(m.to == [teacher.email] and "Verwijdertaak" in m.subject for m in mail.outbox)
    # Anna's name is not in the e-mail: it says that there is a task, and links to it.
    assert not any(anna.first_name in m.body for m in mail.outbox if m.to == [teacher.email])


def test_publisher_confirms_the_takedown(client, group, teacher):
    anna = pupil_with_guardians(group, "Anna", YES)
    publication_record(
        created_by=teacher,
        group=group,
        pupils=[anna],
        purpose="school_social_media",
        medium="photo",
        description="Sportdag",
    )
    consent_withdraw(decided_by=anna.guardianships.get().guardian, method=Method.LOGGED_IN, pupil=anna)
    task = TakedownTask.objects.get()
    client.force_login(teacher)
    response = client.post(reverse("consent:takedown_done", args=[task.pk]), follow=True)
    assert "Bevestigd" in response.content.decode()
    task.refresh_from_db()
    assert task.done_at is not None


def test_teacher_sees_own_group_but_not_another_group(client, group, teacher, school):
    other = GroupFactory(school=school, grade=6, name="6b")
    client.force_login(teacher)
    assert client.get(reverse("consent:group_overview", args=[group.pk])).status_code == 200
    assert client.get(reverse("consent:group_overview", args=[other.pk])).status_code == 404
    assert client.get(reverse("consent:photo_check", args=[other.pk])).status_code == 404


def test_photo_check_page_keeps_the_choice_and_names_the_blocker(client, group, teacher):
    anna = pupil_with_guardians(group, "Anna", YES)
    bas = pupil_with_guardians(group, "Bas", None)
    client.force_login(teacher)
    response = client.post(
        reverse("consent:photo_check", args=[group.pk]),
        {"pupils": [anna.pk, bas.pk], "purpose": "school_social_media", "medium": "photo", "check": ""},
    )
    page = response.content.decode()
    assert "Nee, dit mag niet." in page
    assert f"{bas.full_name}: nog geen toestemming gegeven" in page
    assert f'value="{anna.pk}"' in page and "checked" in page


def test_a_name_with_markup_is_shown_as_text_in_the_overview_and_the_photo_check(client, group, teacher):
    odd = PupilFactory(school=group.school, group=group, first_name="<b>Bo</b>", infix="", last_name="Test")
    client.force_login(teacher)
    overview = client.get(reverse("consent:group_overview", args=[group.pk])).content.decode()
    check = client.get(reverse("consent:photo_check", args=[group.pk])).content.decode()
    for page in (overview, check):
        assert "<b>Bo</b>" not in page and "&lt;b&gt;Bo&lt;/b&gt; Test" in page
    assert '<label class="form-check-label" for="id_pupils_0">&lt;b&gt;Bo&lt;/b&gt; Test</label>' in check
    assert f'value="{odd.pk}"' in check


def test_leader_exports_the_current_state_of_the_school_as_csv(client, group, school_leader, school, logged_in):
    pupil_with_guardians(group, "Anna", YES)
    logged_in(school_leader)
    response = client.get(reverse("consent:school_export", args=[school.pk]))
    assert response["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, (anna,) = rows[0], rows[1:]
    assert anna[header.index("Sociale-media-accounts van de school: Foto")] == "ja"
    assert anna[header.index("Website van de school: Foto")] == "nee"


def test_teacher_cannot_export_the_school(client, school, teacher):
    client.force_login(teacher)
    assert client.get(reverse("consent:school_export", args=[school.pk])).status_code == 404


def _bulk_group(group, size: int) -> None:
    guardian = UserFactory(password="")
    pupils = Pupil.objects.bulk_create(
        [
            Pupil(
                school=group.school,
                group=group,
                student_number=f"B{i}",
                first_name=f"L{i}",
                last_name="Groot",
                date_of_birth="2017-03-01",
            )
            for i in range(size)
        ]
    )
    Guardianship.objects.bulk_create([Guardianship(guardian=guardian, pupil=p) for p in pupils])


@pytest.mark.parametrize("size", [30, 1000])
def test_group_overview_and_photo_check_query_counts_do_not_grow(
    client, group, teacher, size, django_assert_num_queries
):
    _bulk_group(group, size)
    client.force_login(teacher)
    # 10, + the menu: integrity officer? (cached after), + whether the group's links (consent/extensions.py)
    # show, + the menu: does this teacher hold a role of the school's role register (aanspreekpunt,
    # vertrouwenspersoon) and so handle cases (reports.access.may_handle_cases)?
    with django_assert_num_queries(13):
        assert client.get(reverse("consent:group_overview", args=[group.pk])).status_code == 200
    pupil_ids = list(group.pupils.values_list("pk", flat=True)[:25])
    with django_assert_num_queries(15):  # 14, and the groups a photo check can add
        response = client.post(
            reverse("consent:photo_check", args=[group.pk]),
            {"pupils": pupil_ids, "purpose": "website", "medium": "photo", "check": ""},
        )
    assert response.status_code == 200


# Staff in the picture ---------------------------------------------------------------------------------------


def staff_member_with(school, first_name, answers):
    member = UserFactory(first_name=first_name, last_name="Collega", roles=[("staff", school)])
    if answers is not None:
        consent_decide(
            decided_by=member, form=current_form(), answers=answers, method=Method.LOGGED_IN, staff_member=member
        )
    return member


def test_photo_check_names_a_staff_member_without_consent(client, group, teacher, school, logged_in):
    anna = pupil_with_guardians(group, "Anna", YES)
    staff_member_with(school, "Karin", YES)
    staff_member_with(school, "Joost", None)
    logged_in(teacher)
    page = client.post(
        reverse("consent:photo_check", args=[group.pk]),
        {
            "pupils": [anna.pk],
            "staff": list(
                UserFactory._meta.model.objects.filter(first_name__in=["Karin", "Joost"]).values_list("pk", flat=True)
            ),
            "purpose": "school_social_media",
            "medium": "photo",
            "check": "",
        },
    ).content.decode()
    assert "Nee, dit mag niet." in page
    assert "Joost Collega: nog geen toestemming gegeven" in page and "Karin Collega:" not in page


def test_a_staff_member_who_withdraws_gets_the_publication_taken_down(group, teacher, school):
    anna = pupil_with_guardians(group, "Anna", YES)
    karin = staff_member_with(school, "Karin", YES)
    publication = publication_record(
        created_by=teacher,
        group=group,
        pupils=[anna],
        staff=[karin],
        purpose="school_social_media",
        medium="photo",
        description="Schoolreisje",
    )
    assert list(publication.staff_members.all()) == [karin]
    assert f"staff:{karin.pk}" in publication.consent_snapshot

    consent_withdraw(decided_by=karin, method=Method.LOGGED_IN, staff_member=karin)
    task = TakedownTask.objects.get()
    assert (task.person, task.assigned_to, task.publication) == (karin, teacher, publication)


def test_a_picture_with_a_staff_member_who_said_no_cannot_be_recorded(group, teacher, school):
    joost = staff_member_with(school, "Joost", {"website": {"photo": True}})
    with pytest.raises(ActionRefused, match="publiceren mag niet"):
        publication_record(
            created_by=teacher,
            group=group,
            pupils=[],
            staff=[joost],
            purpose="school_social_media",
            medium="photo",
            description="Teamuitje",
        )
    assert not Publication.objects.exists()


def test_staff_only_check_is_allowed_but_an_empty_check_asks_who_is_in_it(client, group, teacher, school, logged_in):
    karin = staff_member_with(school, "Karin", YES)
    logged_in(teacher)
    url = reverse("consent:photo_check", args=[group.pk])
    ok = client.post(url, {"staff": [karin.pk], "purpose": "school_social_media", "medium": "photo", "check": ""})
    assert "Ja, dit mag." in ok.content.decode()
    empty = client.post(url, {"purpose": "school_social_media", "medium": "photo", "check": ""})
    assert "Kies wie er op de foto, film of opname staan." in empty.content.decode()


def test_photo_check_refuses_an_id_no_database_can_hold_without_an_error(client, group, teacher, logged_in):
    logged_in(teacher)
    response = client.post(
        reverse("consent:photo_check", args=[group.pk]),
        {"pupils": ["9223372036854775808"], "purpose": "website", "medium": "photo", "check": ""},
    )
    assert response.status_code == 200 and "is geen geldige waarde" in response.content.decode()


def test_the_group_overview_links_to_the_groups_recording_permissions_only_for_who_reads_them(
    client, group, teacher, school_leader
):
    # recordings registers the link (consent/extensions.py); consent itself never imports recordings.
    current_form()
    address = f"/recordings/groups/{group.pk}/"
    client.force_login(teacher)
    assert address in client.get(reverse("consent:group_overview", args=[group.pk])).content.decode()
    stranger = UserFactory(roles=[("staff", group.school)])
    assert group_extensions.links_for(user=stranger, group=group) == []
    assert group_extensions.links_for(user=school_leader, group=group) == [("Opnametoestemmingen", address)]

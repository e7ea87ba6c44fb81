"""Staff read receipts: one click after the text, "what changed", the leader's overview, CSV, reminders."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from notifications.models import Notification
from policy import services
from policy.constants import VersionStatus
from policy.models import Acknowledgement, AcknowledgementReminder, ProtocolVersion
from policy.tests.factories import ProtocolVersionFactory

pytestmark = pytest.mark.django_db


def version_2_in_force(board_member) -> ProtocolVersion:
    v1 = ProtocolVersion.objects.get(number=1)
    body = v1.body.replace("6. Het is medewerkers niet toegestaan", "6. Het is medewerkers nooit toegestaan")
    draft = ProtocolVersionFactory(
        consented=True,
        council_decided_on=timezone.localdate(),
        body=body,
        explanation=v1.explanation,
        based_on=v1,
        change_note="Vrienden worden met leerlingen mag nooit meer.",
    )
    today = timezone.localdate()
    return services.protocol_version_adopt(version=draft, by=board_member, adopted_on=today, effective_from=today)


def test_teacher_acknowledges_with_one_click_after_the_text(client, teacher, logged_in):
    logged_in(teacher)
    page = client.get("/protocol/acknowledge/").content.decode()
    assert page.index('id="a-6"') < page.index("Ik heb het protocol gelezen")
    client.post("/protocol/acknowledge/")
    client.post("/protocol/acknowledge/")  # a second click changes nothing
    ack = Acknowledgement.objects.get(staff_member=teacher)
    assert ack.version.number == 1
    assert 'data-testid="acknowledged"' in client.get("/protocol/acknowledge/").content.decode()


def test_a_new_version_opens_with_what_changed_and_the_old_acknowledgement_is_outdated(
    client, teacher, board_member, school_leader, school, logged_in
):
    services.protocol_acknowledge(version=ProtocolVersion.objects.get(number=1), staff_member=teacher)
    version_2_in_force(board_member)
    logged_in(teacher)
    page = client.get("/protocol/acknowledge/").content.decode()
    assert "Vrienden worden met leerlingen mag nooit meer." in page
    assert 'href="#a-6"' in page and "/protocol/diff/1/2/" in page
    assert "die bevestiging is verouderd" in page
    logged_in(school_leader)
    overview = client.get(f"/protocol/acknowledgements/{school.pk}/").content.decode()
    assert "verouderd: Versie 1 gelezen" in overview
    assert "0 van de 2 medewerkers hebben Versie 2 gelezen" in overview


def test_only_staff_acknowledge(client, parent, logged_in):
    logged_in(parent)
    assert client.get("/protocol/acknowledge/").status_code == 404


def test_leader_sees_own_school_only_and_exports_csv(client, school, other_school, school_leader, teacher, logged_in):
    UserFactory(email="elders@example.nl", roles=[("staff", other_school)])
    services.protocol_acknowledge(version=ProtocolVersion.objects.get(number=1), staff_member=teacher)
    logged_in(school_leader)
    assert client.get("/protocol/acknowledgements/").url == f"/protocol/acknowledgements/{school.pk}/"
    assert client.get(f"/protocol/acknowledgements/{other_school.pk}/").status_code == 404
    page = client.get(f"/protocol/acknowledgements/{school.pk}/").content.decode()
    assert "1 van de 2 medewerkers" in page and "elders" not in page
    csv_text = client.get(f"/protocol/acknowledgements/{school.pk}/export.csv").content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Naam;E-mailadres;Status")
    assert any(teacher.email in line and ";gelezen;1;" in line for line in lines)
    assert any(school_leader.email in line and "niet gelezen" in line for line in lines)


def test_teacher_cannot_see_the_overview(client, school, teacher, logged_in):
    logged_in(teacher)
    assert client.get(f"/protocol/acknowledgements/{school.pk}/").status_code == 404
    assert client.get(f"/protocol/acknowledgements/{school.pk}/export.csv").status_code == 404


@pytest.mark.parametrize("staff_count", [10, 200])
def test_overview_query_count_does_not_grow_with_staff(
    client, school, school_leader, staff_count, django_assert_num_queries, logged_in
):
    version = ProtocolVersion.objects.get(number=1)
    for n in range(staff_count):
        member = UserFactory(email=f"m{n}@example.nl", roles=[("staff", school)])
        if n % 2:
            Acknowledgement.objects.create(version=version, staff_member=member, acknowledged_at=timezone.now())
        else:
            AcknowledgementReminder.objects.create(
                version=version, staff_member=member, after_days=7, sent_at=timezone.now() - datetime.timedelta(days=2)
            )
            AcknowledgementReminder.objects.create(
                version=version, staff_member=member, sent_by=school_leader, sent_at=timezone.now()
            )
    logged_in(school_leader)
    # Session, user, device, roles; school, the version in force, staff, their acknowledgements,
    # their reminders, how many "herinner nu" would reach; navigation (schools, inbox).
    with django_assert_num_queries(12):
        response = client.get(f"/protocol/acknowledgements/{school.pk}/")
    assert response.context["total"] == staff_count + 1


def test_reminders_after_seven_and_fourteen_days_once_each(teacher, school_leader, board_member):
    version = version_2_in_force(board_member)
    services.protocol_acknowledge(version=version, staff_member=school_leader)
    start = version.in_force_since
    assert services.protocol_acknowledgement_remind(now=start + datetime.timedelta(days=6)) == 0
    assert services.protocol_acknowledgement_remind(now=start + datetime.timedelta(days=7)) == 1
    assert services.protocol_acknowledgement_remind(now=start + datetime.timedelta(days=8)) == 0
    assert services.protocol_acknowledgement_remind(now=start + datetime.timedelta(days=15)) == 1
    assert services.protocol_acknowledgement_remind(now=start + datetime.timedelta(days=30)) == 0
    assert set(AcknowledgementReminder.objects.values_list("staff_member", "after_days")) == {
        (teacher.pk, 7),
        (teacher.pk, 14),
    }
    assert (
        Notification.objects.filter(recipient=teacher, template="policy/email/reminder").count() == 4
    )  # e-mail + inbox


def test_acknowledging_an_old_version_is_refused(teacher, board_member):
    version_2_in_force(board_member)
    v1 = ProtocolVersion.objects.get(number=1)
    assert v1.status == VersionStatus.SUPERSEDED
    with pytest.raises(Exception, match="nu geldt"):
        services.protocol_acknowledge(version=v1, staff_member=teacher)

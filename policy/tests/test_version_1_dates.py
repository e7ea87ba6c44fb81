"""Version 1 publishes only recorded dates: none invented by a migration, recorded once by the board."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from common.refusals import ActionRefused
from policy import services
from policy.articles import DOTS
from policy.constants import EventKind
from policy.models import ProtocolVersion, ProtocolVersionEvent
from policy.tests.factories import ProtocolVersionFactory
from policy.version_1 import INVENTED, INVENTED_STEPS, ZONE, clear_invented_dates

pytestmark = pytest.mark.django_db

REAL = {
    "council_decided_on": datetime.date(2020, 6, 30),
    "minutes_reference": "GMR 30 juni 2020, punt 3",
    "adopted_on": datetime.date(2020, 7, 6),
    "adopted_by_name": "Het bestuur van de SKOW",
    "effective_from": datetime.date(2020, 8, 1),
}


def v1() -> ProtocolVersion:
    return ProtocolVersion.objects.get(number=1, document="protocol")  # seed_demo adds a regeling v1


def test_a_fresh_installation_has_version_1_in_force_without_dates():
    version = v1()
    assert version.is_in_force and version.adopted_before_portal and version.awaits_recorded_dates
    assert version.council_decided_on is None and version.adopted_on is None and not version.dates_are_demo
    assert [event.kind for event in version.events.all()] == [EventKind.INSTALLED]


def test_the_public_page_says_plainly_the_dates_are_not_yet_recorded(client):
    html = client.get("/protocol/").content.decode()
    assert 'data-testid="dates-not-recorded"' in html and html.count("nog niet vastgelegd") == 2
    assert "(demo)" not in html and "23 juni 2020" not in html
    assert f"op {DOTS} door het bestuur vastgesteld op {DOTS}" in html


def test_the_board_records_the_dates_with_who_and_when_in_the_history(client, board_member):
    services.protocol_version_record_dates(version=v1(), by=board_member, **REAL)
    version = v1()
    assert not version.awaits_recorded_dates and not version.dates_are_demo
    assert (version.council_decided_on, version.adopted_on, version.effective_from) == (
        REAL["council_decided_on"],
        REAL["adopted_on"],
        REAL["effective_from"],
    )
    event = version.events.get(kind=EventKind.DATES_RECORDED)
    assert event.by == board_member and "30 juni 2020 (GMR 30 juni 2020, punt 3)" in event.note
    html = client.get("/protocol/").content.decode()
    assert "30 juni 2020 (GMR 30 juni 2020, punt 3)" in html and "nog niet vastgelegd" not in html
    assert "(demo)" not in html


def test_a_correction_is_another_line_in_the_history(board_member, functional_admin):
    services.protocol_version_record_dates(version=v1(), by=board_member, **REAL)
    services.protocol_version_record_dates(
        version=v1(), by=functional_admin, **{**REAL, "adopted_on": datetime.date(2020, 7, 7)}
    )
    lines = list(v1().events.filter(kind=EventKind.DATES_RECORDED).values_list("by__email", flat=True))
    assert lines == [board_member.email, functional_admin.email]
    assert v1().adopted_on == datetime.date(2020, 7, 7)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"council_decided_on": datetime.date(2099, 1, 1)}, "council_decided_on"),
        ({"adopted_on": datetime.date(2020, 6, 1)}, "adopted_on"),  # before the (G)MR consented
        ({"effective_from": datetime.date(2020, 7, 1)}, "effective_from"),  # before the adoption
        ({"adopted_by_name": "  "}, "adopted_by_name"),
    ],
)
def test_wrong_dates_are_refused_per_field(board_member, change, field):
    with pytest.raises(ValidationError) as error:
        services.protocol_version_record_dates(version=v1(), by=board_member, **{**REAL, **change})
    assert field in error.value.error_dict
    assert v1().awaits_recorded_dates


@pytest.mark.parametrize("who", ["teacher", "school_leader", "council_secretary", "parent"])
def test_only_the_board_and_functional_admins_record_the_dates(request, who):
    with pytest.raises(ActionRefused):
        services.protocol_version_record_dates(version=v1(), by=request.getfixturevalue(who), **REAL)


def test_a_version_adopted_in_the_portal_gets_no_dates_afterwards(board_member):
    version = ProtocolVersionFactory(adopted=True, number=2)
    with pytest.raises(ActionRefused):
        services.protocol_version_record_dates(version=version, by=board_member, **REAL)


def test_the_effective_date_stays_before_the_next_version(board_member):
    ProtocolVersionFactory(adopted=True, number=2, effective_from=datetime.date(2021, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.protocol_version_record_dates(
            version=v1(), by=board_member, **{**REAL, "effective_from": datetime.date(2021, 2, 1)}
        )
    assert "effective_from" in error.value.error_dict


def test_only_seed_demo_fills_demo_dates_and_the_page_then_says_demo(client):
    call_command("seed_demo", "--force", stdout=io.StringIO())
    version = v1()
    assert version.dates_are_demo and version.council_decided_on == datetime.date(2020, 6, 23)
    html = client.get("/protocol/").content.decode()
    assert "23 juni 2020" in html and "(demo)" in html
    call_command("seed_demo", "--force", stdout=io.StringIO())  # idempotent: one line in the history
    assert v1().events.filter(kind=EventKind.DATES_RECORDED).count() == 1


def test_seed_demo_never_overwrites_recorded_dates(board_member):
    services.protocol_version_record_dates(version=v1(), by=board_member, **REAL)
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert v1().adopted_on == REAL["adopted_on"] and not v1().dates_are_demo


def _as_the_old_migration_left_it() -> ProtocolVersion:
    ProtocolVersion.objects.filter(number=1).update(
        adopted_before_portal=False, **INVENTED, effective_from=datetime.date(2020, 7, 1)
    )
    ProtocolVersionEvent.objects.filter(version__number=1).delete()
    version = v1()
    for from_status, to_status, day in sorted(INVENTED_STEPS, key=lambda step: step[2]):
        ProtocolVersionEvent.objects.create(
            version=version,
            from_status=from_status,
            to_status=to_status,
            at=datetime.datetime.combine(day, datetime.time(12), tzinfo=ZONE),
        )
    return version


def test_an_older_installation_loses_exactly_the_invented_dates_and_steps(client):
    _as_the_old_migration_left_it()
    ProtocolVersionEvent.objects.create(
        version=v1(), from_status="in_force", to_status="in_force", at=timezone.now(), note="Kept."
    )
    assert clear_invented_dates(ProtocolVersion, ProtocolVersionEvent)
    version = v1()
    assert version.awaits_recorded_dates and version.council_minutes_reference == "" and version.adopted_by_name == ""
    assert version.effective_from == datetime.date(2020, 7, 1)  # reports stay pinned to version 1
    assert sorted(version.events.values_list("kind", "note")) == sorted(
        [("step", "Kept."), ("installed", version.events.get(kind="installed").note)]
    )
    assert "nog niet vastgelegd" in client.get("/protocol/").content.decode()


def test_dates_a_person_recorded_are_left_alone_by_the_clean_up(board_member):
    _as_the_old_migration_left_it()
    ProtocolVersion.objects.filter(number=1).update(council_minutes_reference="Notulen GMR 23 juni 2020, punt 4")
    assert not clear_invented_dates(ProtocolVersion, ProtocolVersionEvent)
    assert v1().council_decided_on == datetime.date(2020, 6, 23)
    assert v1().adopted_before_portal  # a person may still correct them


def test_the_drafts_page_asks_the_board_to_record_the_dates_first(client, board_member, council_secretary, logged_in):
    logged_in(board_member)
    assert 'data-testid="dates-to-record"' in client.get("/protocol/drafts/").content.decode()
    logged_in(council_secretary)
    assert 'data-testid="dates-to-record"' not in client.get("/protocol/drafts/").content.decode()
    assert client.get("/protocol/1/dates/").status_code == 404


def test_the_dates_form_keeps_what_was_typed_on_an_error(client, board_member, logged_in):
    logged_in(board_member)
    response = client.post(
        "/protocol/1/dates/",
        {
            "council_decided_on": "2020-06-30",
            "minutes_reference": "GMR punt 3",
            "adopted_on": "2020-06-01",
            "adopted_by_name": "Het bestuur",
            "effective_from": "2020-08-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400 and "vóór de instemming van de (G)MR" in html
    assert 'value="GMR punt 3"' in html and 'value="2020-06-01"' in html
    assert v1().awaits_recorded_dates

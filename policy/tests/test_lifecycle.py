"""The lifecycle: every allowed and refused transition per role, and the rules around adoption."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.tests.factories import UserFactory
from common.refusals import ActionRefused
from notifications.models import Notification
from policy import selectors, services
from policy.constants import Actor, VersionStatus
from policy.lifecycle import TRANSITIONS, actors_of, may_transition
from policy.models import ProtocolVersion
from policy.tests.factories import ProtocolVersionFactory

pytestmark = pytest.mark.django_db
S = VersionStatus
TODAY = timezone.localdate


@pytest.fixture
def people(school, board_member, council_secretary, school_leader, teacher, parent):
    return {
        "board": board_member,
        "functional_admin": UserFactory(email="beheer@example.nl", roles=[("functional_admin", None)]),
        "council_secretary": council_secretary,
        "school_leader": school_leader,
        "teacher": teacher,
        "parent": parent,
    }


def submit(version, by):
    return services.protocol_version_submit(version=version, by=by)


def consent(version, by):
    return services.protocol_version_council_consent(
        version=version, by=by, decided_on=TODAY(), minutes_reference="Notulen 4"
    )


def refuse(version, by):
    return services.protocol_version_council_refuse(
        version=version, by=by, decided_on=TODAY(), minutes_reference="Notulen 4", reasons="Te vaag over A.6."
    )


def adopt(version, by):
    return services.protocol_version_adopt(version=version, by=by, adopted_on=TODAY(), effective_from=TODAY())


def update(version, by):
    return services.protocol_draft_update(
        version=version,
        by=by,
        title=version.title,
        body=version.body + "\n2. Nieuw uitgangspunt.\n",
        explanation="",
        summary_for_parents="",
        change_note="Een uitgangspunt erbij.",
    )


def start(trait: str) -> ProtocolVersion:
    version = ProtocolVersionFactory(**({trait: True} if trait != "draft" else {}))
    if trait == "submitted":
        version.submitted_at = timezone.now() - datetime.timedelta(days=3)
        version.save()
    return version


# (action, the status it starts from, the roles that may take it): a new rule is a new row.
ALLOWED = [
    (update, "draft", {"board", "functional_admin"}),
    (submit, "draft", {"board", "functional_admin"}),
    (consent, "submitted", {"council_secretary"}),
    (refuse, "submitted", {"council_secretary"}),
    (adopt, "consented", {"board"}),
]
ROLES = ["board", "functional_admin", "council_secretary", "school_leader", "teacher", "parent"]


@pytest.mark.parametrize(
    ("action", "trait", "role", "allowed"),
    [(a, t, r, r in roles) for a, t, roles in ALLOWED for r in ROLES],
    ids=lambda v: getattr(v, "__name__", str(v)),
)
def test_who_may_take_each_step(people, action, trait, role, allowed):
    version = start(trait)
    if allowed:
        action(version, people[role])
    else:
        with pytest.raises(ActionRefused, match=r"Alleen|mag deze stap niet"):
            action(version, people[role])
        version.refresh_from_db()
        assert version.status == {"draft": S.DRAFT, "submitted": S.SUBMITTED, "consented": S.COUNCIL_CONSENTED}[trait]


# (action, a status it may not start from, who tries): refused with a message, status unchanged.
# Refused for the version's status, not for the person: each would be allowed from the right status.
WRONG_STATE = [
    (update, "submitted", "board"),  # text frozen once submitted
    (update, "consented", "board"),
    (submit, "submitted", "board"),
    (consent, "draft", "council_secretary"),
    (consent, "consented", "council_secretary"),
    (refuse, "refused", "council_secretary"),
    (adopt, "draft", "board"),
    (adopt, "submitted", "board"),  # silence of the (G)MR is not consent
    (adopt, "refused", "board"),
    (adopt, "adopted", "board"),
]


@pytest.mark.parametrize(("action", "trait", "role"), WRONG_STATE, ids=lambda v: getattr(v, "__name__", str(v)))
def test_steps_from_the_wrong_state_are_refused(people, action, trait, role):
    version = start(trait)
    before = version.status
    with pytest.raises(ActionRefused) as refused:
        action(version, people[role])
    assert "Alleen het bestuur" not in refused.value.message and "mag deze stap niet" not in refused.value.message
    version.refresh_from_db()
    assert version.status == before


def test_adoption_without_council_consent_is_refused_with_a_clear_message(board_member):
    with pytest.raises(ActionRefused) as refused:
        adopt(start("submitted"), board_member)
    assert "instemming van de (G)MR" in refused.value.message


# Every pair of statuses and who may move a version from one to the other; anything else: nobody.
EXPECTED = {
    (S.DRAFT, S.SUBMITTED): {"board", "functional_admin"},
    (S.SUBMITTED, S.COUNCIL_CONSENTED): {"council_secretary"},
    (S.SUBMITTED, S.COUNCIL_REFUSED): {"council_secretary"},
    (S.COUNCIL_CONSENTED, S.ADOPTED): {"board"},
    (S.ADOPTED, S.IN_FORCE): {"system"},
    (S.IN_FORCE, S.SUPERSEDED): {"system"},
    (S.DRAFT, S.CARRIED_OVER): {"board", "functional_admin"},
    (S.SUBMITTED, S.CARRIED_OVER): {"board", "functional_admin"},
    (S.COUNCIL_CONSENTED, S.CARRIED_OVER): {"board", "functional_admin"},
}


@pytest.mark.parametrize(("from_status", "to_status"), [(f, t) for f in S for t in S])
def test_each_transition_is_open_to_exactly_the_right_roles(people, from_status, to_status):
    everyone = {**people, "system": None}
    allowed = {
        role
        for role, user in everyone.items()
        if may_transition(user=user, from_status=from_status, to_status=to_status)
    }
    assert allowed == EXPECTED.get((from_status, to_status), set())


def test_nothing_moves_by_itself_except_taking_effect_and_being_superseded():
    system = [pair for pair, actors in TRANSITIONS.items() if Actor.SYSTEM in actors]
    assert sorted(system) == sorted([(S.ADOPTED, S.IN_FORCE), (S.IN_FORCE, S.SUPERSEDED)])
    assert not may_transition(user=None, from_status=S.SUBMITTED, to_status=S.COUNCIL_CONSENTED)
    assert actors_of(None) == {Actor.SYSTEM}


def test_full_life_notifies_the_next_actor_and_takes_effect_on_adoption(people):
    v1 = ProtocolVersion.objects.get(number=1)
    draft = services.protocol_draft_create(by=people["board"], change_note="A.6 aangescherpt.")
    assert draft.body == v1.body and draft.based_on == v1
    submit(draft, people["board"])
    assert Notification.objects.filter(
        recipient=people["council_secretary"], template="policy/email/submitted"
    ).exists()
    consent(draft, people["council_secretary"])
    assert Notification.objects.filter(recipient=people["board"], template="policy/email/council_consented").exists()
    assert selectors.protocol_version_in_force() == v1  # cached now
    version = adopt(draft, people["board"])
    assert version.number == 2 and version.status == S.IN_FORCE
    assert selectors.protocol_version_in_force().pk == version.pk  # the cache was dropped
    v1.refresh_from_db()
    assert v1.status == S.SUPERSEDED and v1.superseded_at is not None
    staff = {n.recipient for n in Notification.objects.filter(template="policy/email/in_force")}
    assert staff == {people["teacher"], people["school_leader"]}
    steps = [(e.from_status, e.to_status, e.by) for e in version.events.all()]
    assert steps == [
        ("", S.DRAFT, people["board"]),
        (S.DRAFT, S.SUBMITTED, people["board"]),
        (S.SUBMITTED, S.COUNCIL_CONSENTED, people["council_secretary"]),
        (S.COUNCIL_CONSENTED, S.ADOPTED, people["board"]),
        (S.ADOPTED, S.IN_FORCE, None),
    ]


def test_a_later_effective_date_waits_for_the_beat_task(board_member):
    version = ProtocolVersionFactory(consented=True, council_decided_on=TODAY())
    tomorrow = TODAY() + datetime.timedelta(days=1)
    services.protocol_version_adopt(version=version, by=board_member, adopted_on=TODAY(), effective_from=tomorrow)
    version.refresh_from_db()
    assert version.status == S.ADOPTED
    assert services.protocol_versions_take_effect_due(today=TODAY()) == []
    assert [v.pk for v in services.protocol_versions_take_effect_due(today=tomorrow)] == [version.pk]
    assert selectors.protocol_version_in_force().pk == version.pk
    assert services.protocol_versions_take_effect_due(today=tomorrow) == []  # idempotent


def test_adoption_dates_are_checked(board_member):
    version = ProtocolVersionFactory(consented=True, council_decided_on=TODAY())
    with pytest.raises(ValidationError) as error:
        services.protocol_version_adopt(
            version=version, by=board_member, adopted_on=TODAY() - datetime.timedelta(days=1), effective_from=TODAY()
        )
    assert "adopted_on" in error.value.error_dict  # not before the (G)MR's consent
    with pytest.raises(ValidationError) as error:
        services.protocol_version_adopt(
            version=version, by=board_member, adopted_on=TODAY(), effective_from=TODAY() - datetime.timedelta(days=1)
        )
    assert "effective_from" in error.value.error_dict


def test_a_refusal_needs_reasons_and_the_board_may_amend_and_resubmit(people):
    version = start("submitted")
    with pytest.raises(ValidationError):
        services.protocol_version_council_refuse(
            version=version, by=people["council_secretary"], decided_on=TODAY(), minutes_reference="x", reasons=" "
        )
    refuse(version, people["council_secretary"])
    assert Notification.objects.filter(recipient=people["board"], template="policy/email/council_refused").exists()
    amended = services.protocol_draft_create(
        by=people["board"], change_note="Aangepast na weigering.", based_on=version
    )
    assert amended.status == S.DRAFT and amended.body == version.body
    version.refresh_from_db()
    assert version.status == S.COUNCIL_REFUSED  # stays in history


def test_a_new_draft_needs_a_change_note(board_member):
    with pytest.raises(ValidationError):
        services.protocol_draft_create(by=board_member, change_note="  ")


def test_the_council_cannot_decide_in_the_future(council_secretary):
    with pytest.raises(ValidationError):
        services.protocol_version_council_consent(
            version=start("submitted"),
            by=council_secretary,
            decided_on=TODAY() + datetime.timedelta(days=1),
            minutes_reference="x",
        )


def test_silence_of_the_council_is_not_consent(board_member):
    """Months after submission, the beat tasks still adopt nothing and take nothing into force."""
    version = start("submitted")
    version.submitted_at = timezone.now() - datetime.timedelta(days=365)
    version.save()
    later = TODAY() + datetime.timedelta(days=365)
    assert services.protocol_versions_take_effect_due(today=later) == []
    services.protocol_acknowledgement_remind(now=timezone.now() + datetime.timedelta(days=365))
    version.refresh_from_db()
    assert version.status == S.SUBMITTED and version.number is None
    assert selectors.protocol_version_in_force().number == 1


def test_the_beat_tasks_call_the_services(board_member):
    from policy.tasks import protocol_acknowledgement_remind_task, protocol_take_effect_task

    version = ProtocolVersionFactory(adopted=True, effective_from=TODAY())
    assert protocol_take_effect_task.delay().get() == 1
    version.refresh_from_db()
    assert version.status == S.IN_FORCE
    assert protocol_acknowledgement_remind_task.delay().get() == 0  # nobody is due yet


def test_the_model_itself_refuses_to_change_a_submitted_text():
    version = ProtocolVersion.objects.get(pk=start("submitted").pk)
    version.body += "\n3. Stiekem erbij.\n"
    with pytest.raises(ValueError, match="frozen"):
        version.save()
    draft = ProtocolVersion.objects.get(pk=start("draft").pk)
    draft.body += "\n3. Mag wel.\n"
    draft.save()

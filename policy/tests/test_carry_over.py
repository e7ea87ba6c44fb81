"""Two drafts from the same version: the second is refused at adoption and carried onto the newer one."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.refusals import ActionRefused
from policy import selectors, services
from policy.articles import merge3, three_way
from policy.constants import VersionStatus
from policy.models import ProtocolVersion
from policy.tests.factories import ProtocolVersionFactory

pytestmark = pytest.mark.django_db
S = VersionStatus

A4_OLD = "4. De gebruikers van sociale media dienen rekening te houden"
A4_NEW = "4. Alle gebruikers van sociale media dienen rekening te houden"
A6_OLD = "6. Het is medewerkers niet toegestaan om met een privéaccount"
A6_NEW = "6. Het is medewerkers nooit toegestaan om met een privéaccount"


def draft_changing(board, old: str, new: str, note: str) -> ProtocolVersion:
    draft = services.protocol_draft_create(by=board, change_note=note)
    assert old in draft.body
    return services.protocol_draft_update(
        version=draft,
        by=board,
        title=draft.title,
        body=draft.body.replace(old, new),
        explanation=draft.explanation,
        summary_for_parents=draft.summary_for_parents,
        change_note=note,
    )


def consented(draft, board, secretary) -> ProtocolVersion:
    services.protocol_version_submit(version=draft, by=board)
    return services.protocol_version_council_consent(
        version=draft, by=secretary, decided_on=timezone.localdate(), minutes_reference="GMR, punt 2"
    )


def adopt(draft, board) -> ProtocolVersion:
    today = timezone.localdate()
    return services.protocol_version_adopt(version=draft, by=board, adopted_on=today, effective_from=today)


@pytest.fixture
def two_consented_drafts(board_member, council_secretary):
    first = consented(
        draft_changing(board_member, A4_OLD, A4_NEW, "A.4: alle gebruikers."), board_member, council_secretary
    )
    second = consented(draft_changing(board_member, A6_OLD, A6_NEW, "A.6: nooit."), board_member, council_secretary)
    return first, second


def test_adopting_a_draft_whose_base_was_replaced_is_refused_and_nothing_is_undone(two_consented_drafts, board_member):
    first, second = two_consented_drafts
    v2 = adopt(first, board_member)
    assert v2.number == 2 and A4_NEW in v2.body
    with pytest.raises(ActionRefused) as refused:
        adopt(second, board_member)
    assert "inmiddels is Versie 2 vastgesteld" in refused.value.message
    second.refresh_from_db()
    assert second.status == S.COUNCIL_CONSENTED and second.number is None
    assert selectors.protocol_version_in_force() == v2


def test_a_version_adopted_to_take_effect_later_also_makes_the_other_draft_outdated(two_consented_drafts, board_member):
    first, second = two_consented_drafts
    today = timezone.localdate()
    services.protocol_version_adopt(
        version=first, by=board_member, adopted_on=today, effective_from=today + timezone.timedelta(days=30)
    )
    assert selectors.protocol_draft_is_outdated(second)
    with pytest.raises(ActionRefused):
        adopt(second, board_member)


def test_a_new_draft_starts_from_a_version_adopted_to_take_effect_later(client, board_member, logged_in):
    v1 = ProtocolVersion.objects.get(number=1)
    later = ProtocolVersionFactory(adopted=True, number=2, body=v1.body.replace(A4_OLD, A4_NEW))
    draft = services.protocol_draft_create(by=board_member, change_note="A.6.")
    assert draft.based_on == later and A4_NEW in draft.body and not selectors.protocol_draft_is_outdated(draft)
    with pytest.raises(ActionRefused):  # not from the version in force: that would undo version 2
        services.protocol_draft_create(by=board_member, change_note="A.6.", based_on=v1)
    logged_in(board_member)
    assert (
        "Het concept begint als kopie van Versie 2, die is vastgesteld"
        in client.get("/protocol/drafts/").content.decode()
    )


def test_an_outdated_draft_cannot_be_submitted_either(board_member, council_secretary):
    first = consented(draft_changing(board_member, A4_OLD, A4_NEW, "A.4."), board_member, council_secretary)
    second = draft_changing(board_member, A6_OLD, A6_NEW, "A.6.")
    adopt(first, board_member)
    with pytest.raises(ActionRefused, match="Zet de wijzigingen"):
        services.protocol_version_submit(version=second, by=board_member)


def test_carrying_over_keeps_both_changes_and_needs_consent_again(
    two_consented_drafts, board_member, council_secretary
):
    first, second = two_consented_drafts
    v2 = adopt(first, board_member)
    carried = services.protocol_draft_carry_over(version=second, by=board_member)
    assert carried.status == S.DRAFT and carried.based_on == v2 and carried.carried_over_from == second
    assert A4_NEW in carried.body and A6_NEW in carried.body  # neither change is lost
    assert carried.change_note == second.change_note
    second.refresh_from_db()
    assert second.status == S.CARRIED_OVER
    assert second.events.last().note == str(carried)
    # The (G)MR consented to another text: the new draft goes through the whole life again.
    with pytest.raises(ActionRefused):
        adopt(carried, board_member)
    v3 = adopt(consented(carried, board_member, council_secretary), board_member)
    assert v3.number == 3 and A4_NEW in v3.body and A6_NEW in v3.body


def test_a_second_click_on_carry_over_returns_the_same_new_draft(two_consented_drafts, board_member):
    first, second = two_consented_drafts
    adopt(first, board_member)
    carried = services.protocol_draft_carry_over(version=second, by=board_member)
    assert services.protocol_draft_carry_over(version=second, by=board_member) == carried
    assert ProtocolVersion.objects.filter(carried_over_from=second).count() == 1


def test_a_draft_on_the_newest_version_is_not_carried(board_member, teacher):
    draft = draft_changing(board_member, A6_OLD, A6_NEW, "A.6.")
    with pytest.raises(ActionRefused, match="al gebaseerd op de nieuwste"):
        services.protocol_draft_carry_over(version=draft, by=board_member)
    with pytest.raises(ActionRefused, match="Alleen het bestuur"):
        services.protocol_draft_carry_over(version=draft, by=teacher)


def test_where_both_changed_the_same_article_the_adopted_wording_is_kept_and_shown_as_a_conflict(
    board_member, council_secretary
):
    first = consented(draft_changing(board_member, A6_OLD, A6_NEW, "A.6: nooit."), board_member, council_secretary)
    other = draft_changing(
        board_member, A6_OLD, "6. Het is medewerkers verboden om met een privéaccount", "A.6 anders."
    )
    v2 = adopt(first, board_member)
    carried = services.protocol_draft_carry_over(version=other, by=board_member)
    assert A6_NEW in carried.body and "verboden" not in carried.body  # adopted wording kept
    assert "1 onderdeel is in beide anders gewijzigd" in carried.events.first().note
    blocks = three_way(ProtocolVersion.objects.get(number=1).body, v2.body, other.body)
    assert [(b.label, b.is_conflict) for b in blocks] == [("A.6", True)]
    assert "<ins>nooit</ins>" in blocks[0].current.html and "<ins>verboden</ins>" in blocks[0].draft.html


def test_the_three_way_view_lists_each_side_s_own_change():
    base = "## A {#a}\n\n1. Een.\n2. Twee.\n3. Drie.\n"
    current = base.replace("1. Een.", "1. Eén.")
    draft = base.replace("3. Drie.", "3. Drie en vier.")
    blocks = three_way(base, current, draft)
    assert [(b.label, b.current is not None, b.draft is not None, b.is_conflict) for b in blocks] == [
        ("A.1", True, False, False),
        ("A.3", False, True, False),
    ]


@pytest.mark.parametrize(
    ("current", "draft", "merged", "conflicts"),
    [
        ("a\nB\nc", "a\nb\nC", "a\nB\nC", 0),  # different lines: both kept
        ("a\nB\nc", "a\nB\nc", "a\nB\nc", 0),  # the same change once
        ("a\nB\nc", "a\nX\nc", "a\nB\nc", 1),  # the same line changed differently: the current one wins
        ("a\nb\nc\nd", "a\nb\nc", "a\nb\nc\nd", 0),  # an addition at the end and nothing else
        ("new\na\nb\nc", "a\nb\nc\nend", "new\na\nb\nc\nend", 0),
        ("a\nc", "a\nb\nC", "a\nC", 0),  # one removes b, the other changes c
    ],
)
def test_merge3(current, draft, merged, conflicts):
    result = merge3("a\nb\nc", current, draft)
    assert (result.text, result.conflicts) == (merged, conflicts)


def test_the_adoption_form_shows_the_refusal_and_the_draft_page_offers_the_carry_over(
    client, two_consented_drafts, board_member, logged_in
):
    first, second = two_consented_drafts
    adopt(first, board_member)
    logged_in(board_member)
    page = client.get(f"/protocol/drafts/{second.pk}/").content.decode()
    assert 'data-testid="outdated"' in page and 'data-testid="three-way"' in page
    assert "Overzetten naar Versie 2" in page and "Vaststellen</button>" not in page
    today = timezone.localdate().isoformat()
    response = client.post(f"/protocol/drafts/{second.pk}/adopt/", {"adopted_on": today, "effective_from": today})
    assert response.status_code == 400 and "inmiddels is Versie 2 vastgesteld" in response.content.decode()
    response = client.post(f"/protocol/drafts/{second.pk}/carry-over/")
    carried = ProtocolVersion.objects.get(carried_over_from=second)
    assert response.url == f"/protocol/drafts/{carried.pk}/"
    page = client.get(response.url).content.decode()
    assert 'data-testid="carried-from"' in page and 'data-testid="three-way"' in page
    assert 'data-testid="carried-into"' in client.get(f"/protocol/drafts/{second.pk}/").content.decode()


def test_adoption_dates_are_still_checked_before_the_base(board_member, council_secretary):
    draft = consented(draft_changing(board_member, A6_OLD, A6_NEW, "A.6."), board_member, council_secretary)
    with pytest.raises(ValidationError):
        services.protocol_version_adopt(
            version=draft,
            by=board_member,
            adopted_on=timezone.localdate(),
            effective_from=timezone.localdate() - timezone.timedelta(days=1),
        )


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_adoptions_at_the_same_moment_adopt_exactly_one(board_member, council_secretary):
    """Two board members adopt the two drafts at once: the base row is locked, so the second waits,
    then sees version 2 and is refused; it never becomes a version 3 without version 2's change."""
    from django.db import connection

    from testing.services import require_service

    require_service(connection.vendor == "postgresql", "PostgreSQL (SQLite has no row locks)")
    first = consented(draft_changing(board_member, A4_OLD, A4_NEW, "A.4."), board_member, council_secretary)
    second = consented(draft_changing(board_member, A6_OLD, A6_NEW, "A.6."), board_member, council_secretary)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def adopt_at_once(draft) -> None:
        start.wait()
        try:
            adopt(draft, board_member)
            outcomes.append("adopted")
        except ActionRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=adopt_at_once, args=(draft,)) for draft in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["adopted", "refused"]
    assert list(ProtocolVersion.objects.filter(number__isnull=False).values_list("number", flat=True)) == [2, 1]

"""Protocol A.5 after a change: adopting a version whose A.5 differs, or publishing a form version
that asks something new, offers every school a new consent round; earlier answers stay, each with
the text it was given to."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from common.refusals import ActionRefused
from consent.campaigns import consent_campaign_start, consent_round_start, consent_rounds_offered
from consent.constants import Method, TextChangeKind
from consent.models import ConsentForm, ConsentTextChange
from consent.selectors import consent_article_texts
from consent.services import consent_decide, consent_form_publish
from consent.tests.factories import all_yes, current_form
from notifications.models import Notification
from policy.services import protocol_version_adopt
from policy.tests.factories import ProtocolVersionFactory, version_1
from skow_portal.consent_rounds import consent_article_of

pytestmark = pytest.mark.django_db

NEW_A5 = (
    "De onderwijsinstelling vraagt aantoonbaar schriftelijke toestemming aan medewerkers, ouders of aan "
    "leerlingen van 16 jaar en ouder om foto-, film- en geluidsopnamen, ook voor de nieuwsbrief."
)


def adopt_with_a5(board_member, a5: str | None):
    """Version 2: version 1's text, with A.5 replaced by ``a5`` (None: another article changed)."""
    first = version_1()
    old = consent_article_of(first)
    body = first.body
    if a5 is None:
        body = body.replace(
            "De SKOW onderkent het belang van sociale media.", "De SKOW ziet het belang van sociale media."
        )
    else:
        start = body.index("De onderwijsinstelling vraagt aantoonbaar")
        end = body.index("sociale media te zetten.", start) + len("sociale media te zetten.")
        body = body[:start] + a5 + body[end:]
    assert body != first.body and (a5 is not None or consent_article_of(first) == old)
    draft = ProtocolVersionFactory(consented=True, body=body, based_on=first)
    today = timezone.localdate()
    return protocol_version_adopt(version=draft, by=board_member, adopted_on=today, effective_from=today)


def test_adopting_a_version_with_a_changed_a5_offers_every_school_a_new_round(
    school, other_school, school_leader, board_member
):
    version = adopt_with_a5(board_member, NEW_A5)
    change = ConsentTextChange.objects.get()
    assert change.kind == TextChangeKind.PROTOCOL_ARTICLE
    assert change.text == NEW_A5 and "ouder dan 16 jaar" in change.previous_text
    assert change.reference.endswith(f"versie {version.number}, artikel A.5")
    assert consent_rounds_offered(user=school_leader) == [(school, change)]
    assert {s for s, _c in consent_rounds_offered(user=board_member)} == {school, other_school}
    # The school's leadership is told, with a link to the campaigns page and no more.
    told = Notification.objects.filter(recipient=school_leader, template="consent/email/new_round")
    assert told.exists() and told.first().link == "/consent/campaigns/"


def test_a_version_that_leaves_a5_as_it_was_asks_nobody_again(school, school_leader, board_member):
    adopt_with_a5(board_member, None)
    assert not ConsentTextChange.objects.exists()
    assert consent_rounds_offered(user=school_leader) == []


def test_a_round_asks_everyone_again_beside_the_yearly_campaign_once_per_school(
    school, school_leader, board_member, parent
):
    current_form()
    yearly = consent_campaign_start(school=school, school_year="2026-2027", started_by=school_leader)
    adopt_with_a5(board_member, NEW_A5)
    change = ConsentTextChange.objects.get()
    campaign = consent_round_start(school=school, text_change=change, started_by=school_leader)
    assert campaign.pk != yearly.pk and campaign.text_change == change
    assert campaign.invitations.filter(recipient=parent).exists()
    assert consent_rounds_offered(user=school_leader) == []
    with pytest.raises(ActionRefused, match="al gestart"):
        consent_round_start(school=school, text_change=change, started_by=school_leader)
    # Only who runs the school's campaigns starts its round.
    with pytest.raises(ActionRefused):
        consent_round_start(school=school, text_change=change, started_by=parent)


def test_each_answer_keeps_the_a5_text_it_was_given_under(school, board_member, parent):
    form = current_form()
    pupil = parent.guardianships.get().pupil
    before = consent_decide(decided_by=parent, form=form, answers={}, method=Method.LOGGED_IN, pupil=pupil)
    assert consent_article_texts([before]) == {before.pk: None}  # A.5 never changed: nothing to say
    adopt_with_a5(board_member, NEW_A5)
    after = consent_decide(decided_by=parent, form=form, answers=all_yes(form), method=Method.LOGGED_IN, pupil=pupil)
    texts = consent_article_texts([before, after])
    assert texts[before.pk].reference.endswith("versie 1, artikel A.5") and "ouder dan 16" in texts[before.pk].text
    assert texts[after.pk].reference.endswith("versie 2, artikel A.5") and texts[after.pk].text == NEW_A5
    before.refresh_from_db()
    assert before.answers and not before.allows(form.purpose_codes[0], form.medium_codes[0])  # kept as it was


def test_publishing_a_form_version_that_asks_something_new_offers_a_round(school, school_leader, board_member):
    first = current_form()
    same = ConsentForm.objects.create(
        version=2,
        title=first.title,
        introduction="Een andere inleiding.",
        exemptions=first.exemptions,
        purposes=first.purposes,
        media=first.media,
    )
    consent_form_publish(form=same, by=board_member)
    assert not ConsentTextChange.objects.exists()  # nothing new asked
    more = ConsentForm.objects.create(
        version=3,
        title=first.title,
        introduction=first.introduction,
        exemptions=first.exemptions,
        purposes=[*first.purposes, {"code": "yearbook", "label": "Jaarboek", "explanation": "Het jaarboek."}],
        media=first.media,
    )
    consent_form_publish(form=more, by=board_member)
    change = ConsentTextChange.objects.get()
    assert change.kind == TextChangeKind.FORM_VERSION and "Jaarboek" in change.text
    assert consent_rounds_offered(user=school_leader) == [(school, change)]
    with pytest.raises(ActionRefused):
        consent_form_publish(form=more, by=board_member)
    staff = UserFactory(roles=[("staff", school)])
    other = ConsentForm.objects.create(version=4, title="x", introduction="i", exemptions="e", purposes=[], media=[])
    with pytest.raises(ActionRefused):
        consent_form_publish(form=other, by=staff)


def test_the_campaigns_page_starts_only_a_round_it_offers(client, logged_in, school, other_school, board_member):
    from django.urls import reverse

    from consent.models import ConsentCampaign

    current_form()
    leader = UserFactory(roles=[("school_leader", school)])
    adopt_with_a5(board_member, NEW_A5)
    change = ConsentTextChange.objects.get()
    logged_in(leader)
    url = reverse("consent:campaigns")
    page = client.get(url).content.decode()
    assert "Nieuwe ronde starten voor Sint-Jozefschool" in page
    # Another school's round is not this leader's to start, and a change that does not exist starts nothing.
    assert client.post(url, {"school": other_school.pk, "text_change": change.pk}).status_code == 404
    response = client.post(url, {"school": school.pk, "text_change": change.pk + 99}, follow=True)
    assert "al gestart of bestaat niet meer" in response.content.decode()
    assert not ConsentCampaign.objects.exists()
    response = client.post(url, {"school": school.pk, "text_change": change.pk})
    assert response.status_code == 302
    assert ConsentCampaign.objects.get().text_change == change
    assert "Nieuwe ronde starten" not in client.get(url).content.decode()

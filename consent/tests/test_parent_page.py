"""The consent page of a parent with several children: one save for every card, nothing ticked lost,
and "Wat nu geldt" per item (protocol A.5; where guardians disagree the stricter answer counts)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import GuardianshipFactory, PupilFactory, UserFactory
from consent.constants import Method
from consent.models import ConsentDecision
from consent.selectors import current_consent_for_pupil
from consent.services import CardChoice, consent_decide, consent_decide_many
from consent.tests.factories import current_form

pytestmark = pytest.mark.django_db

OVERVIEW = "/consent/"
NAMES = ("Anna", "Bram", "Cas")


def family(school, children: int):
    parent = UserFactory(email="ouder@example.nl", password="", first_name="Fien", last_name="Kallen")
    kids = [
        GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school, first_name=name)).pupil
        for name in NAMES[:children]
    ]
    return parent, kids


def newest_pk(pupil, by) -> int:
    decision = ConsentDecision.objects.filter(pupil=pupil, decided_by=by).order_by("-decided_at", "-pk").first()
    return decision.pk if decision else 0


def seen(parent, kids) -> dict:
    return {f"p{kid.pk}-seen": newest_pk(kid, parent) for kid in kids}


@pytest.mark.parametrize("children", [2, 3])
def test_one_save_records_every_childs_ticks(client, school, children):
    parent, kids = family(school, children)
    client.force_login(parent)
    data = {f"p{kid.pk}-website__photo": "on" for kid in kids} | {f"p{kids[-1].pk}-newsletter__film": "on"}
    response = client.post(OVERVIEW, {**data, **seen(parent, kids), "save": "1"}, follow=True)
    page = response.content.decode()
    expected = " en ".join([", ".join(NAMES[: children - 1]), NAMES[children - 1]])
    assert f"Opgeslagen voor {expected}" in page
    for kid in kids:
        assert current_consent_for_pupil(kid).allows("website", "photo")
    assert current_consent_for_pupil(kids[-1]).allows("newsletter", "film")
    assert not current_consent_for_pupil(kids[0]).allows("newsletter", "film")


def test_withdrawing_one_child_keeps_the_other_childrens_unsaved_ticks_and_says_so(client, school):
    parent, (anna, bram, cas) = family(school, 3)
    for kid in (anna, bram, cas):
        consent_decide(
            decided_by=parent,
            form=current_form(),
            answers={"website": {"photo": True}},
            method=Method.LOGGED_IN,
            pupil=kid,
        )
    client.force_login(parent)
    data = {
        # Anna: withdrawn. Bram: a new tick, not saved yet. Cas: as saved.
        f"p{anna.pk}-website__photo": "on",
        f"p{bram.pk}-website__photo": "on",
        f"p{bram.pk}-website__film": "on",
        f"p{cas.pk}-website__photo": "on",
        "withdraw": f"p{anna.pk}",
        **seen(parent, (anna, bram, cas)),
    }
    response = client.post(OVERVIEW, data)
    page = response.content.decode()
    assert response.status_code == 200  # the page again, not a redirect that would drop Bram's tick
    assert "De toestemming voor Anna is ingetrokken" in page
    assert "uw wijzigingen voor Bram zijn nog niet opgeslagen" in page
    assert f'name="p{bram.pk}-website__film" id="id_p{bram.pk}-website__film" checked' in page
    assert "opgeslagen voor" not in page.lower().replace("nog niet opgeslagen", "")
    assert not current_consent_for_pupil(anna).allows("website", "photo")
    assert not current_consent_for_pupil(bram).allows("website", "film")  # not saved: the page said so
    assert current_consent_for_pupil(cas).allows("website", "photo")

    # Saving the page as shown now keeps Bram's tick.
    data = {k: v for k, v in data.items() if k != "withdraw"} | seen(parent, (anna, bram, cas))
    del data[f"p{anna.pk}-website__photo"]
    client.post(OVERVIEW, {**data, "save": "1"})
    assert current_consent_for_pupil(bram).allows("website", "film")


def test_withdrawing_with_nothing_else_changed_goes_back_to_the_page(client, school):
    parent, (anna, bram) = family(school, 2)
    consent_decide(
        decided_by=parent,
        form=current_form(),
        answers={"website": {"photo": True}},
        method=Method.LOGGED_IN,
        pupil=anna,
    )
    client.force_login(parent)
    response = client.post(OVERVIEW, {"withdraw": f"p{anna.pk}", **seen(parent, (anna, bram))})
    assert response.status_code == 302


def test_a_page_from_another_tab_saves_nothing_and_keeps_the_ticks(client, school):
    parent, (anna, bram) = family(school, 2)
    client.force_login(parent)
    old_page = seen(parent, (anna, bram))
    # The other tab saves first.
    client.post(OVERVIEW, {f"p{anna.pk}-newsletter__photo": "on", **old_page})
    response = client.post(OVERVIEW, {f"p{bram.pk}-website__photo": "on", **old_page})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Er is niets opgeslagen" in page and "Anna" in page
    assert f'name="p{bram.pk}-website__photo" id="id_p{bram.pk}-website__photo" checked' in page
    assert current_consent_for_pupil(anna).allows("newsletter", "photo")  # the other tab's choice stands
    assert not current_consent_for_pupil(bram).allows("website", "photo")


def test_a_refused_card_saves_nothing_and_the_page_keeps_every_tick(client, school):
    parent, (anna, bram) = family(school, 2)
    client.force_login(parent)
    data = {f"p{anna.pk}-website__photo": "on", f"p{bram.pk}-website__photo": "on", **seen(parent, (anna, bram))}
    # Bram turns 16 between showing the page and saving it: he decides now.
    bram.date_of_birth = timezone.localdate() - datetime.timedelta(days=16 * 366)
    bram.save()
    response = client.post(OVERVIEW, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Er is niets opgeslagen" in page and "beslist nu zelf" in page
    assert f'name="p{anna.pk}-website__photo" id="id_p{anna.pk}-website__photo" checked' in page
    assert not ConsentDecision.objects.exists()


def test_an_unchanged_card_is_not_recorded_again(client, school):
    parent, (anna, bram) = family(school, 2)
    consent_decide(
        decided_by=parent,
        form=current_form(),
        answers={"website": {"photo": True}},
        method=Method.LOGGED_IN,
        pupil=anna,
    )
    client.force_login(parent)
    data = {f"p{anna.pk}-website__photo": "on", f"p{bram.pk}-school_guide__photo": "on", **seen(parent, (anna, bram))}
    page = client.post(OVERVIEW, data, follow=True).content.decode()
    assert "Opgeslagen voor Bram" in page and "Niets veranderd voor Anna" in page
    assert ConsentDecision.objects.filter(pupil=anna).count() == 1


def test_the_same_page_sent_twice_at_once_is_saved_once(school):
    parent, (anna, bram) = family(school, 2)
    choices = [
        CardChoice(subject=anna, answers={"website": {"photo": True}}, seen=0),
        CardChoice(subject=bram, answers={}),
    ]
    first = consent_decide_many(decided_by=parent, form=current_form(), choices=choices, method=Method.LOGGED_IN)
    second = consent_decide_many(decided_by=parent, form=current_form(), choices=choices, method=Method.LOGGED_IN)
    assert first.is_saved and len(first.saved) == 2
    assert not second.is_saved and second.changed_elsewhere == ["Anna", "Bram"]
    assert ConsentDecision.objects.count() == 2


def test_what_applies_shows_the_stricter_answer_per_item_and_never_a_tick_that_does_not_count(client, school):
    father, (anna,) = family(school, 1)
    mother = UserFactory(email="moeder@example.nl", password="", first_name="Ans", last_name="Visser")
    GuardianshipFactory(guardian=mother, pupil=anna)
    yes = {"website": {"photo": True}, "school_guide": {"photo": True}}
    consent_decide(decided_by=father, form=current_form(), answers=yes, method=Method.LOGGED_IN, pupil=anna)
    consent_decide(
        decided_by=mother,
        form=current_form(),
        answers={"school_guide": {"photo": True}},
        method=Method.LOGGED_IN,
        pupil=anna,
    )
    client.force_login(father)
    page = client.get(OVERVIEW).content.decode()
    assert "Website van de school, Foto: Ans Visser koos nee, dus dit mag niet." in page
    assert "telt niet" in page  # beside the father's own tick on the website photo
    applies = page.split(f'data-testid="applies-p{anna.pk}"')[1].split("</table>")[0]
    website = applies.split("Website van de school")[1].split("</tr>")[0]
    guide = applies.split("Schoolgids")[1].split("</tr>")[0]
    assert ">nee<" in website and ">ja<" not in website
    assert ">ja<" in guide
    # Who decided is history, not what applies.
    assert "Keuze van" not in page


@pytest.mark.parametrize("children", [1, 4])
def test_overview_query_count_with_two_guardians_does_not_grow_with_children(
    client, school, children, django_assert_num_queries
):
    parent = UserFactory(password="")
    for _ in range(children):
        child = GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school)).pupil
        GuardianshipFactory(pupil=child)
        consent_decide(decided_by=parent, form=current_form(), answers={}, method=Method.LOGGED_IN, pupil=child)
    client.force_login(parent)
    with django_assert_num_queries(11):  # + the menu: integrity officer? (cached after)
        assert client.get(OVERVIEW).status_code == 200

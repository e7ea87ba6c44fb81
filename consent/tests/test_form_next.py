"""The next version of the consent form, drafted, previewed and published in the browser's page by the
board or the functional admin (protocol A.5: asking something new offers every school a new round)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consent.campaigns import consent_rounds_offered
from consent.models import ConsentForm, ConsentTextChange
from consent.selectors import consent_form_current
from consent.tests.factories import current_form

pytestmark = pytest.mark.django_db

URL = "/consent/forms/next/"


def typed(form: ConsentForm, **changes) -> dict:
    """What the page posts when nothing is changed, with ``changes`` on top."""
    data = {
        "title": form.title,
        "introduction": form.introduction,
        "exemptions": form.exemptions,
        "based_on_version": form.version,
        "new_purpose_label": "",
        "new_purpose_explanation": "",
        "new_medium_label": "",
    }
    for purpose in form.purposes:
        data[f"purpose_{purpose['code']}_label"] = purpose["label"]
        data[f"purpose_{purpose['code']}_explanation"] = purpose["explanation"]
    for medium in form.media:
        data[f"medium_{medium['code']}_label"] = medium["label"]
    return {**data, **changes}


def test_the_page_shows_the_current_forms_purposes_and_media(logged_in, board_member):
    form = current_form()
    page = logged_in(board_member).get(URL)
    assert page.status_code == 200
    current = page.context["current"]
    assert current == form
    body = page.content.decode()
    assert all(p["label"] in body for p in form.purposes) and all(m["label"] in body for m in form.media)
    assert "krijgt elke school" in body  # says publishing something new offers a round


def test_nothing_changed_is_refused_in_dutch_and_nothing_is_published(logged_in, board_member):
    form = current_form()
    page = logged_in(board_member).post(URL, typed(form, action="preview"))
    assert page.status_code == 400
    assert "Er is niets veranderd ten opzichte van versie 1" in page.content.decode()
    assert ConsentForm.objects.count() == 1


def test_preview_then_publish_a_new_purpose_offers_a_round(logged_in, board_member, school, school_leader):
    form = current_form()
    client = logged_in(board_member)
    data = typed(form, new_purpose_label="Jaarboek", new_purpose_explanation="Het jaarboek van groep 8.")
    preview = client.post(URL, {**data, "action": "preview"})
    assert preview.status_code == 200
    draft = preview.context["draft"]
    assert draft.new_purposes == ["Jaarboek"] and draft.form.version == 2 and draft.form.pk is None
    assert ConsentForm.objects.count() == 1  # a preview publishes nothing
    # Publishing without the confirmation is refused; the text typed stays on the page.
    unconfirmed = client.post(URL, {**data, "previewed": draft.sha256, "action": "publish"})
    assert unconfirmed.status_code == 400 and "Vink aan" in unconfirmed.content.decode()
    assert 'value="Jaarboek"' in unconfirmed.content.decode()
    # A text changed after the preview is not published: the new preview is shown.
    changed = client.post(
        URL,
        {**data, "new_purpose_label": "Jaarboekje", "previewed": draft.sha256, "confirm": "on", "action": "publish"},
    )
    assert changed.status_code == 400 and "veranderd sinds het voorbeeld" in changed.content.decode()
    assert ConsentForm.objects.count() == 1
    done = client.post(URL, {**data, "previewed": draft.sha256, "confirm": "on", "action": "publish"})
    assert done.status_code == 302 and done["Location"] == reverse("consent:form_texts")
    published = consent_form_current()
    assert published.version == 2 and published.purposes[-1]["label"] == "Jaarboek"
    assert published.purpose_codes[:-1] == form.purpose_codes
    change = ConsentTextChange.objects.get()
    assert consent_rounds_offered(user=school_leader) == [(school, change)]


def test_new_words_only_publish_without_a_round(logged_in, functional_admin):
    form = current_form()
    client = logged_in(functional_admin)
    data = typed(form, introduction="Een duidelijkere inleiding.")
    draft = client.post(URL, {**data, "action": "preview"}).context["draft"]
    assert not draft.asks_something_new
    client.post(URL, {**data, "previewed": draft.sha256, "confirm": "on", "action": "publish"})
    assert consent_form_current().introduction == "Een duidelijkere inleiding."
    assert not ConsentTextChange.objects.exists()


def test_a_new_medium_that_exists_already_is_refused_on_its_field(logged_in, board_member):
    form = current_form()
    page = logged_in(board_member).post(URL, typed(form, new_medium_label=form.media[0]["label"], action="preview"))
    assert page.status_code == 400
    assert "Dit medium staat al op het formulier." in page.context["form"].errors["new_medium_label"]


def test_a_version_published_meanwhile_is_not_overwritten(logged_in, board_member):
    form = current_form()
    client = logged_in(board_member)
    data = typed(form, new_medium_label="Podcast")
    draft = client.post(URL, {**data, "action": "preview"}).context["draft"]
    ConsentForm.objects.create(
        version=2,
        **{k: getattr(form, k) for k in ("title", "introduction", "exemptions", "purposes", "media")},
        published_at=form.published_at,
    )
    page = client.post(URL, {**data, "previewed": draft.sha256, "confirm": "on", "action": "publish"})
    assert page.status_code == 400 and "Intussen is een nieuwere versie" in page.content.decode()
    assert consent_form_current().version == 2 and ConsentForm.objects.count() == 2


def test_staff_and_leaders_do_not_get_the_page(logged_in, school_leader, teacher):
    current_form()
    assert logged_in(school_leader).get(URL).status_code == 404
    assert logged_in(teacher).post(URL, {"action": "preview"}).status_code == 404

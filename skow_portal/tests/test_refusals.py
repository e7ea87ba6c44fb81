"""One refusal, shown in one place (common/refusals.py): on the form, as a message, or as a page."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import include, path

from common.refusals import ActionRefused, refusal_as_message, refusal_on_form

pytestmark = pytest.mark.django_db

ANSWERS = {"forbidden": HTTPStatus.FORBIDDEN, "not-found": HTTPStatus.NOT_FOUND, "gone": HTTPStatus.GONE}


def refusing_view(request, how: str):
    raise ActionRefused("Dit dossier is gesloten. Heropen het eerst.", status=ANSWERS[how])


def forbidden_view(request):
    raise PermissionDenied  # as the admin does for someone outside the back office


urlpatterns = [
    path("refused/<str:how>/", refusing_view),
    path("forbidden/", forbidden_view),
    path("", include("skow_portal.urls")),  # the page around the refusal names the portal's URLs
]


class ReasonForm(forms.Form):
    reason = forms.CharField(required=False)


def valid_form() -> ReasonForm:
    form = ReasonForm({"reason": "Familie van de leerling."})
    assert form.is_valid()
    return form


def test_a_refusal_goes_on_the_form_and_what_was_typed_stays():
    form, done = valid_form(), []
    with refusal_on_form(form):
        raise ActionRefused("U behandelt dit dossier niet.")
        done.append("after")  # as in a view: the redirect after the service call is never reached
    assert form.non_field_errors() == ["U behandelt dit dossier niet."]
    assert form["reason"].value() == "Familie van de leerling." and done == []


def test_a_refusal_about_one_field_goes_beside_it():
    form = valid_form()
    with refusal_on_form(form, field="reason"):
        raise ActionRefused("Kies een ander dossier.")
    assert form.errors == {"reason": ["Kies een ander dossier."]}


def test_a_validation_error_goes_to_the_fields_it_names_that_the_form_has():
    form = valid_form()
    with refusal_on_form(form):
        raise ValidationError({"reason": "Geef een reden op.", "decided_on": "De datum ligt in de toekomst."})
    assert form.errors["reason"] == ["Geef een reden op."]
    assert form.non_field_errors() == ["De datum ligt in de toekomst."]


@pytest.mark.parametrize("status", [HTTPStatus.NOT_FOUND, HTTPStatus.GONE])
def test_a_refusal_about_the_page_is_never_put_on_a_form(status):
    form = valid_form()
    with pytest.raises(ActionRefused), refusal_on_form(form):
        raise ActionRefused("Dit dossier is niet gevonden.", status=status)
    assert not form.errors


def test_behind_a_button_a_refusal_becomes_a_message_on_the_next_page(client):
    request = RequestFactory().post("/")
    request.session = client.session
    request._messages = FallbackStorage(request)
    with refusal_as_message(request):
        raise ActionRefused("U bevestigt het lezen van de versie die nu geldt.")
    with refusal_as_message(request):
        raise ValidationError(["Beschrijf kort wat er verandert.", "De tekst is leeg."])
    assert [str(m) for m in get_messages(request)] == [
        "U bevestigt het lezen van de versie die nu geldt.",
        "Beschrijf kort wat er verandert. De tekst is leeg.",
    ]


def test_a_refusal_is_only_a_403_404_or_410():
    with pytest.raises(ValueError):
        ActionRefused("Nee.", status=HTTPStatus.BAD_REQUEST)


@pytest.mark.urls(__name__)
def test_a_refusal_nothing_caught_is_a_dutch_403_page_with_its_message(client):
    response = client.get("/refused/forbidden/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Dit kan niet" in page and "Dit dossier is gesloten. Heropen het eerst." in page


@pytest.mark.urls(__name__)
def test_a_refusal_that_must_not_reveal_existence_is_a_plain_404(client):
    response = client.get("/refused/not-found/")
    assert response.status_code == 404
    assert "Dit dossier is gesloten" not in response.content.decode()


@pytest.mark.urls(__name__)
def test_a_spent_link_is_a_410_page_that_says_why_and_how_to_get_a_new_one(client):
    response = client.get("/refused/gone/")
    assert response.status_code == 410
    page = response.content.decode()
    assert "Dit dossier is gesloten. Heropen het eerst." in page and "Inloggen met een nieuwe link" in page
    assert "no-store" in response["Cache-Control"]


@pytest.mark.urls(__name__)
def test_djangos_own_403_is_the_same_dutch_page(client):
    response = client.get("/forbidden/")
    assert response.status_code == 403
    assert "U mag deze pagina niet gebruiken." in response.content.decode()

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import private_view
from accounts.models import Pupil

from . import selectors, services
from .constants import Method
from .forms import ConsentAnswersForm


def _pupil_for(user, pk: int) -> Pupil:
    """A pupil this user may decide for or about: own child, or themselves."""
    pupil = selectors.pupils_decidable_by(user=user).filter(pk=pk).first()
    if pupil is None:
        raise Http404
    return pupil


@private_view
def overview(request):
    """Own children (or self): current answers, the form to change them, withdrawal, history."""
    form_version = selectors.consent_form_current()
    cards = selectors.consent_cards_for(user=request.user)
    for card in cards:
        card.form = ConsentAnswersForm(consent_form=form_version, current=card.own_answers) if form_version else None
    return render(request, "consent/overview.html", {"cards": cards, "consent_form": form_version})


def _decide(request, *, pupil=None, staff_member=None):
    form_version = selectors.consent_form_current()
    if form_version is None:
        raise Http404
    form = ConsentAnswersForm(request.POST, consent_form=form_version)
    if form.is_valid():
        try:
            services.consent_decide(
                decided_by=request.user,
                form=form_version,
                answers=form.answers(),
                method=Method.LOGGED_IN,
                pupil=pupil,
                staff_member=staff_member,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Uw keuze is opgeslagen. U ontvangt een bevestiging per e-mail."))
    return redirect("consent:overview")


@private_view
@require_POST
def decide_pupil(request, pk: int):
    return _decide(request, pupil=_pupil_for(request.user, pk))


@private_view
@require_POST
def decide_self(request):
    if not request.user.is_staff_member:
        raise Http404
    return _decide(request, staff_member=request.user)


@private_view
@require_POST
def withdraw_pupil(request, pk: int):
    return _withdraw(request, pupil=_pupil_for(request.user, pk))


@private_view
@require_POST
def withdraw_self(request):
    if not request.user.is_staff_member:
        raise Http404
    return _withdraw(request, staff_member=request.user)


def _withdraw(request, *, pupil=None, staff_member=None):
    try:
        services.consent_withdraw(
            decided_by=request.user, method=Method.LOGGED_IN, pupil=pupil, staff_member=staff_member
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Uw toestemming is ingetrokken. Dit geldt meteen."))
    return redirect("consent:overview")


@private_view
def proof(request, pk: int):
    """A printable proof of one decision: who, when, on what basis, the text shown, the answers."""
    decision = selectors.decision_visible_to(user=request.user, pk=pk)
    if decision is None:
        raise Http404
    return render(request, "consent/proof.html", {"decision": decision, "form": decision.form})

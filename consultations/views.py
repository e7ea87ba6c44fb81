"""Thin views: my questions and those for me, ask one, the thread, turning it into a case. 404 to anyone else."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from common.access import private_view
from common.refusals import refusal_on_form

from . import access, selectors, services
from .forms import QuestionForm, ReplyForm, ToCaseForm


@private_view
@never_cache
def consultation_list(request):
    if not (access.may_ask(request.user) or access.may_answer_consultations(request.user)):
        raise Http404
    context = {"may_ask": access.may_ask(request.user), **selectors.consultation_list_for(user=request.user)}
    return render(request, "consultations/list.html", context)


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def consultation_new(request):
    schools = access.schools_to_ask_in(user=request.user)
    if not schools.exists():
        raise Http404
    form = QuestionForm(request.POST or None, schools=schools)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with refusal_on_form(form):
                consultation = services.consultation_start(asker=request.user, **form.cleaned_data)
                messages.success(request, _("Uw vraag is verstuurd. U krijgt een e-mail zodra er een antwoord is."))
                return redirect("consultations:detail", pk=consultation.pk)
    return render(request, "consultations/new.html", {"form": form}, status=status)


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def consultation_detail(request, pk: int):
    consultation = selectors.consultation_for(user=request.user, pk=pk)
    if consultation is None:
        raise Http404
    form = ReplyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with refusal_on_form(form):
                services.consultation_reply(consultation=consultation, by=request.user, body=form.cleaned_data["body"])
                messages.success(request, _("Uw antwoord is verstuurd."))
                return redirect("consultations:detail", pk=consultation.pk)
    context = {
        "consultation": consultation,
        "thread": consultation.messages.select_related("author"),
        "form": form if consultation.case_id is None else None,
        "is_leader_side": access.is_leader_side(user=request.user, consultation=consultation),
    }
    return render(request, "consultations/detail.html", context, status=status)


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def consultation_to_case(request, pk: int):
    consultation = selectors.consultation_for(user=request.user, pk=pk)
    if consultation is None or not access.is_leader_side(user=request.user, consultation=consultation):
        raise Http404
    if consultation.case_id is not None:
        return redirect("consultations:detail", pk=consultation.pk)
    first = consultation.messages.order_by("created_at", "pk").first()
    form = ToCaseForm(request.POST or None, initial={"description": first.body if first else ""})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with refusal_on_form(form):
                case = services.consultation_to_case(consultation=consultation, by=request.user, **form.cleaned_data)
                messages.success(
                    request, _("Van de vraag is een melding gemaakt. De medewerker heeft hierover bericht gekregen.")
                )
                return redirect("reports:case_detail", pk=case.pk)
    return render(request, "consultations/to_case.html", {"consultation": consultation, "form": form}, status=status)

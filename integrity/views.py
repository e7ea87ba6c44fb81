"""Pages of the staff channel for misstanden: public intake and follow-up, officers' files, the board."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.throttle import busy_admit, busy_challenge, throttle_undo
from common.access import client_ip, private_view
from common.refusals import refusal_as_message, refusal_on_form
from policy import selectors as policy_selectors
from policy.constants import Document

from . import selectors, services
from .forms import (
    AcknowledgeForm,
    CloseForm,
    ConversationForm,
    DesignateForm,
    MisstandForm,
    NameOfficerForm,
    OfficerMessageForm,
    ReceiptCodeForm,
    ReporterMessageForm,
)
from .models import MisstandReport

FOLLOW_COOKIE = "skow_misstand_follow"
FOLLOW_SALT = "integrity.follow"
INTAKE, FOLLOW = "misstand-intake", "misstand-follow"
HUIS_VOOR_KLOKKENLUIDERS = "https://www.huisvoorklokkenluiders.nl"


def channel(request):
    """Public: what the channel is for, the regeling in force, the officers, and where else to go.

    The regeling is a versioned document of policy (WMS: with the (G)MR's consent), adopted like the
    protocol; only a version in force is published here."""
    regulation = policy_selectors.document_version_in_force(document=Document.WHISTLEBLOWING)
    context = {
        "regulation": regulation,
        "regulation_sections": policy_selectors.document_sections_of(regulation) if regulation else [],
        "officers": selectors.integrity_officers_active(),
        "huis_url": HUIS_VOOR_KLOKKENLUIDERS,
    }
    return render(request, "integrity/channel.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def misstand_new(request):
    """Wbk art. 2: a report in writing, or a request for a call or meeting; named or anonymous."""
    form = MisstandForm(request.POST or None)
    address = client_ip(request)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif not busy_admit(scope=INTAKE, client=address, free=settings.REPORT_INTAKE_FREE_PER_HOUR, data=request.POST):
            form.add_error(
                None,
                _(
                    "Uw melding is nog niet verstuurd. Doe de korte controle hieronder en verstuur opnieuw; "
                    "uw tekst is bewaard."
                ),
            )
            status = 429
        else:
            data = form.cleaned_data
            try:
                with refusal_on_form(form):
                    _report, code = services.misstand_submit(
                        description=data["description"],
                        people_involved=data["people_involved"],
                        named=[officer.user for officer in data["named_officers"]],
                        intake=data["intake"],
                        reporter_name=data["reporter_name"],
                        reporter_contact=data["reporter_contact"],
                        submission_key=data["submission_key"],
                    )
                    # Shown in this answer only, never stored readable and never in a URL or cookie.
                    return render(request, "integrity/thanks.html", {"code": code})
            except services.DuplicateMisstand:
                return render(request, "integrity/thanks.html", {"code": None})
            status = 400
    challenge = busy_challenge(scope=INTAKE, client=address, free=settings.REPORT_INTAKE_FREE_PER_HOUR)
    return render(request, "integrity/misstand_form.html", {"form": form, "challenge": challenge}, status=status)


def _followed(request) -> MisstandReport | None:
    pk = request.get_signed_cookie(
        FOLLOW_COOKIE, default=None, salt=FOLLOW_SALT, max_age=settings.REPORT_FOLLOW_SESSION_SECONDS
    )
    if pk is None or not pk.isdigit():
        return None
    return selectors.misstand_for_follow(pk=int(pk))


def _follow_page(request, report, form, status=200):
    context = {"report": report, "thread": selectors.misstand_thread_for_reporter(report=report), "form": form}
    return render(request, "integrity/follow_report.html", context, status=status)


def _code_page(request, form, address, status=200):
    challenge = busy_challenge(scope=FOLLOW, client=address, free=settings.REPORT_FOLLOW_FREE_PER_HOUR)
    return render(request, "integrity/follow_code.html", {"form": form, "challenge": challenge}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def follow(request):
    """With the code: the state, the acknowledgement, feedback and messages; the reporter may reply."""
    address = client_ip(request)
    if request.method == "GET":
        report = _followed(request)
        if report is not None:
            return _follow_page(request, report, ReporterMessageForm())
        return _code_page(request, ReceiptCodeForm(), address)
    form = ReceiptCodeForm(request.POST)
    if not form.is_valid():
        return _code_page(request, form, address, status=400)
    if not busy_admit(scope=FOLLOW, client=address, free=settings.REPORT_FOLLOW_FREE_PER_HOUR, data=request.POST):
        form.add_error(
            None,
            _(
                "Vanaf dit netwerk zijn veel codes geprobeerd. Doe de korte controle hieronder en "
                "probeer uw code opnieuw."
            ),
        )
        return _code_page(request, form, address, status=429)
    report = services.misstand_for_code(form.cleaned_data["code"])
    if report is None:
        form.add_error(None, _("Met deze code kunnen we niets tonen. Controleer de code en probeer het opnieuw."))
        return _code_page(request, form, address, status=400)
    throttle_undo(scope=FOLLOW, client=address)
    response = redirect("integrity:follow")
    response.set_signed_cookie(
        FOLLOW_COOKIE,
        str(report.pk),
        salt=FOLLOW_SALT,
        max_age=settings.REPORT_FOLLOW_SESSION_SECONDS,
        path=reverse("integrity:follow"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@never_cache
@require_POST
def follow_reply(request):
    report = _followed(request)
    if report is None:
        return redirect("integrity:follow")
    form = ReporterMessageForm(request.POST)
    if form.is_valid():
        with refusal_on_form(form):
            services.misstand_reply_by_reporter(report=report, body=form.cleaned_data["body"])
            messages.success(request, _("Uw bericht is verstuurd."))
            return redirect("integrity:follow")
    return _follow_page(request, report, form, status=400)


@never_cache
@require_POST
def follow_stop(request):
    messages.info(request, _("U bent gestopt met het bekijken van de melding."))
    response = redirect("integrity:follow")
    response.delete_cookie(FOLLOW_COOKIE, path=reverse("integrity:follow"), samesite="Lax")
    return response


# The officers' pages ------------------------------------------------------------------------------


@private_view
def case_list(request):
    if not selectors.may_handle_misstands(request.user):
        raise Http404
    reports = selectors.misstand_list_for(user=request.user)
    return render(request, "integrity/case_list.html", {"reports": reports})


ACTIONS = {
    "acknowledge": AcknowledgeForm,
    "message": OfficerMessageForm,
    "conversation": ConversationForm,
    "name_officer": NameOfficerForm,
    "close": CloseForm,
}


def _run(action: str, report: MisstandReport, user, data: dict) -> None:
    if action == "acknowledge":
        services.misstand_acknowledge(report=report, by=user, body=data["body"])
    elif action == "message":
        services.misstand_message(report=report, by=user, body=data["body"], is_feedback=data["is_feedback"])
    elif action == "conversation":
        services.misstand_conversation_log(report=report, by=user, held_on=data["held_on"], body=data["body"])
    elif action == "name_officer":
        services.misstand_name_officer(report=report, by=user, officer=data["officer"])
    else:
        services.misstand_close(report=report, by=user, body=data["body"])


@private_view
@require_http_methods(["GET", "POST"])
def case_detail(request, pk: int):
    """One report's file: its handlers only (404 for anyone else, a named officer included)."""
    report = get_object_or_404(selectors.misstand_list_for(user=request.user), pk=pk)
    forms = {name: form_class(prefix=name) for name, form_class in ACTIONS.items()}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            return redirect("integrity:case_detail", pk=report.pk)
        form = forms[action] = ACTIONS[action](request.POST, prefix=action)
        if form.is_valid():
            with refusal_on_form(form):
                _run(action, report, request.user, form.cleaned_data)
                messages.success(request, _("Vastgelegd."))
                if not selectors.misstand_list_for(user=request.user).filter(pk=report.pk).exists():
                    return redirect("integrity:case_list")  # the report now goes to others
                return redirect("integrity:case_detail", pk=report.pk)
        status = 400
    else:
        services.misstand_view_record(report=report, viewer=request.user)
    context = {"report": report, "file": selectors.misstand_file(report=report), "forms": forms}
    return render(request, "integrity/case_detail.html", context, status=status)


# The board ----------------------------------------------------------------------------------------


@private_view
@require_http_methods(["GET", "POST"])
def board(request):
    """The board designates officers and watches every report's clocks (no content)."""
    if not selectors.may_oversee_integrity(request.user):
        raise Http404
    form = DesignateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with refusal_on_form(form):
                services.integrity_officer_designate(
                    user=form.cleaned_data["user"], by=request.user, is_external=form.cleaned_data["is_external"]
                )
                messages.success(request, _("De integriteitsfunctionaris is aangewezen."))
                return redirect("integrity:board")
        status = 400
    context = {
        "form": form,
        "officers": selectors.integrity_officers_all(),
        "clocks": selectors.misstand_clocks(),
    }
    return render(request, "integrity/board.html", context, status=status)


@private_view
@require_POST
def officer_end(request, pk: int):
    if not selectors.may_oversee_integrity(request.user):
        raise Http404
    officer = get_object_or_404(selectors.integrity_officers_all(), pk=pk)
    with refusal_as_message(request):
        services.integrity_officer_end(officer=officer, by=request.user)
        messages.success(request, _("De aanwijzing is beëindigd."))
    return redirect("integrity:board")

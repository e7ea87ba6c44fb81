"""Thin views: intake, thank-you with the receipt code, follow-up by code, and the case file."""

from __future__ import annotations

import contextlib
import io

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from common.access import client_ip, private_view
from common.exports import csv_download
from common.refusals import refusal_as_message, refusal_on_form
from common.vault import KeyUnavailable

from . import access, limits, selectors, services, statistics
from .constants import EvidenceKind, MessageKind, TimelineKind
from .evidence import evidence_read
from .extensions import case_extensions
from .forms import (
    AccessWithdrawForm,
    CaseFilterForm,
    CaseTransitionForm,
    CorrectionForm,
    DeclareAboutSelfForm,
    HandlerForm,
    HandlerMessageForm,
    HandOnForm,
    MergeForm,
    ReceiptCodeForm,
    ReporterReplyForm,
    ReportForm,
    TimelineEntryForm,
)
from .models import TimelineEntry

# The report unlocked by a receipt code lives in a signed cookie of its own, not in the session:
# nothing on the server ties a logged-in person to an anonymous report they follow.
FOLLOW_COOKIE = "skow_report_follow"
FOLLOW_SALT = "reports.follow"
# The thank-you page finds the receipt code with the form's submission key, which travels in this
# one-time cookie: never in a URL, so no access log or proxy ever sees it.
RECEIPT_COOKIE = "skow_report_receipt"


def _thanks_redirect(submission_key: str):
    response = redirect("reports:thanks")
    response.set_cookie(
        RECEIPT_COOKIE,
        submission_key,
        max_age=settings.RECEIPT_HANDOVER_MINUTES * 60,
        path=reverse("reports:thanks"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def report_new(request):
    """Protocol A.9: anyone may report, logged in or not, named or anonymous."""
    user = request.user if request.user.is_authenticated else None
    form = ReportForm(request.POST or None, request.FILES or None, user=request.user)
    address = client_ip(request)
    status = 200
    if request.method == "POST":
        if form.is_spam:
            # Answer a bot as if it worked, with a code that opens nothing.
            return render(request, "reports/report_thanks.html", {"code": services.receipt_code_new()})
        if not form.is_valid():
            status = 400
        elif services.report_exists_for(submission_key=form.cleaned_data["submission_key"]):
            return _thanks_redirect(form.cleaned_data["submission_key"])  # sent twice: the first one stands
        elif user is None and not limits.intake_admit(address, request.POST):
            form.add_error(
                None,
                _(
                    "Uw melding is nog niet verstuurd: vanaf dit netwerk komen nu veel meldingen binnen. "
                    "Doe de korte controle hieronder en verstuur opnieuw. Uw tekst is bewaard; "
                    "bijlagen moet u opnieuw kiezen."
                ),
            )
            status = 429
        else:
            data = form.cleaned_data
            # A double click sends the key twice: the first report stands, and its code is on the way.
            with contextlib.suppress(services.DuplicateSubmission):
                services.report_submit(
                    school=data["school"],
                    category=data["category"],
                    platform=data["platform"],
                    happened_on=data["happened_on"],
                    description=data["description"],
                    involved_roles=data["involved_roles"],
                    involved_names=data["involved_names"],
                    is_about_leadership=data["is_about_leadership"],
                    recipient=data["recipient"],
                    reporter_role=data["reporter_role"],
                    is_anonymous=data["is_anonymous"],
                    reporter_name=data["reporter_name"],
                    reporter_email=data["reporter_email"],
                    reporter_phone=data["reporter_phone"],
                    reporter_user=None if data["is_anonymous"] else user,
                    evidence=data["evidence"],
                    submission_key=data["submission_key"],
                )
            return _thanks_redirect(data["submission_key"])
    challenge = limits.intake_challenge(address) if user is None else None
    return render(request, "reports/report_form.html", {"form": form, "challenge": challenge}, status=status)


@never_cache
def report_thanks(request):
    """The receipt code, once: the server keeps only its hash from here on."""
    code = services.receipt_handover_take(submission_key=request.COOKIES.get(RECEIPT_COOKIE, ""))
    response = render(request, "reports/report_thanks.html", {"code": code, "clear_draft": True})
    response.delete_cookie(RECEIPT_COOKIE, path=reverse("reports:thanks"), samesite="Lax")
    return response


def _followed_report(request):
    pk = request.get_signed_cookie(
        FOLLOW_COOKIE, default=None, salt=FOLLOW_SALT, max_age=settings.REPORT_FOLLOW_SESSION_SECONDS
    )
    if pk is None or not pk.isdigit():
        return None
    return selectors.report_for_follow(pk=int(pk))


@never_cache
@require_http_methods(["GET", "POST"])
def follow(request):
    """With the receipt code: the status of the report and the thread with its handler."""
    if request.method == "GET":
        report = _followed_report(request)
        if report is not None:
            return render(
                request,
                "reports/follow_report.html",
                {
                    "report": report,
                    "holder": selectors.holder_for_reporter(report.case),
                    "form": ReporterReplyForm(category=report.category),
                },
            )
        return _follow_code_page(request, ReceiptCodeForm(), client_ip(request))

    form = ReceiptCodeForm(request.POST)
    address = client_ip(request)
    if not form.is_valid():
        return _follow_code_page(request, form, address, status=400)
    if not limits.follow_admit(address, request.POST):
        # Said whatever the code: the answer never tells whether a code exists.
        form.add_error(
            None,
            _(
                "Vanaf dit netwerk zijn veel codes geprobeerd. Doe de korte controle hieronder "
                "en probeer uw code opnieuw."
            ),
        )
        return _follow_code_page(request, form, address, status=429)
    report = services.report_for_code(form.cleaned_data["code"])
    if report is None:
        form.add_error(None, _("Met deze code kunnen we niets tonen. Controleer de code en probeer het opnieuw."))
        return _follow_code_page(request, form, address, status=400)
    limits.follow_succeeded(address)
    response = redirect("reports:follow")
    response.set_signed_cookie(
        FOLLOW_COOKIE,
        str(report.pk),
        salt=FOLLOW_SALT,
        max_age=settings.REPORT_FOLLOW_SESSION_SECONDS,
        path=reverse("reports:follow"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _follow_code_page(request, form, address: str, status: int = 200):
    context = {"form": form, "challenge": limits.follow_challenge(address)}
    return render(request, "reports/follow_code.html", context, status=status)


@never_cache
@require_POST
def follow_reply(request):
    report = _followed_report(request)
    if report is None:
        return redirect("reports:follow")
    form = ReporterReplyForm(request.POST, request.FILES, category=report.category)
    if form.is_valid():
        services.report_reply_by_reporter(
            report=report, body=form.cleaned_data["body"], evidence=form.cleaned_data["evidence"]
        )
        messages.success(request, _("Uw bericht is verstuurd."))
        return redirect("reports:follow")
    context = {"report": report, "holder": selectors.holder_for_reporter(report.case), "form": form}
    return render(request, "reports/follow_report.html", context, status=400)


@require_POST
def follow_stop(request):
    messages.info(request, _("U bent gestopt met het bekijken van de melding."))
    response = redirect("reports:follow")
    response.delete_cookie(FOLLOW_COOKIE, path=reverse("reports:follow"), samesite="Lax")
    return response


# The case file ----------------------------------------------------------------------------------


CASES_PER_PAGE = 25


@private_view
def case_list(request):
    """Filters, search, sorting and pages; a bad filter value is named and the rest still applies."""
    if not selectors.may_handle_cases(user=request.user):
        raise Http404
    schools, handlers = selectors.case_list_choices_for(user=request.user)
    form = CaseFilterForm(request.GET or None, schools=schools, handlers=handlers)
    filters = {}
    if form.is_bound:
        form.is_valid()
        filters = {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
    cases = selectors.case_list_for(user=request.user, filters=filters)
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/case_list.html",
        {
            "page": page,
            "form": form,
            "query": query.urlencode(),
            "may_see_statistics": access.may_oversee_cases(user=request.user),
        },
        status=400 if form.errors else 200,
    )


@private_view
@never_cache
def case_detail(request, pk: int):
    visible = selectors.case_for(user=request.user, pk=pk)  # 404, not 403: existence is not revealed
    if visible.merged_into_id is not None:
        return redirect("reports:case_detail", pk=visible.merged_into_id)
    # On a first opening the page asks first whether the case is about the one opening it.
    is_first_opening = not selectors.case_opened_before(case=visible, user=request.user)
    services.case_open(case=visible, viewer=request.user)
    return _case_page(request, pk, is_first_opening=is_first_opening)


def _case_page(
    request,
    pk: int,
    status: int = 200,
    *,
    is_first_opening: bool = False,
    message_form: tuple[int, HandlerMessageForm] | None = None,
    **forms,
):
    """The case page, with any bound form that came back with errors in place of its empty twin
    (``message_form``: the report it was written under, and the form)."""
    case = selectors.case_detail_for(user=request.user, pk=pk)
    for report in case.reports.all():
        # One form per report, with ids of its own so each label names its own field.
        if message_form is not None and message_form[0] == report.pk:
            report.message_form = message_form[1]
        else:
            report.message_form = HandlerMessageForm(auto_id=f"id_report{report.pk}_%s", case_state=case.state)
    context = {
        "case": case,
        "case_panels": [panel.template_name for panel in case_extensions.panels_for(request.user)],
        "is_first_opening": is_first_opening,
        "transition_form": CaseTransitionForm(case=case),
        "entry_form": TimelineEntryForm(),
        "correction_form": CorrectionForm(),
        "handler_form": HandlerForm(
            candidates=selectors.case_handler_candidates(case=case), initial={"handler": case.handler_id}
        ),
        "merge_form": MergeForm(),
        "show_views": request.GET.get("views") == "1",
        "history_check": selectors.case_history_check(case=case),
        # Every opening is on the timeline; shown on request, so the page reads as the case's history.
        "timeline_without_views": [entry for entry in case.timeline.all() if entry.kind != TimelineKind.VIEW],
    }
    if access.may_hand_on_case(user=request.user, case=case):
        context["hand_on_form"] = HandOnForm()
    if access.may_oversee_cases(user=request.user):
        context["access_form"] = AccessWithdrawForm(candidates=selectors.case_leaders_with_access(case=case))
        context["withdrawals"] = list(case.access_withdrawals.select_related("user"))
    context.update(forms)
    return render(request, "reports/case_detail.html", context, status=status)


@private_view
@require_POST
def case_transition(request, pk: int):
    case = selectors.case_for(user=request.user, pk=pk)
    form = CaseTransitionForm(request.POST, case=case)
    if form.is_valid():
        with refusal_on_form(form):
            services.case_transition(
                case=case,
                to_state=form.cleaned_data["to_state"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                closing_reason=form.cleaned_data["closing_reason"],
            )
            messages.success(request, _("De status is gewijzigd."))
            return redirect("reports:case_detail", pk=pk)
    return _case_page(request, pk, status=400, transition_form=form)


@private_view
@require_POST
def case_entry(request, pk: int):
    """A note or a conversation held; the timeline only grows."""
    case = selectors.case_for(user=request.user, pk=pk)
    form = TimelineEntryForm(request.POST)
    if form.is_valid():
        with refusal_on_form(form):
            services.case_entry_add(
                case=case,
                author=request.user,
                kind=form.cleaned_data["kind"],
                summary=form.cleaned_data["summary"],
                with_whom=form.cleaned_data["with_whom"],
            )
            messages.success(request, _("Vastgelegd in de tijdlijn."))
            return redirect("reports:case_detail", pk=pk)
    return _case_page(request, pk, status=400, entry_form=form)


@private_view
@require_POST
def case_entry_correct(request, pk: int, entry_pk: int):
    case = selectors.case_for(user=request.user, pk=pk)
    entry = TimelineEntry.objects.filter(case=case, pk=entry_pk).exclude(kind=TimelineKind.VIEW).first()
    if entry is None:
        raise Http404
    form = CorrectionForm(request.POST)
    if form.is_valid():
        services.case_entry_correct(entry=entry, author=request.user, summary=form.cleaned_data["summary"])
        messages.success(request, _("De correctie is vastgelegd; de oorspronkelijke regel blijft staan."))
        return redirect("reports:case_detail", pk=pk)
    return _case_page(request, pk, status=400, correction_form=form)


@private_view
@require_POST
def case_handler(request, pk: int):
    case = selectors.case_for(user=request.user, pk=pk)
    form = HandlerForm(request.POST, candidates=selectors.case_handler_candidates(case=case))
    if form.is_valid():
        with refusal_on_form(form, field="handler"):
            services.case_handler_assign(case=case, handler=form.cleaned_data["handler"], by=request.user)
            messages.success(request, _("De behandelaar is gewijzigd."))
            return redirect("reports:case_detail", pk=pk)
    return _case_page(request, pk, status=400, handler_form=form)


@private_view
@require_POST
def case_access(request, pk: int):
    """The board withdraws a leader's access to this case (conflict of interest)."""
    case = selectors.case_for(user=request.user, pk=pk)
    if not access.may_oversee_cases(user=request.user):
        raise Http404
    form = AccessWithdrawForm(request.POST, candidates=selectors.case_leaders_with_access(case=case))
    if form.is_valid():
        with refusal_on_form(form):
            services.case_access_withdraw(
                case=case, user=form.cleaned_data["user"], by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("De toegang is ingetrokken."))
            return redirect("reports:case_detail", pk=pk)
    return _case_page(request, pk, status=400, access_form=form)


@private_view
@require_POST
def case_hand_on(request, pk: int):
    """The vertrouwenspersoon hands a case that is theirs alone on to the school, with a reason."""
    case = selectors.case_for(user=request.user, pk=pk)
    if not access.may_hand_on_case(user=request.user, case=case):
        raise Http404
    form = HandOnForm(request.POST)
    if form.is_valid():
        with refusal_on_form(form):
            services.case_hand_on(
                case=case,
                by=request.user,
                reason=form.cleaned_data["reason"],
                has_reporter_consent=form.cleaned_data["has_reporter_consent"],
            )
            messages.success(request, _("Het dossier is doorgegeven aan de school."))
            return redirect("reports:case_detail", pk=pk)
    return _case_page(request, pk, status=400, hand_on_form=form)


def contacts(request):
    """Bij wie kan ik terecht? The schools, each with a page of its safety contacts (public)."""
    return render(request, "reports/contacts.html", {"schools": selectors.schools_for_contacts()})


def school_contacts(request, pk: int):
    """The people a pupil or parent of one school can turn to today (WPO art. 4c), and outside help."""
    school = selectors.school_for_contacts(pk=pk)
    return render(request, "reports/school_contacts.html", selectors.school_contacts(school=school))


@private_view
@require_POST
def case_access_restore(request, pk: int, user_pk: int):
    """The board gives a leader access to this case back."""
    case = selectors.case_for(user=request.user, pk=pk)
    if not access.may_oversee_cases(user=request.user):
        raise Http404
    withdrawal = case.access_withdrawals.filter(user_id=user_pk).select_related("user").first()
    if withdrawal is None:
        raise Http404
    with refusal_as_message(request):
        services.case_access_restore(case=case, user=withdrawal.user, by=request.user)
        messages.success(request, _("De toegang is teruggegeven."))
    return redirect("reports:case_detail", pk=pk)


@private_view
@require_POST
def case_merge(request, pk: int):
    target = selectors.case_for(user=request.user, pk=pk)
    form = MergeForm(request.POST)
    if form.is_valid():
        source = selectors.cases_visible_to(user=request.user).filter(pk=form.cleaned_data["other"]).first()
        if source is None:
            form.add_error("other", _("Dit dossier is niet gevonden."))
        else:
            with refusal_on_form(form, field="other"):
                services.case_merge(source=source, target=target, by=request.user)
                messages.success(request, _("De dossiers zijn samengevoegd."))
                return redirect("reports:case_detail", pk=pk)
    return _case_page(request, pk, status=400, merge_form=form)


@private_view
@require_POST
def case_legal_hold(request, pk: int):
    case = selectors.case_for(user=request.user, pk=pk)
    if not access.may_oversee_cases(user=request.user):
        raise Http404
    with refusal_as_message(request):
        services.case_legal_hold_set(case=case, is_on_legal_hold=request.POST.get("hold") == "1", by=request.user)
        messages.success(request, _("De bewaarplicht is bijgewerkt."))
    return redirect("reports:case_detail", pk=pk)


@private_view
@require_POST
def case_message(request, pk: int, report_pk: int):
    report = selectors.report_for_handler(user=request.user, case_pk=pk, pk=report_pk)
    if report is None:
        raise Http404
    form = HandlerMessageForm(request.POST, auto_id=f"id_report{report.pk}_%s", case_state=report.case.state)
    if form.is_valid():
        with refusal_on_form(form):
            services.report_message_to_reporter(
                report=report,
                handler=request.user,
                body=form.cleaned_data["body"],
                kind=form.cleaned_data["kind"],
                await_reply=form.cleaned_data.get("await_reply", False),
            )
    if not form.is_valid():
        return _case_page(request, pk, status=400, message_form=(report.pk, form))
    if form.cleaned_data.get("await_reply"):
        messages.success(request, _("Uw bericht aan de melder is verstuurd. Het dossier wacht nu op de melder."))
    elif form.cleaned_data["kind"] == MessageKind.FEEDBACK:
        messages.success(request, _("Uw terugkoppeling aan de melder is verstuurd."))
    else:
        messages.success(request, _("Uw bericht aan de melder is verstuurd."))
    return redirect("reports:case_detail", pk=pk)


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def case_about_me(request, pk: int):
    """ "Deze melding gaat over mij": a confirmation page, then the case goes to the board and the one
    who said so loses access at once (services.case_declare_about_self)."""
    case = selectors.case_for(user=request.user, pk=pk)
    form = DeclareAboutSelfForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            services.case_declare_about_self(case=case, user=request.user)  # may not handle it: 404
            messages.success(
                request,
                _("Dossier %(number)s is aan het bestuur overgedragen. U hebt er geen toegang meer toe.")
                % {"number": case.number},
            )
            return redirect("reports:case_list")
        return render(request, "reports/case_about_me.html", {"case": case, "form": form}, status=400)
    return render(request, "reports/case_about_me.html", {"case": case, "form": form})


@private_view
def evidence_download(request, pk: int, evidence_pk: int):
    """Evidence only for who may see the case: always a download, under the portal's name.

    Never shown in the portal's own origin: ``attachment``, ``nosniff`` and a sandboxing policy
    keep any file from running there, whatever got past the checks; never cached.
    """
    evidence = selectors.evidence_for(user=request.user, case_pk=pk, pk=evidence_pk)
    if evidence is None:
        raise Http404
    if evidence.kind == EvidenceKind.IMAGE and request.GET.get("shown") != "1":
        # An image may be disturbing: it is handed out only after a click-through warning.
        return render(request, "reports/evidence_warning.html", {"evidence": evidence, "case_pk": pk})
    try:
        content = evidence_read(evidence.stored_name)
    except (FileNotFoundError, ValueError, KeyUnavailable):
        raise Http404 from None
    # Opening a file is opening the case file: on the timeline, like every other opening.
    services.case_timeline_add(
        case=evidence.report.case,
        kind=TimelineKind.VIEW,
        author=request.user,
        summary=evidence.file_name,
        data={"evidence_id": evidence.pk},
    )
    response = FileResponse(
        io.BytesIO(content), content_type=evidence.content_type, as_attachment=True, filename=evidence.file_name
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@private_view
def case_statistics(request):
    """Board statistics as server-rendered SVG bars (no script, no inline style: CSP-ready)."""
    if not access.may_oversee_cases(user=request.user):
        raise Http404
    return render(request, "reports/statistics.html", {"stats": statistics.case_statistics()})


RETENTION_PER_PAGE = 50


@private_view
def case_retention(request):
    """The board's dry run of the retention purge: which closed cases are anonymised when, and
    which are kept on legal hold. Numbers, dates and counts only; nothing changes here."""
    if not access.may_oversee_cases(user=request.user):
        raise Http404
    schedule = selectors.case_retention_schedule_for(user=request.user)
    page = Paginator(schedule["pending"], RETENTION_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reports/retention.html", {**schedule, "page": page})


@private_view
def case_statistics_csv(request):
    if not access.may_oversee_cases(user=request.user):
        raise Http404
    rows = statistics.case_statistics_rows(statistics.case_statistics())
    return csv_download(filename="skow-dossierstatistiek.csv", rows=rows)

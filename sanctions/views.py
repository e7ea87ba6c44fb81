"""Thin views: measures and approvals, escalations, person files. Every page answers 404 to who may not see it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from common.access import private_view
from common.exports import csv_download
from common.refusals import refusal_on_form
from policy import selectors as policy_selectors
from reports import selectors as report_selectors

from . import access, overview, selectors, services
from .constants import INSPECTOR_PHONE, EscalationKind, SubjectKind
from .forms import (
    ConductFindingForm,
    DecisionForm,
    InformedForm,
    InspectieDecisionForm,
    InspectorCallForm,
    MeasureForm,
    MeldcodeSignalForm,
    MeldcodeStatusForm,
    PersonAddForm,
    PoliceReportForm,
    SafeHomeStartForm,
    SafeHomeStepForm,
    SafetyEvaluationForm,
    SeriousIncidentForm,
)
from .models import SafetyEvaluation, SeriousIncident
from .pdf import overview_pdf


def _case_or_404(request, case_pk: int):
    case = selectors.case_for(user=request.user, pk=case_pk)
    if case is None:
        raise Http404  # not 403: whether the case exists is not revealed
    return case


# Measures -------------------------------------------------------------------------------------------


@private_view
@never_cache
def measure_list(request, case_pk: int):
    case = _case_or_404(request, case_pk)
    return render(
        request,
        "sanctions/measure_list.html",
        {
            "case": case,
            "measures": selectors.measures_of_case(user=request.user, case=case),
            "people": report_selectors.case_people_for(user=request.user, case=case),
        },
    )


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def measure_new(request, case_pk: int):
    case = _case_or_404(request, case_pk)
    form = MeasureForm(request.POST or None, case=case, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            with refusal_on_form(form):
                measure = services.measure_record(case=case, by=request.user, **data)
                if measure.awaits_approval:
                    messages.success(
                        request,
                        _("De maatregel is voorgesteld. Hij gaat pas in zodra een lid van het bestuur hem goedkeurt."),
                    )
                else:
                    messages.success(request, _("De maatregel is vastgelegd."))
                return redirect("sanctions:measure_list", case_pk=case.pk)
    return render(request, "sanctions/measure_form.html", {"case": case, "form": form}, status=status)


@private_view
@never_cache
def measure_detail(request, case_pk: int, pk: int, form=None, status: int = 200):
    case = _case_or_404(request, case_pk)
    measure = selectors.measure_for(user=request.user, case=case, pk=pk)
    if measure is None:
        raise Http404
    may_decide = access.may_decide_measure(user=request.user, measure=measure)
    nobody_may_decide = measure.awaits_approval and not access.measure_approvers(measure=measure).exists()
    return render(
        request,
        "sanctions/measure_detail.html",
        {
            "case": case,
            "measure": measure,
            "may_decide": may_decide,
            "nobody_may_decide": nobody_may_decide,
            "form": form or DecisionForm(),
        },
        status=status,
    )


def _decide(request, case_pk: int, pk: int, decide):
    case = _case_or_404(request, case_pk)
    measure = selectors.measure_for(user=request.user, case=case, pk=pk)
    if measure is None or not access.may_decide_measures(user=request.user):
        raise Http404
    form = DecisionForm(request.POST)
    if form.is_valid():
        with refusal_on_form(form):
            decide(measure=measure, by=request.user, note=form.cleaned_data["note"])
            return None
    return measure_detail(request, case_pk=case_pk, pk=pk, form=form, status=400)


@private_view
@require_POST
def measure_approve(request, case_pk: int, pk: int):
    refused = _decide(request, case_pk, pk, services.measure_approve)
    if refused is not None:
        return refused
    messages.success(request, _("U hebt de maatregel goedgekeurd; hij is nu van kracht."))
    return redirect("sanctions:approvals")


@private_view
@require_POST
def measure_refuse(request, case_pk: int, pk: int):
    refused = _decide(request, case_pk, pk, services.measure_refuse)
    if refused is not None:
        return refused
    messages.success(request, _("U hebt de maatregel afgewezen."))
    return redirect("sanctions:approvals")


@private_view
@never_cache
def approvals(request):
    """The board's list of heavy measures waiting for a decision."""
    if not access.may_decide_measures(user=request.user):
        raise Http404
    return render(
        request, "sanctions/approvals.html", {"measures": selectors.measures_awaiting_approval(user=request.user)}
    )


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def person_add(request, case_pk: int):
    case = _case_or_404(request, case_pk)
    form = PersonAddForm(request.POST or None, case=case, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with refusal_on_form(form):
                services.case_person_add(case=case, by=request.user, **form.cleaned_data)
                messages.success(request, _("De betrokkene is aan het dossier toegevoegd."))
                return redirect("sanctions:measure_list", case_pk=case.pk)
    return render(request, "sanctions/person_form.html", {"case": case, "form": form}, status=status)


# Escalations ----------------------------------------------------------------------------------------


@private_view
@never_cache
def escalation_list(request, case_pk: int):
    case = _case_or_404(request, case_pk)
    return render(
        request,
        "sanctions/escalation_list.html",
        {
            "case": case,
            "finding": selectors.conduct_finding_of(case=case),
            "inspector_call_needed": selectors.inspector_call_needed(case=case),
            "falls_under_wpo_4a": selectors.case_falls_under_wpo_4a(case),
            "escalations": selectors.escalations_of_case(case=case),
            "inspector_phone": INSPECTOR_PHONE,
            "serious_incidents_on": access.serious_incidents_enabled(),
            "serious_incident": selectors.serious_incident_of(case=case),
        },
    )


def _escalation_form(request, case, form_class, template: str, record, success: str, form_kwargs=None):
    """GET shows the form; POST validates, calls ``record(form.cleaned_data)``, and goes back to the list."""
    form = form_class(request.POST or None, **(form_kwargs or {}))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with refusal_on_form(form):
                record(form.cleaned_data)
                messages.success(request, success)
                return redirect("sanctions:escalation_list", case_pk=case.pk)
    context = {"case": case, "form": form, "inspector_phone": INSPECTOR_PHONE}
    return render(request, template, context, status=status)


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def conduct_finding_new(request, case_pk: int):
    case = _case_or_404(request, case_pk)
    return _escalation_form(
        request,
        case,
        ConductFindingForm,
        "sanctions/conduct_finding_form.html",
        lambda data: services.conduct_finding_record(case=case, by=request.user, **data),
        _("Het oordeel is vastgelegd."),
    )


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def inspector_call_new(request, case_pk: int):
    case = _case_or_404(request, case_pk)
    return _escalation_form(
        request,
        case,
        InspectorCallForm,
        "sanctions/inspector_call_form.html",
        lambda data: services.inspector_call_record(case=case, by=request.user, **data),
        _("Het gesprek met de Vertrouwensinspecteur is vastgelegd."),
        {"initial": {"caller": str(request.user)}},
    )


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def police_report_new(request, case_pk: int):
    case = _case_or_404(request, case_pk)
    return _escalation_form(
        request,
        case,
        PoliceReportForm,
        "sanctions/police_report_form.html",
        lambda data: services.police_report_record(case=case, by=request.user, **data),
        _("De aangifte is vastgelegd."),
    )


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def informed_new(request, case_pk: int):
    """WPO art. 4a: the parents or the accused were informed."""
    case = _case_or_404(request, case_pk)
    return _escalation_form(
        request,
        case,
        InformedForm,
        "sanctions/informed_form.html",
        lambda data: services.wpo_4a_informed_record(case=case, by=request.user, **data),
        _("Vastgelegd wie is geïnformeerd."),
        {"initial": {"informed_by": str(request.user)}},
    )


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def safe_home_new(request, case_pk: int):
    case = _case_or_404(request, case_pk)
    return _escalation_form(
        request,
        case,
        SafeHomeStartForm,
        "sanctions/safe_home_form.html",
        lambda data: services.safe_home_referral_start(case=case, by=request.user, **data),
        _("De meldcode is gestart; stap 1 is vastgelegd."),
        {"case": case, "user": request.user},
    )


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def safe_home_step(request, case_pk: int, pk: int):
    case = _case_or_404(request, case_pk)
    escalation = selectors.escalation_for(case=case, pk=pk)
    if escalation is None or escalation.kind != EscalationKind.SAFE_HOME_REFERRAL:
        raise Http404
    step = access.safe_home_next_step(escalation)
    if step is None:
        raise Http404
    return _escalation_form(
        request,
        case,
        SafeHomeStepForm,
        "sanctions/safe_home_step_form.html",
        lambda data: services.safe_home_step_record(escalation=escalation, by=request.user, step=step.value, **data),
        _("De stap van de meldcode is vastgelegd."),
        {"step": step.value, "melding_required": selectors.meldcode_state(escalation)["melding_required"]},
    )


# The meldcode per pupil -----------------------------------------------------------------------------


@private_view
@never_cache
def meldcode_list(request):
    """Staff see their own signals (taken up or not); handlers see the meldcodes of their schools."""
    if not selectors.may_use_meldcode(user=request.user):
        raise Http404
    meldcodes = [
        (escalation, selectors.meldcode_state(escalation)) for escalation in selectors.meldcodes_for(user=request.user)
    ]
    return render(
        request,
        "sanctions/meldcode_list.html",
        {
            "may_signal": selectors.may_signal_meldcode(user=request.user),
            "signals": selectors.signals_of(user=request.user),
            "meldcodes": meldcodes,
        },
    )


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def meldcode_signal(request):
    """Step 1 of the meldcode by any staff member: the signals about a pupil of their school."""
    if not selectors.may_signal_meldcode(user=request.user):
        raise Http404
    form = MeldcodeSignalForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with refusal_on_form(form):
                services.meldcode_signal(by=request.user, **form.cleaned_data)
                messages.success(
                    request,
                    _("Uw signaal is vastgelegd. De aandachtsfunctionaris van de school pakt het op."),
                )
                return redirect("sanctions:meldcode_list")
    return render(request, "sanctions/meldcode_signal.html", {"form": form}, status=status)


def _meldcode_or_404(request, pk: int):
    escalation = selectors.meldcode_for(user=request.user, pk=pk)
    if escalation is None:
        raise Http404  # a teacher who signalled reads no later step
    return escalation


@private_view
@never_cache
def meldcode_detail(request, pk: int):
    escalation = _meldcode_or_404(request, pk)
    return render(
        request,
        "sanctions/meldcode_detail.html",
        {"meldcode": escalation, **selectors.meldcode_state(escalation), "status_form": MeldcodeStatusForm()},
    )


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def meldcode_step(request, pk: int):
    escalation = _meldcode_or_404(request, pk)
    state = selectors.meldcode_state(escalation)
    if state["next_step"] is None or state["is_closed"]:
        raise Http404
    step = state["next_step"]
    form = SafeHomeStepForm(request.POST or None, step=step.value, melding_required=state["melding_required"])
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with refusal_on_form(form):
                services.safe_home_step_record(
                    escalation=escalation, by=request.user, step=step.value, **form.cleaned_data
                )
                messages.success(request, _("De stap van de meldcode is vastgelegd."))
                return redirect("sanctions:meldcode_detail", pk=escalation.pk)
    return render(
        request,
        "sanctions/meldcode_step.html",
        {"meldcode": escalation, "form": form, "step": step},
        status=status,
    )


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def meldcode_status(request, pk: int):
    """Close the meldcode at any step, or reopen it, with a reason."""
    escalation = _meldcode_or_404(request, pk)
    is_closed = selectors.meldcode_state(escalation)["is_closed"]
    form = MeldcodeStatusForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with refusal_on_form(form):
                change = services.meldcode_reopen if is_closed else services.meldcode_close
                change(escalation=escalation, by=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("De meldcode is heropend.") if is_closed else _("De meldcode is gesloten."))
                return redirect("sanctions:meldcode_detail", pk=escalation.pk)
    return render(
        request,
        "sanctions/meldcode_status.html",
        {"meldcode": escalation, "form": form, "is_closed": is_closed},
        status=status,
    )


# Person files ---------------------------------------------------------------------------------------

_PERSON_WITH_FILE = {
    SubjectKind.STAFF: selectors.staff_member_with_person_file,
    SubjectKind.PUPIL: selectors.pupil_with_person_file,
    SubjectKind.PARENT: selectors.parent_with_person_file,
}


def _person_file(request, subject_kind: str, pk: int, template: str):
    person = _PERSON_WITH_FILE[subject_kind](user=request.user, pk=pk)
    if person is None:
        raise Http404
    person_file = selectors.person_file_for(user=request.user, subject_kind=subject_kind, person=person)
    print_kind = {SubjectKind.STAFF: "staff", SubjectKind.PUPIL: "pupils", SubjectKind.PARENT: "parents"}[subject_kind]
    return render(request, template, {**person_file, "print_kind": print_kind})


@private_view
@never_cache
def person_file_search(request):
    """Find a staff member, pupil or parent and open their person file."""
    if not selectors.may_read_person_files(user=request.user):
        raise Http404
    query = request.GET.get("q", "").strip()[:100]
    results = selectors.person_file_search(user=request.user, query=query)
    return render(request, "sanctions/person_file_search.html", {"query": query, **results})


@private_view
@never_cache
def staff_person_file(request, pk: int):
    return _person_file(request, SubjectKind.STAFF, pk, "sanctions/person_file.html")


@private_view
@never_cache
def pupil_person_file(request, pk: int):
    return _person_file(request, SubjectKind.PUPIL, pk, "sanctions/person_file.html")


@private_view
@never_cache
def parent_person_file(request, pk: int):
    return _person_file(request, SubjectKind.PARENT, pk, "sanctions/person_file.html")


@private_view
@never_cache
def person_file_print(request, kind: str, pk: int):
    """The printable export of a person file: the same content on a page without navigation."""
    subject_kind = {"staff": SubjectKind.STAFF, "pupils": SubjectKind.PUPIL, "parents": SubjectKind.PARENT}.get(kind)
    if subject_kind is None:
        raise Http404
    return _person_file(request, subject_kind, pk, "sanctions/person_file_print.html")


# Ernstig incident ------------------------------------------------------------------------------------


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def serious_incident_new(request, case_pk: int):
    """Flag a case as an ernstig incident (only while SERIOUS_INCIDENT_TASKS is on)."""
    case = _case_or_404(request, case_pk)
    if not access.may_flag_serious_incident(user=request.user, case=case):
        raise Http404
    current = SeriousIncident.objects.filter(case=case).first()
    form = SeriousIncidentForm(
        request.POST if request.method == "POST" else None, initial={"kinds": current.kinds if current else []}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with refusal_on_form(form):
                services.serious_incident_flag(case=case, by=request.user, kinds=form.cleaned_data["kinds"])
                flagged = _("Het dossier is gemarkeerd als ernstig incident.")
                considered = _("Het bestuur overweegt een melding bij de Inspectie.")
                messages.success(request, f"{flagged} {considered}")
                return redirect("sanctions:escalation_list", case_pk=case.pk)
    context = {"case": case, "form": form, "current": current}
    return render(request, "sanctions/serious_incident_form.html", context, status=status)


@private_view
@never_cache
def serious_incidents(request):
    """The board's tasks "melding Inspectie overwegen"."""
    if not access.may_consider_serious_incidents(user=request.user):
        raise Http404
    summaries = selectors.serious_incidents_for(user=request.user)
    return render(
        request,
        "sanctions/serious_incidents.html",
        {
            "open": [s for s in summaries if s.incident.is_open],
            "decided": [s for s in summaries if not s.incident.is_open],
            "today": timezone.localdate(),
        },
    )


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def serious_incident_decide(request, pk: int):
    summary = selectors.serious_incident_for(user=request.user, pk=pk)
    if summary is None:
        raise Http404
    form = InspectieDecisionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and summary.incident.is_open:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            with refusal_on_form(form):
                services.serious_incident_decide(
                    incident=summary.incident,
                    by=request.user,
                    decision=data["decision"],
                    decided_on=data["decided_on"],
                    note=data["note"],
                )
                messages.success(request, _("Het besluit over een melding bij de Inspectie is vastgelegd."))
                return redirect("sanctions:serious_incidents")
    return render(
        request,
        "sanctions/serious_incident_decide.html",
        {"summary": summary, "form": form, "today": timezone.localdate()},
        status=status,
    )


# Yearly overview and evaluatie -------------------------------------------------------------------


def _year_or_404(year: int) -> int:
    if year not in overview.years_with_cases():
        raise Http404
    return year


def _school_or_404(request, school: int):
    found = access.schools_with_overview_for(user=request.user).filter(pk=school).first()
    if found is None:
        raise Http404
    return found


@private_view
@never_cache
def overview_index(request):
    """Which overviews the reader may download: their schools' and (the board) all schools'."""
    schools = list(access.schools_with_overview_for(user=request.user).order_by("name"))
    is_board = access.may_see_board_overview(user=request.user)
    if not schools and not is_board:
        raise Http404
    years = overview.years_with_cases()
    chosen = request.GET.get("year", "")
    year = int(chosen) if chosen.isdigit() and int(chosen) in years else years[0]
    recorded = set(
        SafetyEvaluation.objects.filter(school__in=schools, school_year=year).values_list("school_id", flat=True)
    )
    return render(
        request,
        "sanctions/overview_index.html",
        {
            "years": [(y, overview.school_year_label(y)) for y in years],
            "year": year,
            "year_label": overview.school_year_label(year),
            "schools": [(school, school.pk in recorded) for school in schools],
            "is_board": is_board,
        },
    )


def _overview_page(request, year: int, school=None):
    result = overview.yearly_overview(user=request.user, year=year, school=school)
    return render(
        request,
        "sanctions/overview.html",
        {
            "overview": result,
            "primary": overview.PRIMARY,
            "secondary": overview.SECONDARY,
            "may_record_evaluation": school is not None,
        },
    )


def _overview_file(request, year: int, school, kind: str):
    result = overview.yearly_overview(user=request.user, year=year, school=school)
    stem = f"jaaroverzicht-{result.year_label}-" + (slugify(school.name) if school else "bestuur")
    if kind == "csv":
        return csv_download(filename=f"{stem}.csv", rows=overview.overview_rows(result))
    response = HttpResponse(overview_pdf(result), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
    return response


@private_view
@never_cache
def board_overview(request, year: int):
    if not access.may_see_board_overview(user=request.user):
        raise Http404
    return _overview_page(request, _year_or_404(year))


@private_view
@never_cache
def board_overview_file(request, year: int, kind: str):
    if not access.may_see_board_overview(user=request.user) or kind not in ("pdf", "csv"):
        raise Http404
    return _overview_file(request, _year_or_404(year), None, kind)


@private_view
@never_cache
def school_overview(request, year: int, school: int):
    found = _school_or_404(request, school)
    return _overview_page(request, _year_or_404(year), found)


@private_view
@never_cache
def school_overview_file(request, year: int, school: int, kind: str):
    found = _school_or_404(request, school)
    if kind not in ("pdf", "csv"):
        raise Http404
    return _overview_file(request, _year_or_404(year), found, kind)


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def evaluation_edit(request, year: int, school: int):
    """Record or correct the school's yearly evaluatie (Inspectie standard VS1)."""
    found = _school_or_404(request, school)
    year = _year_or_404(year)
    current = SafetyEvaluation.objects.filter(school=found, school_year=year).first()
    initial = {}
    if current is not None:
        initial = {
            name: getattr(current, name)
            for name in (
                "monitor_instrument",
                "monitor_held_on",
                "monitor_delivered",
                "conclusions",
                "measures_taken",
                "protocol_version",
            )
        }
    form = SafetyEvaluationForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        protocol_versions=policy_selectors.protocol_versions_public(),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with refusal_on_form(form):
                services.safety_evaluation_record(school=found, year=year, by=request.user, **form.cleaned_data)
                messages.success(request, _("De evaluatie is vastgelegd."))
                return redirect("sanctions:school_overview", year=year, school=found.pk)
    context = {
        "form": form,
        "school": found,
        "year": year,
        "year_label": overview.school_year_label(year),
        "current": current,
    }
    return render(request, "sanctions/evaluation_form.html", context, status=status)

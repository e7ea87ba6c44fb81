"""Reads about measures, escalations and person files, already limited to what the asking user may see.

Who sees what: a case's measures and escalations go with the case (its school's leadership and the
board; a case about the leadership: board only, reports decides that). A person file is seen by the
leaders of the person's school and by the board, never by the person it is about; a school leader's
own person file is the board's alone (a case about the leadership is never the leadership's).

The rules themselves are sanctions/access.py; the ones pages and forms read are imported from there.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Pupil, User
from reports import selectors as report_selectors
from reports.access import case_falls_under_wpo_4a as case_falls_under_wpo_4a
from reports.constants import Category, PartyRole
from reports.models import Case, Report

from .access import (
    may_consider_serious_incidents,
    may_decide_measures,
    may_record_sanctions,
    meldcodes_handled_by,
    safe_home_melding_required,
    serious_incidents_enabled,
    working_days_after,
)
from .access import may_read_person_files as may_read_person_files
from .access import may_signal_meldcode as may_signal_meldcode
from .access import measure_approvers as measure_approvers
from .access import parents_for_case as parents_for_case
from .access import parents_with_person_file_for as parents_with_person_file_for
from .access import pupils_for_case as pupils_for_case
from .access import pupils_to_signal_about as pupils_to_signal_about
from .access import pupils_with_person_file_for as pupils_with_person_file_for
from .access import staff_for_case as staff_for_case
from .access import staff_with_person_file_for as staff_with_person_file_for
from .constants import SAFE_HOME_FEEDBACK_WORKING_DAYS, EscalationKind, MeasureStatus, SafeHomeStep, SubjectKind
from .models import (
    Escalation,
    Measure,
    SafeHomeStatusChange,
    SafeHomeStepRecord,
    SeriousIncident,
    StaffConductFinding,
)


def may_handle_cases(*, user: User) -> bool:
    """Whether sanctions' pages of a case are for ``user`` at all (access.may_record_sanctions)."""
    return may_record_sanctions(user=user)


def case_for(*, user: User, pk: int) -> Case | None:
    """The case when the user may handle it, else None (the view answers 404).

    Never a case about the user: reports leaves those out (reports/access.py).
    """
    if not may_handle_cases(user=user):
        return None
    try:
        return report_selectors.case_for(user=user, pk=pk)
    except Http404:
        return None


def _not_about(user: User, queryset: QuerySet) -> QuerySet:
    """Nobody reads measures or records about themselves (leader-is-subject rule)."""
    return queryset.exclude(Q(staff_member=user) | Q(parent=user) | Q(pupil__user=user))


# One case ---------------------------------------------------------------------------------------

_PEOPLE = ("staff_member", "pupil", "parent")


def measures_of_case(*, user: User, case: Case) -> QuerySet[Measure]:
    return _not_about(user, case.measures.select_related(*_PEOPLE, "proposed_by", "decided_by"))


def measure_for(*, user: User, case: Case, pk: int) -> Measure | None:
    return measures_of_case(user=user, case=case).filter(pk=pk).first()


def escalations_of_case(*, case: Case) -> QuerySet[Escalation]:
    steps = Prefetch("steps", queryset=SafeHomeStepRecord.objects.select_related("recorded_by"))
    return case.escalations.select_related("pupil", "recorded_by").prefetch_related(steps)


def escalation_for(*, case: Case, pk: int) -> Escalation | None:
    return escalations_of_case(case=case).filter(pk=pk).first()


def conduct_finding_of(*, case: Case) -> StaffConductFinding | None:
    """Sancties 3: the newest judgement counts."""
    return case.conduct_findings.select_related("found_by").first()


def inspector_call_needed(*, case: Case) -> bool:
    """Judged boundary-crossing (Sancties 3) and the call to the Vertrouwensinspecteur not recorded."""
    finding = conduct_finding_of(case=case)
    if finding is None or not finding.is_boundary_crossing:
        return False
    from .constants import EscalationKind

    return not case.escalations.filter(kind=EscalationKind.INSPECTOR_CALL, recorded_at__gte=finding.found_at).exists()


# The board's approvals --------------------------------------------------------------------------


def measures_awaiting_approval(*, user: User) -> QuerySet[Measure]:
    """Heavy measures the board still has to decide on; nothing for anyone else."""
    if not may_decide_measures(user=user):
        return Measure.objects.none()
    return _not_about(
        user,
        Measure.objects.filter(status=MeasureStatus.PROPOSED)
        .select_related("case", "case__school", *_PEOPLE, "proposed_by")
        .order_by("proposed_at", "pk"),
    )


# Person files ------------------------------------------------------------------------------------


def staff_member_with_person_file(*, user: User, pk: int) -> User | None:
    return staff_with_person_file_for(user=user).filter(pk=pk).first()


def pupil_with_person_file(*, user: User, pk: int) -> Pupil | None:
    return pupils_with_person_file_for(user=user).filter(pk=pk).first()


def parent_with_person_file(*, user: User, pk: int) -> User | None:
    return parents_with_person_file_for(user=user).filter(pk=pk).first()


def person_file_search(*, user: User, query: str, limit: int = 25) -> dict:
    """People whose person file the user may open, by name (or e-mail, student number)."""
    words = query.split()
    staff = staff_with_person_file_for(user=user)
    pupils = pupils_with_person_file_for(user=user)
    parents = parents_with_person_file_for(user=user)
    for word in words:
        person = Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        staff, parents = staff.filter(person), parents.filter(person)
        pupils = pupils.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(student_number__iexact=word)
        )
    if not words:
        return {"staff": [], "pupils": [], "parents": []}
    order = ("last_name", "first_name")
    return {
        "staff": list(staff.order_by(*order)[:limit]),
        "pupils": list(pupils.order_by(*order)[:limit]),
        "parents": list(parents.order_by(*order)[:limit]),
    }


def person_file_for(*, user: User, subject_kind: str, person) -> dict:
    """Every case and measure about ``person`` that the user may see: their person file (protocol,
    Sancties 2 and 5: the personeelsdossier or leerlingendossier)."""
    field = {SubjectKind.STAFF: "staff_member", SubjectKind.PUPIL: "pupil", SubjectKind.PARENT: "parent"}[subject_kind]
    visible = report_selectors.cases_visible_to(user=user)
    measures = list(
        Measure.objects.filter(**{field: person}, case__in=visible)
        .select_related("case", "case__school", "proposed_by", "decided_by")
        .order_by("-decided_on", "-pk")
    )
    about = Q(people__subject_kind=subject_kind, **{f"people__{field}": person}) | Q(
        measures__subject_kind=subject_kind, **{f"measures__{field}": person}
    )
    if subject_kind == SubjectKind.PUPIL:
        about |= Q(escalations__pupil=person)
    cases = list(
        visible.filter(about)
        .distinct()
        .select_related("school")
        .prefetch_related("reports")
        .order_by("-created_at", "-pk")
    )
    return {"subject_kind": subject_kind, "person": person, "cases": cases, "measures": measures}


# Ernstig incident ------------------------------------------------------------------------------------


@dataclass
class IncidentSummary:
    """What the board reads of an ernstig incident: kinds, dates and counts, never a name or typed text."""

    incident: SeriousIncident
    school_name: str
    categories: list[str]
    involved: list[str]
    happened_in: datetime.date | None
    state: str
    measures: list[str]
    escalations: list[str]


def serious_incident_of(*, case: Case) -> SeriousIncident | None:
    """The case's ernstig-incident flag, while the setting is on (no query when it is off)."""
    if not serious_incidents_enabled():
        return None
    return SeriousIncident.objects.filter(case=case).first()


def serious_incidents_for(*, user: User) -> list[IncidentSummary]:
    """The board's tasks "melding Inspectie overwegen", open ones first, then the decided ones of the
    last year; never one about the reader. Four queries at any number."""
    if not may_consider_serious_incidents(user=user):
        return []
    year_ago = timezone.localdate() - datetime.timedelta(days=365)
    incidents = (
        SeriousIncident.objects.filter(case__in=report_selectors.cases_visible_to(user=user))
        .filter(Q(decision="") | Q(decided_on__gte=year_ago))
        .select_related("case__school")
        .prefetch_related(
            Prefetch(
                "case__reports", queryset=Report.objects.only("case_id", "category", "involved_roles", "happened_on")
            ),
            Prefetch(
                "case__measures",
                queryset=Measure.objects.filter(status=MeasureStatus.IN_EFFECT).only("case_id", "kind"),
            ),
            Prefetch("case__escalations", queryset=Escalation.objects.only("case_id", "kind")),
        )
        .order_by(F("decided_on").asc(nulls_first=True), "due_on", "pk")
    )
    categories, roles = dict(Category.choices), dict(PartyRole.choices)
    summaries = []
    for incident in incidents:
        reports = list(incident.case.reports.all())
        involved = {role for report in reports for role in report.involved_roles or []}
        summaries.append(
            IncidentSummary(
                incident=incident,
                school_name=incident.case.school.name,
                categories=sorted({str(categories.get(r.category, r.category)) for r in reports}),
                involved=[str(label) for value, label in roles.items() if value in involved],
                happened_in=min((r.happened_on for r in reports), default=None),
                state=incident.case.get_state_display(),
                measures=sorted({m.get_kind_display() for m in incident.case.measures.all()}),
                escalations=sorted({e.get_kind_display() for e in incident.case.escalations.all()}),
            )
        )
    return summaries


def serious_incident_for(*, user: User, pk: int) -> IncidentSummary | None:
    for summary in serious_incidents_for(user=user):
        if summary.incident.pk == pk:
            return summary
    return None


# The meldcode per pupil -----------------------------------------------------------------------------


def may_use_meldcode(*, user: User) -> bool:
    """The meldcode page is for staff (to signal) and for whoever handles meldcodes."""
    return may_signal_meldcode(user=user) or may_record_sanctions(user=user)


def _with_steps(meldcodes: QuerySet[Escalation]) -> QuerySet[Escalation]:
    steps = Prefetch("steps", queryset=SafeHomeStepRecord.objects.select_related("recorded_by"))
    changes = Prefetch(
        "status_changes",
        queryset=SafeHomeStatusChange.objects.select_related("recorded_by").order_by("recorded_at", "pk"),
    )
    return meldcodes.select_related("pupil", "pupil__school", "pupil__group", "case").prefetch_related(steps, changes)


def meldcodes_for(*, user: User) -> QuerySet[Escalation]:
    """The meldcodes ``user`` handles, newest first, with their steps."""
    return _with_steps(meldcodes_handled_by(user=user)).order_by("-happened_on", "-pk")


def signals_of(*, user: User) -> QuerySet[Escalation]:
    """The meldcodes ``user`` signalled (step 1 by them): the page says only whether each was taken up."""
    steps = SafeHomeStepRecord.objects.filter(step=SafeHomeStep.MAP_SIGNALS, recorded_by=user)
    return (
        Escalation.objects.filter(kind=EscalationKind.SAFE_HOME_REFERRAL, pk__in=steps.values("escalation_id"))
        .select_related("pupil")
        .annotate(taken_up=Exists(SafeHomeStepRecord.objects.filter(escalation=OuterRef("pk"), step__gt=1)))
        .order_by("-happened_on", "-pk")
    )


def meldcode_for(*, user: User, pk: int) -> Escalation | None:
    return meldcodes_for(user=user).filter(pk=pk).first()


def meldcode_state(escalation: Escalation) -> dict:
    """What the meldcode page shows, from the prefetched steps and changes: no further queries."""
    steps = list(escalation.steps.all())
    changes = list(escalation.status_changes.all())
    done = {record.step for record in steps}
    next_step = next((step for step in SafeHomeStep if step.value not in done), None)
    decision = next((record for record in steps if record.step == SafeHomeStep.DECIDE), None)
    weighed = [(record.unsafety, record.help_feasible) for record in steps if record.step == SafeHomeStep.WEIGH]
    feedback_due = None
    if decision is not None and decision.reported_to_safe_home:
        feedback_due = working_days_after(decision.done_on, SAFE_HOME_FEEDBACK_WORKING_DAYS)
    return {
        "steps": steps,
        "changes": changes,
        "is_closed": bool(changes) and changes[-1].is_closed,
        "next_step": next_step,
        "decision": decision,
        "melding_required": safe_home_melding_required(*weighed),
        "feedback_due": feedback_due,
    }

"""Reads about reports and case files, already limited to what the asking user may see.

Who may see a case is decided in reports/access.py; the rules other apps and pages read through
this module are imported from there (``cases_visible_to`` and the others below).
"""

from __future__ import annotations

import datetime
import re

from django.db.models import (
    BooleanField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constants import SafetyRole
from accounts.models import SafetyRoleHolder, School, User, safety_role_current_on
from common.hashchain import ChainReport, chain_verify
from retention.services import term_days

from .access import case_handler_candidates as case_handler_candidates
from .access import case_leaders_with_access as case_leaders_with_access
from .access import cases_visible_to as cases_visible_to
from .access import holder_for_reporter as holder_for_reporter
from .access import may_handle_cases as may_handle_cases
from .access import users_case_is_about as users_case_is_about
from .constants import CHAIN_RESEAL_REASONS, CaseState, SubjectKind, TimelineKind
from .models import (
    Case,
    CaseChainHead,
    CasePerson,
    CaseView,
    Evidence,
    Report,
    ReportMessage,
    TimelineEntry,
)


def case_for(*, user: User, pk: int) -> Case:
    """The case ``pk`` if ``user`` may see it; Http404 otherwise (never 403: existence is not revealed).

    Public: sanctions calls it before showing or changing anything of a case.
    """
    case = cases_visible_to(user=user).select_related("school", "handler").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


CASE_SORTS = [
    ("-created", _("Nieuwste eerst")),
    ("created", _("Oudste eerst")),
    ("overdue", _("Over tijd eerst")),
    ("deadline", _("Eerstvolgende termijn")),
    ("state", _("Status")),
    ("school", _("School")),
]
ORDERINGS = {
    "-created": ["-created_at", "-pk"],
    "created": ["created_at", "pk"],
    "overdue": ["-is_overdue_now", "-created_at", "-pk"],
    "deadline": ["feedback_due_at", "pk"],
    "state": ["state", "-created_at", "-pk"],
    "school": ["school__name", "-created_at", "-pk"],
}
CASE_NUMBER = re.compile(r"^\s*(?:\d{4}-)?0*(\d{1,9})\s*$")


def case_pk_from_number(text: str) -> int | None:
    """``2026-00012`` (or ``12``) → 12; None when it is not a case number."""
    match = CASE_NUMBER.match(text or "")
    return int(match.group(1)) if match else None


def overdue_condition(now: datetime.datetime) -> Q:
    """The same rule as Case.overdue_reasons, in SQL: not acknowledged in time, or no feedback in time."""
    return Q(state=CaseState.NEW, acknowledge_due_at__lt=now) | (
        ~Q(state=CaseState.CLOSED) & Q(feedback_given_at__isnull=True, feedback_due_at__lt=now)
    )


def case_list_for(*, user: User, filters: dict | None = None, now: datetime.datetime | None = None) -> QuerySet[Case]:
    """The /cases/ page: filtered, searched, sorted; school, handler and the reports' categories in
    two queries, and ``is_overdue_now`` computed by the database. Merged cases are left out.

    ``filters`` are a CaseFilterForm's cleaned_data: q, school, state, category, handler, overdue, sort.
    """
    filters = filters or {}
    now = now or timezone.now()
    cases = cases_visible_to(user=user).filter(merged_into__isnull=True)
    if filters.get("school"):
        cases = cases.filter(school=filters["school"])
    if filters.get("state"):
        cases = cases.filter(state=filters["state"])
    if filters.get("category"):
        cases = cases.filter(Exists(Report.objects.filter(case=OuterRef("pk"), category=filters["category"])))
    handler = filters.get("handler") or ""
    if handler == "me":
        cases = cases.filter(handler=user)
    elif handler == "none":
        cases = cases.filter(handler__isnull=True)
    elif handler.isdigit():
        cases = cases.filter(handler_id=int(handler))
    if filters.get("overdue"):
        cases = cases.filter(overdue_condition(now))
    query = (filters.get("q") or "").strip()
    if query:
        # The number and the school only: what a report says is sealed (common/vault.py) and a
        # search over it would need the plain text the database no longer holds.
        condition = Q(school__name__icontains=query)
        pk = case_pk_from_number(query)
        if pk is not None:
            condition |= Q(pk=pk)
        cases = cases.filter(condition)
    return (
        cases.annotate(is_overdue_now=ExpressionWrapper(overdue_condition(now), output_field=BooleanField()))
        .select_related("school", "handler")
        .prefetch_related(Prefetch("reports", queryset=Report.objects.only("pk", "case_id", "category", "platform")))
        .order_by(*ORDERINGS.get(filters.get("sort") or "-created", ORDERINGS["-created"]))
    )


def case_list_choices_for(*, user: User) -> tuple[QuerySet[School], QuerySet[User]]:
    """The schools and handlers the filters of /cases/ offer this user."""
    visible = cases_visible_to(user=user)
    schools = School.objects.filter(pk__in=visible.values("school_id")).order_by("name")
    handlers = User.objects.filter(pk__in=visible.values("handler_id")).order_by("first_name", "last_name", "email")
    return schools, handlers


def case_people_for(*, user: User, case: Case) -> QuerySet[CasePerson]:
    """Whom ``case`` is about (staff, pupils, parents a handler recorded), as ``user`` may read them:
    never a row about ``user`` themselves."""
    return case.people.exclude(Q(staff_member=user) | Q(parent=user) | Q(pupil__user=user)).select_related(
        "staff_member", "pupil", "parent"
    )


def case_opened_before(*, case: Case, user: User) -> bool:
    """Has ``user`` opened this case file before (the view audit says so)?"""
    return CaseView.objects.filter(case=case, viewer=user).exists()


def case_detail_for(*, user: User, pk: int) -> Case | None:
    """One case with its reports, their threads and files; None when the user may not see it."""
    return (
        cases_visible_to(user=user)
        .select_related("school", "handler", "acknowledged_by", "merged_into")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=Report.objects.select_related("protocol_version").prefetch_related(
                    Prefetch(
                        "messages",
                        queryset=ReportMessage.objects.select_related("handler").prefetch_related("evidence"),
                    ),
                    "evidence",
                ),
            ),
            Prefetch("views", queryset=CaseView.objects.select_related("viewer")),
            Prefetch("timeline", queryset=TimelineEntry.objects.select_related("author", "corrects")),
        )
        .filter(pk=pk)
        .first()
    )


def case_history_check(*, case: Case) -> ChainReport:
    """Recompute the case's hash chain (timeline and views, common/hashchain.py) from the stored rows:
    what was changed or removed outside the portal, in plain Dutch. For the case page and chain_verify."""
    head = CaseChainHead.objects.filter(case=case).first() or CaseChainHead(case=case)
    report = chain_verify(head)
    report.reseal_reason = str(CHAIN_RESEAL_REASONS.get(report.reseal_reason, report.reseal_reason))
    return report


def report_for_handler(*, user: User, case_pk: int, pk: int) -> Report | None:
    """A report of a case the user handles, for writing to its reporter."""
    return (
        Report.objects.select_related("case", "school", "reporter_user")
        .filter(pk=pk, case_id=case_pk, case__in=cases_visible_to(user=user))
        .first()
    )


def evidence_for(*, user: User, case_pk: int, pk: int) -> Evidence | None:
    return (
        Evidence.objects.select_related("report__case")
        .filter(pk=pk, report__case__in=cases_visible_to(user=user), report__case_id=case_pk)
        .first()
    )


def report_for_follow(*, pk: int) -> Report | None:
    """The report a reporter unlocked with the receipt code in this session."""
    return (
        Report.objects.select_related("case", "school")
        .prefetch_related(Prefetch("messages", queryset=ReportMessage.objects.prefetch_related("evidence")), "evidence")
        .filter(pk=pk)
        .first()
    )


def _about_a_pupil() -> Exists:
    return Exists(CasePerson.objects.filter(case=OuterRef("pk"), subject_kind=SubjectKind.PUPIL))


def _retention_pending() -> QuerySet[Case]:
    """Closed cases the retention purge will anonymise one day under the "case" term (from closing):
    not on legal hold, not done yet, and about no pupil (those follow the pupil's leaving date)."""
    return Case.objects.filter(state=CaseState.CLOSED, is_on_legal_hold=False, anonymised_at__isnull=True).exclude(
        _about_a_pupil()
    )


def case_retention_days() -> int:
    """The board's term for cases, from closing (retention kind "case"; the law's default 2 years)."""
    return term_days(CASE_KIND)


CASE_KIND = "case"
PUPIL_CASE_KIND = "case_pupil"


def cases_closed_before(cutoff: datetime.datetime) -> QuerySet[Case]:
    """Retention kind "case": closed before ``cutoff``, not on legal hold, not yet anonymised, about no pupil."""
    return _retention_pending().filter(closed_at__lt=cutoff).order_by("closed_at", "pk")


def cases_of_pupils_left_before(cutoff: datetime.datetime) -> QuerySet[Case]:
    """Retention kind "case_pupil": closed cases about pupils who all left before ``cutoff`` (the
    pupil import records the leaving date), not on legal hold, not yet anonymised. Meldcode steps
    and measures live in the case and go with it."""
    still_there = CasePerson.objects.filter(case=OuterRef("pk"), subject_kind=SubjectKind.PUPIL).filter(
        Q(pupil__left_on__isnull=True) | Q(pupil__left_on__gte=timezone.localdate(cutoff))
    )
    return (
        Case.objects.filter(state=CaseState.CLOSED, is_on_legal_hold=False, anonymised_at__isnull=True)
        .filter(_about_a_pupil())
        .exclude(Exists(still_there))
        .order_by("closed_at", "pk")
    )


def cases_due_for_anonymisation(*, now: datetime.datetime | None = None) -> QuerySet[Case]:
    """Closed cases whose retention period (the "case" term from closing) has passed, not on legal
    hold, not yet anonymised, about no pupil."""
    now = now or timezone.now()
    return cases_closed_before(now - datetime.timedelta(days=case_retention_days()))


def _count_of(queryset: QuerySet, *, case_path: str) -> Coalesce:
    """How many rows of ``queryset`` belong to the outer case, as one subquery."""
    counted = (
        queryset.filter(**{case_path: OuterRef("pk")})
        .order_by()
        .values(case_path)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _with_retention_contents(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What anonymising a case removes, counted (never shown): reports, messages, evidence files."""
    return cases.select_related("school").annotate(
        report_count=_count_of(Report.objects.all(), case_path="case"),
        message_count=_count_of(ReportMessage.objects.all(), case_path="report__case"),
        file_count=_count_of(Evidence.objects.all(), case_path="report__case"),
    )


def case_retention_schedule_for(*, user: User, now: datetime.datetime | None = None) -> dict:
    """The board's dry run of the retention purge (AVG art. 5(1)(e)), from the purge's own rule.

    ``pending``: every closed case of the user's not on legal hold, oldest first, with
    ``anonymise_from`` (closing + CASE_RETENTION_DAYS; the daily purge takes it on its first run
    after that), ``is_due`` (the next run takes it) and what goes (``report_count``,
    ``message_count``, ``file_count``). ``on_hold``: the user's cases on legal hold, not anonymised,
    with ``hold_since`` (the last time the hold was set). ``due_count``: how many the next run takes.
    Only numbers, schools, dates and counts: no content of a case. Scoped by cases_visible_to, so a
    case about the reader is left out as everywhere else.
    """
    now = now or timezone.now()
    retention_days = case_retention_days()
    period = datetime.timedelta(days=retention_days)
    visible = cases_visible_to(user=user)
    pending = (
        _with_retention_contents(_retention_pending().filter(pk__in=visible.values("pk")))
        .annotate(
            anonymise_from=ExpressionWrapper(F("closed_at") + period, output_field=DateTimeField()),
            is_due=ExpressionWrapper(Q(closed_at__lt=now - period), output_field=BooleanField()),
        )
        .order_by("closed_at", "pk")
    )
    hold_set = TimelineEntry.objects.filter(
        case=OuterRef("pk"), kind=TimelineKind.RETENTION, data__legal_hold=True
    ).order_by("-created_at", "-pk")
    on_hold = (
        _with_retention_contents(
            visible.filter(is_on_legal_hold=True, anonymised_at__isnull=True, merged_into__isnull=True)
        )
        .annotate(hold_since=Subquery(hold_set.values("created_at")[:1]))
        .order_by("closed_at", "created_at", "pk")
    )
    return {
        "pending": pending,
        "on_hold": on_hold,
        "due_count": _retention_pending().filter(pk__in=visible.values("pk"), closed_at__lt=now - period).count(),
        "retention_days": retention_days,
    }


# Bij wie kan ik terecht? (public) --------------------------------------------------------------------


def schools_for_contacts() -> QuerySet[School]:
    return School.objects.only("pk", "name").order_by("name")


def school_for_contacts(*, pk: int) -> School:
    school = School.objects.filter(pk=pk).first()
    if school is None:
        raise Http404
    return school


def school_contacts(*, school: School, on: datetime.date | None = None) -> dict:
    """The school's role register as the public page shows it: per role the holders of ``on`` (today),
    in the order of ``SafetyRole``; a role nobody holds is listed with none. Expired holders are gone."""
    day = on or timezone.localdate()
    holders = (
        SafetyRoleHolder.objects.filter(safety_role_current_on(day), school=school)
        .select_related("user")
        .order_by("valid_from", "pk")
    )
    by_role: dict[str, list[SafetyRoleHolder]] = {role.value: [] for role in SafetyRole}
    for holder in holders:
        by_role[holder.role].append(holder)
    return {
        "school": school,
        "roles": [{"role": role, "holders": by_role[role.value]} for role in SafetyRole],
    }

"""Reads about reports and case files, already limited to what the asking user may see.

Who may see a case is decided in reports/access.py; the rules other apps and pages read through
this module are imported from there (``cases_visible_to`` and the others below).
"""

from __future__ import annotations

import datetime
import re

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import School, User

from .access import case_handler_candidates as case_handler_candidates
from .access import case_leaders_with_access as case_leaders_with_access
from .access import cases_visible_to as cases_visible_to
from .access import may_handle_cases as may_handle_cases
from .access import users_case_is_about as users_case_is_about
from .constants import CaseState
from .models import (
    Case,
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
        matching_reports = Report.objects.filter(case=OuterRef("pk")).filter(
            Q(description__icontains=query) | Q(involved_names__icontains=query)
        )
        condition = Exists(matching_reports) | Q(school__name__icontains=query)
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
                    Prefetch("messages", queryset=ReportMessage.objects.select_related("handler")),
                    "evidence",
                ),
            ),
            Prefetch("views", queryset=CaseView.objects.select_related("viewer")),
            Prefetch("timeline", queryset=TimelineEntry.objects.select_related("author", "corrects")),
        )
        .filter(pk=pk)
        .first()
    )


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


def cases_due_for_anonymisation(*, now: datetime.datetime | None = None) -> QuerySet[Case]:
    """Closed cases whose retention period has passed, not on legal hold, not yet anonymised."""
    from django.conf import settings

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.CASE_RETENTION_DAYS)
    return Case.objects.filter(
        state=CaseState.CLOSED, closed_at__lt=cutoff, is_on_legal_hold=False, anonymised_at__isnull=True
    ).order_by("closed_at", "pk")

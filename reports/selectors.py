"""Reads about reports and case files, already limited to what the asking user may see."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from django.conf import settings
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from accounts.models import School, User

from .constants import CaseState
from .models import (
    Case,
    CaseAccessWithdrawal,
    CaseSubject,
    CaseView,
    Evidence,
    Report,
    ReportMessage,
    TimelineEntry,
)

# People a case is about ---------------------------------------------------------------------------


def case_subjects_recorded() -> QuerySet[CaseSubject]:
    """The leaders and board members reports itself knows a case is about (named in a report, or
    declared on the case page): rows of ``case_id`` and ``subject_user_id``."""
    return CaseSubject.objects.annotate(subject_user_id=F("user_id")).values("case_id", "subject_user_id")


def _case_subject_sources() -> list[Callable[[], QuerySet]]:
    """Reports' own record of who a case is about, and settings.CASE_SUBJECT_SOURCES: those recorded
    by another app (sanctions' CasePerson), which reports does not import. Each source returns a
    queryset of rows with ``case_id`` and a non-null ``subject_user_id``."""
    return [case_subjects_recorded, *(import_string(dotted) for dotted in settings.CASE_SUBJECT_SOURCES)]


def case_subject_user_ids(*, case_id: int) -> list[QuerySet]:
    """Subqueries of the ids of the people ``case_id`` is about (one per source), for exclude()."""
    return [source().filter(case_id=case_id).values("subject_user_id") for source in _case_subject_sources()]


def cases_visible_to(*, user: User) -> QuerySet[Case]:
    """The board sees every case; a leader the cases of own schools, except those about leadership.

    Nobody sees a case about themselves, a leader of its school or a board member included (the
    leader-is-subject rule; settings.CASE_SUBJECT_SOURCES says who a case is about).
    """
    if not user.is_authenticated:
        return Case.objects.none()
    if user.is_board_member:
        cases = Case.objects.all()
    else:
        school_ids = user.school_ids_for(Role.SCHOOL_LEADER)
        if not school_ids:
            return Case.objects.none()
        # A board member may withdraw a leader's access to one case (conflict of interest).
        withdrawn = CaseAccessWithdrawal.objects.filter(case=OuterRef("pk"), user=user)
        cases = Case.objects.filter(Q(school_id__in=school_ids) & Q(is_about_leadership=False)).exclude(
            Exists(withdrawn)
        )
    for source in _case_subject_sources():
        cases = cases.exclude(Exists(source().filter(case_id=OuterRef("pk"), subject_user_id=user.pk)))
    return cases


def case_for(*, user: User, pk: int) -> Case:
    """The case ``pk`` if ``user`` may see it; Http404 otherwise (never 403: existence is not revealed).

    Public: sanctions calls it before showing or changing anything of a case.
    """
    case = cases_visible_to(user=user).select_related("school", "handler").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def may_handle_cases(*, user: User) -> bool:
    return user.is_authenticated and (user.is_board_member or user.is_school_leader)


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


def case_handler_candidates(*, case: Case) -> QuerySet[User]:
    """Who may handle ``case``: the board, and the school's leaders unless it is about leadership
    or their access was withdrawn; never someone the case is about."""
    board = Q(role_assignments__role=Role.BOARD)
    leaders = Q(role_assignments__role=Role.SCHOOL_LEADER, role_assignments__school_id=case.school_id)
    condition = board if case.is_about_leadership else board | leaders
    withdrawn = CaseAccessWithdrawal.objects.filter(case=case).values("user_id")
    candidates = User.objects.filter(condition, is_active=True).exclude(Q(pk__in=withdrawn) & ~board)
    for subjects in case_subject_user_ids(case_id=case.pk):
        candidates = candidates.exclude(pk__in=subjects)  # nobody handles a case about themselves
    return candidates.distinct().order_by("first_name", "last_name", "email")


def case_leaders_with_access(*, case: Case) -> QuerySet[User]:
    """The school's leaders who can see ``case`` now (for the board's "withdraw access" form)."""
    if case.is_about_leadership:
        return User.objects.none()
    withdrawn = CaseAccessWithdrawal.objects.filter(case=case).values("user_id")
    leaders = (
        User.objects.filter(
            is_active=True, role_assignments__role=Role.SCHOOL_LEADER, role_assignments__school_id=case.school_id
        )
        .exclude(pk__in=withdrawn)
        .exclude(role_assignments__role=Role.BOARD)
    )
    for subjects in case_subject_user_ids(case_id=case.pk):
        leaders = leaders.exclude(pk__in=subjects)
    return leaders.distinct().order_by("first_name", "last_name", "email")


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

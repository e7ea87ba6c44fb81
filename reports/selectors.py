"""Reads about reports and case files, already limited to what the asking user may see."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.constants import Role
from accounts.models import User

from .models import Case, CaseAccessWithdrawal, CaseView, Evidence, Report, ReportMessage, TimelineEntry


def cases_visible_to(*, user: User) -> QuerySet[Case]:
    """The board sees every case; a leader the cases of own schools, except those about leadership."""
    if not user.is_authenticated:
        return Case.objects.none()
    if user.is_board_member:
        return Case.objects.all()
    school_ids = user.school_ids_for(Role.SCHOOL_LEADER)
    if not school_ids:
        return Case.objects.none()
    # A board member may withdraw a leader's access to one case (conflict of interest).
    withdrawn = CaseAccessWithdrawal.objects.filter(case=OuterRef("pk"), user=user)
    return Case.objects.filter(Q(school_id__in=school_ids) & Q(is_about_leadership=False)).exclude(Exists(withdrawn))


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


def case_list_for(*, user: User) -> QuerySet[Case]:
    """The /cases/ page: newest first, with school and the reports' categories in two queries."""
    return (
        cases_visible_to(user=user)
        .select_related("school")
        .prefetch_related(Prefetch("reports", queryset=Report.objects.only("pk", "case_id", "category", "platform")))
        .order_by("-created_at", "-pk")
    )


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
    return Evidence.objects.filter(pk=pk, report__case__in=cases_visible_to(user=user), report__case_id=case_pk).first()


def report_for_follow(*, pk: int) -> Report | None:
    """The report a reporter unlocked with the receipt code in this session."""
    return (
        Report.objects.select_related("case", "school")
        .prefetch_related(Prefetch("messages", queryset=ReportMessage.objects.prefetch_related("evidence")), "evidence")
        .filter(pk=pk)
        .first()
    )

"""Reads of the staff channel, already limited to what the asking person may see."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User

from .access import is_officer, may_handle_misstands, may_oversee_integrity, misstand_reports_visible_to  # noqa: F401
from .constants import SHOWN_TO_REPORTER
from .models import IntegrityOfficer, MisstandEntry, MisstandReport


def misstand_list_for(*, user: User) -> QuerySet[MisstandReport]:
    return misstand_reports_visible_to(user).order_by("-received_at", "-pk")


def misstand_for_follow(*, pk: int) -> MisstandReport | None:
    """The report a reporter follows (its id from the signed cookie set after the right code)."""
    return MisstandReport.objects.filter(pk=pk).first()


def misstand_file(*, report: MisstandReport) -> QuerySet[MisstandEntry]:
    """The whole file for its handlers, read log included."""
    return report.entries.select_related("by").order_by("at", "pk")


def misstand_thread_for_reporter(*, report: MisstandReport) -> QuerySet[MisstandEntry]:
    """What the reporter reads on the follow-up page: messages both ways, conversation records, steps."""
    return report.entries.filter(kind__in=SHOWN_TO_REPORTER).order_by("at", "pk")


def integrity_officers_active() -> QuerySet[IntegrityOfficer]:
    return IntegrityOfficer.objects.active().select_related("user")


def integrity_officers_all() -> QuerySet[IntegrityOfficer]:
    return IntegrityOfficer.objects.select_related("user", "designated_by")


def misstand_clocks() -> QuerySet[MisstandReport]:
    """The board's view of every report: numbers, states and dates, never content."""
    return MisstandReport.objects.only(
        "pk",
        "received_at",
        "state",
        "acknowledge_due_at",
        "feedback_due_at",
        "acknowledged_at",
        "feedback_given_at",
        "closed_at",
        "routed_to_board",
    ).order_by("-received_at", "-pk")

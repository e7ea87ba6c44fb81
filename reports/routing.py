"""Who is told about a report: the one routing rule of the portal (protocol A.9, DESIGN.md).

- The leadership of the school concerned.
- The board instead, when the report concerns that school's leadership (they are not told).
- The board as well, for radicalisation, threats and sexting, and for any report about staff.
- The board when the school has no leadership on record, so that no report goes unseen.
- Never a leader whose access to this case the board withdrew (conflict of interest).
- Never anyone the case is about (a leader or board member named in it: settings.CASE_SUBJECT_SOURCES).
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.constants import Role
from accounts.models import User

from .constants import BOARD_ALSO_CATEGORIES
from .models import CaseAccessWithdrawal, Report
from .selectors import case_subject_user_ids


def _leaders_of(school_id: int) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, role_assignments__role=Role.SCHOOL_LEADER, role_assignments__school_id=school_id
    )


def _board() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role_assignments__role=Role.BOARD)


def recipients_for(report: Report) -> list[User]:
    """The people to notify about ``report``, each once, in a stable order."""
    withdrawn = CaseAccessWithdrawal.objects.filter(case_id=report.case_id).values("user_id")
    leaders_of_school = _leaders_of(report.school_id).exclude(pk__in=withdrawn)
    board_members = _board()
    for subjects in case_subject_user_ids(case_id=report.case_id):
        leaders_of_school = leaders_of_school.exclude(pk__in=subjects)
        board_members = board_members.exclude(pk__in=subjects)
    leaders = [] if report.is_about_leadership else list(leaders_of_school.distinct())
    needs_board = (
        report.is_about_leadership or report.category in BOARD_ALSO_CATEGORIES or report.concerns_staff or not leaders
    )
    board = list(board_members.distinct()) if needs_board else []
    unique = {user.pk: user for user in [*leaders, *board]}
    return sorted(unique.values(), key=lambda user: user.pk)

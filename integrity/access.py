"""Who handles a misstand report, and who oversees the channel (Wet bescherming klokkenluiders).

The rules, each once:

- An **officer** is a person the board designated (IntegrityOfficer, active), never a school
  leader: the channel is apart from the schools' line and invisible to their leadership (Wbk art. 2
  lid 1 sub b: an independent officer).
- A report is handled by the active officers **it does not name**; a report naming every officer
  (or made while there is none) goes to the **board**, again without a board member it names.
- Nobody else sees a report: a school leader, a named officer, the (G)MR and the back office get 404.
- The **board** designates officers and watches the clocks (numbers and dates, no content).
"""

from __future__ import annotations

from http import HTTPStatus

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.models import User
from common.refusals import ActionRefused

from .models import IntegrityOfficer, MisstandReport


def may_be_officer(user: User) -> bool:
    """Who the board may designate: an active account that leads no school (independence)."""
    return user.is_active and not user.is_school_leader


def is_officer(user: User) -> bool:
    if not user.is_authenticated or not may_be_officer(user):
        return False
    return IntegrityOfficer.objects.active().filter(user=user).exists()


# The menu asks on every page: whether someone is an officer is kept in the cache for a minute (one
# query saved per page for everyone logged in). Pages and services ask ``is_officer`` itself, uncached:
# a designation just ended closes the reports at once, the menu follows within the minute.
MENU_CACHE_SECONDS = 60


def _menu_key(user_id: int) -> str:
    return f"integrity:officer:{user_id}"


def is_officer_for_menu(user: User) -> bool:
    """``is_officer`` for the main menu, from the cache (at most MENU_CACHE_SECONDS old)."""
    if not user.is_authenticated or not may_be_officer(user):
        return False
    answer = cache.get(_menu_key(user.pk))
    if answer is None:
        answer = is_officer(user)
        cache.set(_menu_key(user.pk), answer, MENU_CACHE_SECONDS)
    return answer


def forget_menu_answer(user_id: int) -> None:
    """Call when a designation starts or ends, so this process's menu follows at once."""
    cache.delete(_menu_key(user_id))


def shows_misstands_in_menu(user: User) -> bool:
    """The menu's "Misstanden": officers (from the cache) and the board."""
    return may_oversee_integrity(user) or is_officer_for_menu(user)


def may_oversee_integrity(user: User) -> bool:
    """The board designates officers and sees the clocks of every report (no content)."""
    return user.is_authenticated and user.is_board_member


def routes_to_board(*, named: list[User]) -> bool:
    """A report naming every active officer (or made when there is none) goes to the board."""
    named_ids = {person.pk for person in named}
    officers = IntegrityOfficer.objects.active().exclude(user_id__in=named_ids)
    return not any(may_be_officer(officer.user) for officer in officers.select_related("user"))


def misstand_reports_visible_to(user: User) -> QuerySet[MisstandReport]:
    """The reports this person handles: as an officer those with an officer, as board member the
    board's; never one that names them."""
    reports = MisstandReport.objects.none()
    if not user.is_authenticated:
        return reports
    if is_officer(user):
        reports = reports | MisstandReport.objects.filter(routed_to_board=False)
    if user.is_board_member:
        reports = reports | MisstandReport.objects.filter(routed_to_board=True)
    return reports.exclude(named_people=user).distinct()


def may_handle_misstands(user: User) -> bool:
    """Whether the list of reports is this person's page at all (officers and the board)."""
    return is_officer(user) or may_oversee_integrity(user)


def check_handles(user: User, report: MisstandReport) -> None:
    """404 for anyone who may not handle this report: whether it exists is not told."""
    if not misstand_reports_visible_to(user).filter(pk=report.pk).exists():
        raise ActionRefused(_("Deze melding bestaat niet."), status=HTTPStatus.NOT_FOUND)


def handlers_of(report: MisstandReport) -> list[User]:
    """Who is told of a new report and of the reporter's messages: its officers, or the board."""
    named = set(report.named_people.values_list("pk", flat=True))
    if report.routed_to_board:
        people = User.objects.filter(is_active=True, role_assignments__role=Role.BOARD).distinct()
    else:
        people = User.objects.filter(pk__in=IntegrityOfficer.objects.active().values("user_id"))
    return [
        person for person in people if person.pk not in named and (report.routed_to_board or may_be_officer(person))
    ]


def board_members() -> list[User]:
    return list(User.objects.filter(is_active=True, role_assignments__role=Role.BOARD).distinct())

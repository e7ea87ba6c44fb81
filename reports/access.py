"""Who may see, handle and be told of a case: every rule of it, in this one file.

1. **Whom a case is about.** Nobody sees or is told of a case about themselves, a leader of its
   school or a board member included (the leader-is-subject rule). Two records say whom a case is
   about; each has its own origin and its own further consequence (docs/architecture.md, "Whom a
   case is about"):

   - ``CaseSubject``: a leader of the school or a board member — a possible handler — named in a
     report or a reporter's message (``reports.names.leadership_named_in``) or who declared "deze
     melding gaat over mij". The case is then about the leadership: it is the board's
     (``Case.is_about_leadership``).
   - ``CasePerson``: a staff member, pupil or parent a handler recorded, by hand or as the subject
     of a measure or a meldcode (sanctions). The case shows in their person file.

   Either way that person, when they have a login, neither sees the case (``case_is_about``) nor
   is told of it (``users_case_is_about``). Whoever records a CasePerson checks who may be chosen:
   sanctions offers a school leader the school's staff (never its leadership), pupils and parents,
   so only the board can take a leader's access to a case that way.
2. **Who sees a case** (``cases_visible_to``): the board every case; a school leader the cases of
   own schools, except those about the school's leadership and those whose access the board
   withdrew (``CaseAccessWithdrawal``, a conflict of interest). Whoever sees a case may handle it
   (``may_handle_case``). Pages find a case through ``selectors.case_for``: 404, never 403.
3. **Who may be its handler** (``case_handler_candidates``): the board, and the school's leaders
   unless the case is about the leadership or their access was withdrawn; never whom it is about.
4. **Who is told** of a report (``recipients_for``): the school's leadership; the board instead
   when the case is about that leadership; the board as well for radicalisation, threats, sexting
   and reports about staff; the board when the school has no leader on record. Deadline reminders
   and alerts go to the handler, else to whom a report would go (``deadline_recipients``).
5. **What may happen to its state**: one table in ``reports/lifecycle.py`` (who may move a case
   from which state to which), checked by ``services.case_transition``, the only code that changes
   a case's state. A case closes only when every close check another app registered agrees
   (``reports/extensions.py``); sanctions registers its own.
6. **What only the board does** (``may_oversee_cases``): it withdraws a leader's access to one case
   (a conflict of interest) and gives it back, puts a case on legal hold, and reads the statistics
   of every school. A board member's own access cannot be withdrawn per case.

Services raise ``common.refusals.ActionRefused`` with a Dutch sentence when a rule here says no;
views and templates ask the same functions (a page the reader may not use answers 404).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.access import leads_schools
from accounts.constants import Role
from accounts.models import User

from .constants import BOARD_ALSO_CATEGORIES
from .models import Case, CaseAccessWithdrawal, CasePerson, CaseSubject, Report

# 1. Whom a case is about ----------------------------------------------------------------------------


def _case_people_who_are(user: User) -> QuerySet[CasePerson]:
    """The CasePerson rows of ``user``: as a staff member, a parent, or a pupil with a login."""
    return CasePerson.objects.filter(Q(staff_member=user) | Q(parent=user) | Q(pupil__user=user))


def case_is_about(user: User) -> Q:
    """A filter of cases: those about ``user`` (a CaseSubject or a CasePerson of theirs)."""
    return Q(Exists(CaseSubject.objects.filter(case=OuterRef("pk"), user=user))) | Q(
        Exists(_case_people_who_are(user).filter(case=OuterRef("pk")))
    )


def users_case_is_about(*, case_id: int) -> QuerySet[User]:
    """The ids of the people with a login the case is about, for ``exclude(pk__in=...)``."""
    people = CasePerson.objects.filter(case_id=case_id)
    return User.objects.filter(
        Q(pk__in=CaseSubject.objects.filter(case_id=case_id).values("user_id"))
        | Q(pk__in=people.filter(staff_member__isnull=False).values("staff_member_id"))
        | Q(pk__in=people.filter(parent__isnull=False).values("parent_id"))
        | Q(pk__in=people.filter(pupil__user__isnull=False).values("pupil__user_id"))
    ).values("pk")


# 2. Who sees a case ---------------------------------------------------------------------------------


def may_handle_cases(*, user: User) -> bool:
    """Whether ``user`` handles cases at all: a school's leadership does, a school leader or a board
    member (accounts.access.leads_schools); which cases is ``cases_visible_to``."""
    return leads_schools(user)


def cases_visible_to(*, user: User) -> QuerySet[Case]:
    """The board sees every case; a leader the cases of own schools, except those about leadership
    and those whose access the board withdrew. Nobody sees a case about themselves."""
    if not user.is_authenticated:
        return Case.objects.none()
    if user.is_board_member:
        cases = Case.objects.all()
    else:
        school_ids = user.school_ids_for(Role.SCHOOL_LEADER)
        if not school_ids:
            return Case.objects.none()
        withdrawn = CaseAccessWithdrawal.objects.filter(case=OuterRef("pk"), user=user)
        cases = Case.objects.filter(school_id__in=school_ids, is_about_leadership=False).exclude(Exists(withdrawn))
    return cases.exclude(case_is_about(user))


def may_handle_case(*, user: User, case: Case) -> bool:
    """Whoever sees a case may handle it: write in it, move it, be its handler. Reads the database,
    so a change to whom the case is about must be saved before asking."""
    return cases_visible_to(user=user).filter(pk=case.pk).exists()


# 3. Who may be its handler --------------------------------------------------------------------------


def _leaders_of(school_id: int) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, role_assignments__role=Role.SCHOOL_LEADER, role_assignments__school_id=school_id
    )


def _board() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role_assignments__role=Role.BOARD)


def case_handler_candidates(*, case: Case) -> QuerySet[User]:
    """Who may handle ``case``: the board, and the school's leaders unless it is about leadership
    or their access was withdrawn; never someone the case is about."""
    board = Q(role_assignments__role=Role.BOARD)
    leaders = Q(role_assignments__role=Role.SCHOOL_LEADER, role_assignments__school_id=case.school_id)
    condition = board if case.is_about_leadership else board | leaders
    withdrawn = CaseAccessWithdrawal.objects.filter(case=case).values("user_id")
    return (
        User.objects.filter(condition, is_active=True)
        .exclude(Q(pk__in=withdrawn) & ~board)
        .exclude(pk__in=users_case_is_about(case_id=case.pk))
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


def case_leaders_with_access(*, case: Case) -> QuerySet[User]:
    """The school's leaders who can see ``case`` now (for the board's "withdraw access" form)."""
    if case.is_about_leadership:
        return User.objects.none()
    withdrawn = CaseAccessWithdrawal.objects.filter(case=case).values("user_id")
    return (
        _leaders_of(case.school_id)
        .exclude(pk__in=withdrawn)
        .exclude(role_assignments__role=Role.BOARD)
        .exclude(pk__in=users_case_is_about(case_id=case.pk))
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


# 4. Who is told -------------------------------------------------------------------------------------


def board_for(case: Case) -> list[User]:
    """The board members who may handle ``case``: all of them but those it is about."""
    return list(_board().exclude(pk__in=users_case_is_about(case_id=case.pk)).distinct().order_by("pk"))


def recipients_for(report: Report) -> list[User]:
    """The people to notify about ``report`` (protocol A.9), each once, in a stable order."""
    withdrawn = CaseAccessWithdrawal.objects.filter(case_id=report.case_id).values("user_id")
    leaders_of_school = _leaders_of(report.school_id).exclude(pk__in=withdrawn)
    leaders_of_school = leaders_of_school.exclude(pk__in=users_case_is_about(case_id=report.case_id))
    # The case, not only the reporter's tick: a leader named in the text, or who said the case is
    # about them, has made the whole case the board's.
    about_leadership = report.is_about_leadership or report.case.is_about_leadership
    leaders = [] if about_leadership else list(leaders_of_school.distinct())
    needs_board = about_leadership or report.category in BOARD_ALSO_CATEGORIES or report.concerns_staff or not leaders
    board = board_for(report.case) if needs_board else []
    unique = {user.pk: user for user in [*leaders, *board]}
    return sorted(unique.values(), key=lambda user: user.pk)


def deadline_recipients(case: Case, *, with_board: bool) -> list[User]:
    """Who hears of a deadline (EU whistle-blower directive art. 9): the handler while they may
    still handle the case, else whom its first report went to; for an alert the board as well."""
    people: list[User] = []
    if case.handler_id and case.handler.is_active and may_handle_case(user=case.handler, case=case):
        people.append(case.handler)
    else:
        first_report = case.reports.order_by("submitted_at", "pk").first()
        if first_report is not None:
            people += [user for user in recipients_for(first_report) if may_handle_case(user=user, case=case)]
    if with_board:
        people += board_for(case)
    unique = {user.pk: user for user in people}
    return sorted(unique.values(), key=lambda user: user.pk)


# 6. What only the board does ------------------------------------------------------------------------


def may_oversee_cases(*, user: User) -> bool:
    """The board oversees the case files of every school, as their competent authority ("bevoegd
    gezag", WPO art. 1): it withdraws a leader's access to one case and gives it back, sets and lifts
    a legal hold (a case then keeps its content past retention, AVG art. 17(3)(e)) and reads the
    statistics. Nobody else does, and nobody withdraws a board member's access to one case."""
    return user.is_authenticated and user.is_board_member

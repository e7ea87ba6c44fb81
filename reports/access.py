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
2. **Who sees a case** (``cases_visible_to``): the reporter chooses whom a report goes to
   (``Recipient``: the school, the aanspreekpunt pesten, a vertrouwenspersoon, the board). A case
   sent to a vertrouwenspersoon is theirs alone (``Case.is_with_confidant``), the board and the school
   leader get 404, until the vertrouwenspersoon hands it on with a reason (``case_may_be_handed_on_by``).
   Otherwise the board sees every case; a school leader the cases of own schools, except those about
   the school's leadership, those sent to the board and those whose access the board withdrew
   (``CaseAccessWithdrawal``, a conflict of interest); the aanspreekpunt pesten and the coördinator
   anti-pestbeleid of a school (the role register, ``accounts.SafetyRoleHolder``) its bullying cases
   and those sent to the aanspreekpunt. An expired holder of a register role sees nothing through it.
   Whoever sees a case may handle it (``may_handle_case``). Pages find a case through
   ``selectors.case_for``: 404, never 403.
3. **Who may be its handler** (``case_handler_candidates``): whoever of the board, the school's
   leaders and the school's register holders sees it; never whom it is about.
4. **Who is told** of a report (``recipients_for``): with a vertrouwenspersoon, only them; sent to
   the board, the board; else the school's leadership; the board instead when the case is about that
   leadership; the board as well for radicalisation, threats, sexting and reports about staff; the
   board when the school has no leader on record; for bullying, or a report to the aanspreekpunt, the
   aanspreekpunt pesten with the coördinator in copy as well (WPO art. 4c). Deadline reminders and
   alerts go to the handler, else to whom a report would go (``deadline_recipients``).
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
from django.utils import timezone

from accounts.access import leads_schools
from accounts.constants import ANTI_BULLYING_ROLES, Role, SafetyRole
from accounts.models import SafetyRoleHolder, User, safety_role_current_on

from .constants import BOARD_ALSO_CATEGORIES, BOARD_ONLY_CATEGORIES, CONFIDANT_RECIPIENTS, Category, Recipient
from .models import Case, CaseAccessWithdrawal, CasePerson, CaseSubject, Report

# The role register's roles that take reports, and the recipient each answers to.
CONFIDANT_ROLE_OF = {
    Recipient.INTERNAL_CONFIDANT: SafetyRole.INTERNAL_CONFIDANT,
    Recipient.EXTERNAL_CONFIDANT: SafetyRole.EXTERNAL_CONFIDANT,
}
CASE_ROLES = (*ANTI_BULLYING_ROLES, *CONFIDANT_ROLE_OF.values())

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


def _current_holders(*, school_id: int | None = None, roles) -> QuerySet[SafetyRoleHolder]:
    """Rows of the role register holding one of ``roles`` today, with an active login."""
    holders = SafetyRoleHolder.objects.filter(
        safety_role_current_on(timezone.localdate()), role__in=roles, user__isnull=False, user__is_active=True
    )
    return holders if school_id is None else holders.filter(school_id=school_id)


def safety_roles_of(user: User) -> list[tuple[str, int]]:
    """(role, school id) of the register's roles that take reports which ``user`` holds today."""
    if not user.is_authenticated:
        return []
    return list(_current_holders(roles=CASE_ROLES).filter(user=user).values_list("role", "school_id"))


def may_handle_cases(*, user: User) -> bool:
    """Whether ``user`` handles cases at all: a school's leadership does (a school leader or a board
    member, accounts.access.leads_schools), and so does a current aanspreekpunt pesten, coördinator
    anti-pestbeleid or vertrouwenspersoon of a school; which cases is ``cases_visible_to``.

    The register is asked only for staff (the admin's roles are already loaded): a holder with a login
    is a staff member of the school, so pages of parents, pupils and the back office keep their queries."""
    return leads_schools(user) or (user.is_authenticated and user.is_staff_member and bool(safety_roles_of(user)))


def _is_bullying() -> Q:
    return Q(Exists(Report.objects.filter(case=OuterRef("pk"), category=Category.BULLYING)))


def cases_visible_to(*, user: User) -> QuerySet[Case]:
    """Who sees which case (the rules 2 and 4 of this file's docstring name):

    - a case with a vertrouwenspersoon (``is_with_confidant``): that school's current holders of the
      vertrouwenspersoon role it was sent to, nobody else, the board included;
    - the board every other case;
    - a school leader the other cases of own schools, except those about the leadership, those sent
      to the board and those whose access the board withdrew;
    - the aanspreekpunt pesten and the coördinator (WPO art. 4c) the bullying cases of their school
      and those sent to the aanspreekpunt, except those about the leadership or withdrawn from them;
    - a vertrouwenspersoon the cases sent to their role at their school, also once handed on.

    Nobody sees a case about themselves."""
    if not user.is_authenticated:
        return Case.objects.none()
    withdrawn = Exists(CaseAccessWithdrawal.objects.filter(case=OuterRef("pk"), user=user))
    shared = Q(is_with_confidant=False)
    seen = Q(pk__in=[])
    if user.is_board_member:
        seen |= shared
    leader_school_ids = user.school_ids_for(Role.SCHOOL_LEADER)
    if leader_school_ids:
        seen |= (
            shared
            & Q(school_id__in=leader_school_ids, is_about_leadership=False)
            & ~Q(recipient=Recipient.BOARD)
            & ~withdrawn
        )

    # The role register's part is asked in the same query (a subquery per role), not looked up first.
    def holds(roles) -> Exists:
        return Exists(_current_holders(roles=roles).filter(user=user, school_id=OuterRef("school_id")))

    seen |= (
        shared
        & Q(is_about_leadership=False)
        & (Q(recipient=Recipient.ANTI_BULLYING) | _is_bullying())
        & holds(ANTI_BULLYING_ROLES)
        & ~withdrawn
    )
    for recipient, role in CONFIDANT_ROLE_OF.items():
        seen |= Q(recipient=recipient) & holds([role])
    return Case.objects.filter(seen).exclude(case_is_about(user))


def may_handle_case(*, user: User, case: Case) -> bool:
    """Whoever sees a case may handle it: write in it, move it, be its handler. Reads the database,
    so a change to whom the case is about must be saved before asking."""
    return cases_visible_to(user=user).filter(pk=case.pk).exists()


def may_hand_on_case(*, user: User, case: Case) -> bool:
    """A case with a vertrouwenspersoon goes further only when a current holder of that role at the
    school hands it on (``services.case_hand_on``, with a recorded reason)."""
    if not case.is_with_confidant or case.recipient not in CONFIDANT_ROLE_OF:
        return False
    holders = register_holders_for(school_id=case.school_id, recipient=case.recipient)
    return holders.filter(pk=user.pk).exists() and may_handle_case(user=user, case=case)


def case_needs_reporter_consent(case: Case) -> bool:
    """A named reporter decides whether what they told a vertrouwenspersoon goes further; an anonymous
    report can be handed on with a reason alone (there is nobody to ask)."""
    return case.reports.filter(is_anonymous=False).exists()


# 3. Who may be its handler --------------------------------------------------------------------------


def _leaders_of(school_id: int) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, role_assignments__role=Role.SCHOOL_LEADER, role_assignments__school_id=school_id
    )


def _board() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role_assignments__role=Role.BOARD)


def case_handler_candidates(*, case: Case) -> QuerySet[User]:
    """Who may handle ``case``: whoever sees it (``cases_visible_to``) of the people who could — the
    board, the school's leaders and the school's current holders of the register's case roles."""
    pool = User.objects.filter(
        Q(role_assignments__role=Role.BOARD)
        | Q(role_assignments__role=Role.SCHOOL_LEADER, role_assignments__school_id=case.school_id)
        | Q(pk__in=_current_holders(school_id=case.school_id, roles=CASE_ROLES).values("user_id")),
        is_active=True,
    ).distinct()
    able = [person.pk for person in pool if cases_visible_to(user=person).filter(pk=case.pk).exists()]
    return User.objects.filter(pk__in=able).order_by("first_name", "last_name", "email")


def case_leaders_with_access(*, case: Case) -> QuerySet[User]:
    """The school's leaders who can see ``case`` now (for the board's "withdraw access" form)."""
    if case.is_about_leadership or case.is_with_confidant or case.recipient == Recipient.BOARD:
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


def case_recipient_for(*, category: str, chosen: str) -> str:
    """Where a new report's case goes: where the reporter chose, except that a report under WPO
    art. 4a (sexual behaviour of staff towards a pupil) goes to the board whatever was chosen: no
    vertrouwenspersoon keeps it to themselves and no school leader, who may be the accused, sees it."""
    return Recipient.BOARD if category in BOARD_ONLY_CATEGORIES else chosen


def case_falls_under_wpo_4a(case: Case) -> bool:
    """Whether a report of ``case`` is in a WPO art. 4a category (its close checks are sanctions')."""
    return case.reports.filter(category__in=BOARD_ONLY_CATEGORIES).exists()


def register_holders_for(*, school_id: int, recipient: str) -> QuerySet[User]:
    """The people of the role register a report to ``recipient`` reaches at the school today: the
    vertrouwenspersoon chosen, or the aanspreekpunt pesten with the coördinator in copy. Empty for the
    school and the board, who are not in the register."""
    if recipient in CONFIDANT_RECIPIENTS:
        roles = [CONFIDANT_ROLE_OF[recipient]]
    elif recipient == Recipient.ANTI_BULLYING:
        roles = list(ANTI_BULLYING_ROLES)
    else:
        return User.objects.none()
    return User.objects.filter(pk__in=_current_holders(school_id=school_id, roles=roles).values("user_id"))


def recipient_is_reachable(*, school_id: int, recipient: str) -> bool:
    """Whether a report to ``recipient`` reaches somebody: the school and the board always; a role of
    the register only while someone with a login holds it (an expired holder is gone from routing)."""
    if recipient in CONFIDANT_RECIPIENTS:
        return register_holders_for(school_id=school_id, recipient=recipient).exists()
    if recipient == Recipient.ANTI_BULLYING:
        holders = _current_holders(school_id=school_id, roles=[SafetyRole.ANTI_BULLYING_CONTACT])
        return holders.exists()
    return True


def recipients_for(report: Report) -> list[User]:
    """The people to notify about ``report`` (protocol A.9), each once, in a stable order.

    - With a vertrouwenspersoon (``Case.is_with_confidant``): that vertrouwenspersoon, nobody else.
    - Sent to the board: the board.
    - Otherwise the school's leadership; the board instead when the case is about that leadership; the
      board as well for radicalisation, threats, sexting and reports about staff; the board when the
      school has no leader on record. Bullying, or a report sent to the aanspreekpunt pesten, reaches
      the aanspreekpunt and the coördinator anti-pestbeleid too (WPO art. 4c); a case a
      vertrouwenspersoon handed on keeps them informed.
    """
    case = report.case
    about = users_case_is_about(case_id=report.case_id)
    if case.is_with_confidant:
        confidants = register_holders_for(school_id=report.school_id, recipient=case.recipient).exclude(pk__in=about)
        return sorted(confidants, key=lambda user: user.pk)
    if case.recipient == Recipient.BOARD:
        return board_for(case)
    withdrawn = CaseAccessWithdrawal.objects.filter(case_id=report.case_id).values("user_id")
    leaders_of_school = _leaders_of(report.school_id).exclude(pk__in=withdrawn).exclude(pk__in=about)
    # The case, not only the reporter's tick: a leader named in the text, or who said the case is
    # about them, has made the whole case the board's.
    about_leadership = report.is_about_leadership or case.is_about_leadership
    leaders = [] if about_leadership else list(leaders_of_school.distinct())
    needs_board = about_leadership or report.category in BOARD_ALSO_CATEGORIES or report.concerns_staff or not leaders
    board = board_for(case) if needs_board else []
    register: list[User] = []
    if not about_leadership:
        if report.category == Category.BULLYING or case.recipient == Recipient.ANTI_BULLYING:
            register += register_holders_for(school_id=report.school_id, recipient=Recipient.ANTI_BULLYING)
        if case.recipient in CONFIDANT_RECIPIENTS:
            register += register_holders_for(school_id=report.school_id, recipient=case.recipient)
    excluded = {row["pk"] for row in about} | set(withdrawn.values_list("user_id", flat=True))
    register = [user for user in register if user.pk not in excluded]
    unique = {user.pk: user for user in [*leaders, *board, *register]}
    return sorted(unique.values(), key=lambda user: user.pk)


def holder_for_reporter(case: Case) -> str:
    """Who has the report, as the follow-up page tells the reporter: the role, never what happens."""
    from django.utils.translation import gettext as _

    if case.is_with_confidant:
        return _("%(role)s van de school; niemand anders leest uw melding.") % {"role": Recipient(case.recipient).label}
    if case.is_about_leadership or case.recipient == Recipient.BOARD:
        return _("Het bestuur (de schoolleiding ziet uw melding niet).")
    if case.recipient in CONFIDANT_RECIPIENTS:
        return _("De schoolleiding; de vertrouwenspersoon heeft uw melding doorgegeven en blijft betrokken.")
    if case.recipient == Recipient.ANTI_BULLYING or _is_bullying_case(case):
        return _("Het aanspreekpunt pesten en de schoolleiding.")
    return _("De schoolleiding.")


def _is_bullying_case(case: Case) -> bool:
    return case.reports.filter(category=Category.BULLYING).exists()


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

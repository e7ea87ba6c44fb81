"""Who may record, decide and read what in sanctions: every rule of it, once.

Whether someone sees and handles a case at all is reports' (reports/access.py); this file adds what
sanctions decides on top of it.

1. **Recording in a case** (``check_case_recordable``): the school's leadership or the board
   (``may_record_sanctions``) when they may handle the case, while it is open. A closed case is
   reopened first, so nothing is decided about a person out of sight. An aanspreekpunt pesten or a
   vertrouwenspersoon handles the cases sent to them (reports/access.py) but decides no measures
   and records no escalations: those are the competent authority's (Sancties 1-7).
2. **Whom a measure or a meldcode may concern** (``staff_for_case``, ``pupils_for_case``,
   ``parents_for_case``): people of the case's school, never oneself. A school leader never picks
   the school's leadership: a case about a leader is the board's (reports/access.py), so only the
   board can record one.
3. **Who decides a heavy measure** (``check_measure_decision``, ``may_decide_measure``,
   ``measure_approvers``): suspension, dismissal and expulsion are proposed by the handler and
   decided by a board member (Toelichting: "in overleg met de directeur-bestuurder"), never the
   proposer (two people), never someone the case is about. The board's list of measures waiting
   (``may_decide_measures``) is the board's alone.
4. **The meldcode's order** (``safe_home_next_step``, ``check_safe_home_step``): the five steps of
   the meldcode huiselijk geweld en kindermishandeling (Wet verplichte meldcode, 2013), one after
   the other; step 5 is the decision.
6. **The meldcode per pupil** (``may_signal_meldcode``, ``pupils_to_signal_about``,
   ``meldcodes_handled_by``, ``check_meldcode_recordable``, ``check_safe_home_decision``): any staff
   member signals about a pupil of their school (step 1) and sees that the signal was taken up, not
   the later steps. The steps are read and recorded by the school's current aandachtsfunctionaris
   meldcode (the role register), its leadership and the board; a meldcode started in a case also by
   whoever handles that case. A closed meldcode is reopened, with a reason, before a step is added.
   At steps 4 and 5 the afwegingskader: acute or structural unsafety (or doubt about it), or help
   that is not possible, not accepted or does not bring safety (or doubt), makes the melding at
   Veilig Thuis required: the decision refuses anything else.
5. **Who reads a person's file** (``staff_with_person_file_for``, ``pupils_with_person_file_for``,
   ``parents_with_person_file_for``): the board everyone's; a school leader those of the school's
   staff (not its leadership), pupils and parents; nobody their own.
6. **The yearly overview and evaluatie** (``schools_with_overview_for``, ``may_see_board_overview``,
   ``overview_cases_for``): a school's overview is read by its leadership (the board included) and
   counts the cases that reader may see (``reports.access.cases_visible_to``), so a count never
   reveals a case about the leadership to that leadership; the overview of all schools follows the
   board statistics' rule (``reports.access.may_oversee_cases``): the board's alone, the (G)MR reads
   it in the board's annual report. Whoever reads a school's overview records its evaluatie.
7. **Ernstig incident** (``may_flag_serious_incident``, ``may_consider_serious_incidents``): only
   while settings.SERIOUS_INCIDENT_TASKS is on. Whoever handles an open case flags it; the board
   considers telling the Inspectie, and never someone the case is about.

Services raise ``common.refusals.ActionRefused`` with a Dutch sentence when a rule says no; views
and templates ask the same functions (a page the reader may not use answers 404).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import leads_schools, schools_led_by
from accounts.constants import Role, SafetyRole
from accounts.models import (
    Guardianship,
    Pupil,
    RoleAssignment,
    SafetyRoleHolder,
    School,
    User,
    safety_role_current_on,
)
from common.refusals import ActionRefused
from reports.access import cases_visible_to, may_oversee_cases, users_case_is_about
from reports.constants import CaseState
from reports.models import Case

from .constants import Assessment, EscalationKind, MeasureStatus, SafeHomeStep
from .models import Escalation, Measure

# 1. Recording in a case -----------------------------------------------------------------------------


def may_record_sanctions(*, user: User) -> bool:
    """Measures and escalations are the school leadership's and the board's (Sancties 1-7)."""
    return leads_schools(user)


def check_case_recordable(*, user: User, case: Case) -> None:
    """ActionRefused unless ``user`` may handle ``case`` and it is open (Sancties 1-7 are recorded in
    an open case; reopen a closed one first, with a reason, reports/lifecycle.py)."""
    if not may_record_sanctions(user=user):
        raise ActionRefused(_("U behandelt dit dossier niet."))
    current = cases_visible_to(user=user).filter(pk=case.pk).only("state").first()
    if current is None:
        raise ActionRefused(_("U behandelt dit dossier niet."))
    if current.state == CaseState.CLOSED:
        raise ActionRefused(_("Dit dossier is gesloten. Heropen het eerst als er nog iets moet worden vastgelegd."))


# 2. Whom a measure or a meldcode may concern --------------------------------------------------------


def staff_for_case(*, user: User, case: Case) -> QuerySet[User]:
    """Staff of the case's school; a leader never picks themselves or the school's leadership."""
    people = User.objects.filter(
        role_assignments__school=case.school, role_assignments__role__in=[Role.STAFF, Role.SCHOOL_LEADER]
    )
    if not user.is_board_member:
        leaders = RoleAssignment.objects.filter(school=case.school, role=Role.SCHOOL_LEADER).values("user_id")
        people = people.exclude(pk__in=leaders)
    return people.exclude(pk=user.pk).distinct().order_by("last_name", "first_name", "email")


def pupils_for_case(*, user: User, case: Case) -> QuerySet[Pupil]:
    """Pupils of the case's school."""
    return Pupil.objects.filter(school=case.school).select_related("group").order_by("last_name", "first_name")


def parents_for_case(*, user: User, case: Case) -> QuerySet[User]:
    """Parents and guardians of the case's school's pupils, never oneself."""
    return (
        User.objects.filter(guardianships__pupil__school=case.school)
        .exclude(pk=user.pk)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


# 3. Who decides a heavy measure ---------------------------------------------------------------------


def may_decide_measures(*, user: User) -> bool:
    """Board members decide on heavy measures and see the list of those waiting (Toelichting)."""
    return user.is_authenticated and user.is_board_member


def measure_approvers(*, measure: Measure) -> QuerySet[User]:
    """Board members who may decide on ``measure``: not its proposer (two people decide), nor anyone
    its case is about, the measure's own subject included (measure_record adds them as a CasePerson)."""
    return (
        User.objects.filter(role_assignments__role=Role.BOARD, is_active=True)
        .exclude(pk=measure.proposed_by_id)
        .exclude(pk__in=users_case_is_about(case_id=measure.case_id))
        .distinct()
    )


def check_measure_decision(*, user: User, measure: Measure) -> None:
    """ActionRefused, with the reason, unless ``user`` may approve or refuse ``measure`` now: a board
    member, the measure still proposed, not its proposer, not someone its case is about."""
    if not may_decide_measures(user=user):
        raise ActionRefused(_("Alleen een lid van het bestuur besluit over deze maatregel."))
    if measure.status != MeasureStatus.PROPOSED:
        raise ActionRefused(_("Over deze maatregel is al besloten."))
    if measure.proposed_by_id == user.pk:
        raise ActionRefused(
            _("U hebt deze maatregel zelf voorgesteld. Een ander lid van het bestuur moet erover besluiten.")
        )
    if not measure_approvers(measure=measure).filter(pk=user.pk).exists():
        raise ActionRefused(_("U kunt niet besluiten over een maatregel die over uzelf gaat."))


def may_decide_measure(*, user: User, measure: Measure) -> bool:
    """Whether the measure page offers ``user`` the approve and refuse buttons (check_measure_decision)."""
    try:
        check_measure_decision(user=user, measure=measure)
    except ActionRefused:
        return False
    return True


# 4. The meldcode's order ----------------------------------------------------------------------------


def safe_home_next_step(escalation: Escalation) -> SafeHomeStep | None:
    """The step of the meldcode to record next: the first not yet recorded; None once all five are."""
    done = {record.step for record in escalation.steps.all()}
    return next((step for step in SafeHomeStep if step.value not in done), None)


def check_safe_home_step(*, escalation: Escalation, step: int) -> None:
    """ActionRefused unless ``step`` is the meldcode's next step of this referral."""
    if escalation.kind != EscalationKind.SAFE_HOME_REFERRAL:
        raise ActionRefused(_("Dit is geen meldcode-traject."))
    expected = safe_home_next_step(escalation)
    if expected is None:
        raise ActionRefused(_("Alle stappen van de meldcode zijn al vastgelegd."))
    if step != expected.value:
        raise ActionRefused(_("Leg eerst stap %(step)s vast.") % {"step": expected.value})


# 6. The meldcode per pupil -------------------------------------------------------------------------


def may_signal_meldcode(*, user: User) -> bool:
    """Every staff member of a school signals under the meldcode (step 1)."""
    return user.is_authenticated and bool(user.school_ids_for(Role.STAFF))


def pupils_to_signal_about(*, user: User) -> QuerySet[Pupil]:
    """Pupils of the schools where ``user`` works."""
    if not may_signal_meldcode(user=user):
        return Pupil.objects.none()
    return (
        Pupil.objects.filter(school_id__in=user.school_ids_for(Role.STAFF))
        .select_related("group")
        .order_by("last_name", "first_name")
    )


def meldcode_officer_school_ids(*, user: User) -> set[int]:
    """Schools whose aandachtsfunctionaris meldcode ``user`` is today (the role register)."""
    if not user.is_authenticated:
        return set()
    holders = SafetyRoleHolder.objects.filter(user=user, role=SafetyRole.MELDCODE_OFFICER).filter(
        safety_role_current_on(timezone.localdate())
    )
    return set(holders.values_list("school_id", flat=True))


def meldcodes_handled_by(*, user: User) -> QuerySet[Escalation]:
    """The meldcodes whose steps ``user`` reads and records: a signal's (no case) the aandachtsfunctionaris,
    the leadership of the pupil's school and the board; one started in a case also that case's handlers."""
    meldcodes = Escalation.objects.filter(kind=EscalationKind.SAFE_HOME_REFERRAL)
    if not user.is_authenticated:
        return meldcodes.none()
    school_ids = meldcode_officer_school_ids(user=user) | user.school_ids_for(Role.SCHOOL_LEADER)
    allowed = Q(case__isnull=True, pupil__school_id__in=school_ids)
    if user.is_board_member:
        allowed |= Q(case__isnull=True)
    if may_record_sanctions(user=user):
        allowed |= Q(case__in=cases_visible_to(user=user).values("pk"))
    return meldcodes.filter(allowed)


def working_days_after(day: datetime.date, count: int) -> datetime.date:
    """The date ``count`` working days after ``day``: Saturdays and Sundays do not count."""
    while count > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def meldcode_is_closed(escalation: Escalation) -> bool:
    """The newest closing or reopening counts."""
    latest = escalation.status_changes.order_by("-recorded_at", "-pk").first()
    return latest is not None and latest.is_closed


def check_meldcode_recordable(*, user: User, escalation: Escalation) -> None:
    """ActionRefused unless ``user`` handles this meldcode and it is open (and so is its case, if any)."""
    if escalation.kind != EscalationKind.SAFE_HOME_REFERRAL:
        raise ActionRefused(_("Dit is geen meldcode-traject."))
    if not meldcodes_handled_by(user=user).filter(pk=escalation.pk).exists():
        raise ActionRefused(_("U behandelt deze meldcode niet."))
    if escalation.case_id is not None and not meldcode_officer_school_ids(user=user) & {escalation.pupil.school_id}:
        check_case_recordable(user=user, case=escalation.case)
    if meldcode_is_closed(escalation):
        raise ActionRefused(_("Deze meldcode is gesloten. Heropen hem eerst, met een reden."))


def safe_home_melding_required(*answers: tuple[str, str]) -> bool:
    """The afwegingskader: (unsafety, help_feasible) answers of steps 4 and 5. Acute or structural
    unsafety, or doubt about it, makes melden required; so does help that is not possible, not
    accepted or not enough to bring safety, or doubt about that."""
    return any(
        unsafety in (Assessment.YES, Assessment.DOUBT) or help_feasible in (Assessment.NO, Assessment.DOUBT)
        for unsafety, help_feasible in answers
    )


def check_safe_home_decision(*, required: bool, reported_to_safe_home: bool, help_offered: bool) -> None:
    """ActionRefused when the afwegingskader requires the melding and the decision is anything else."""
    if required and not reported_to_safe_home:
        raise ActionRefused(
            _(
                "Het afwegingskader wijst op acute of structurele onveiligheid (of twijfel daarover), of hulp "
                "is niet mogelijk of leidt niet tot veiligheid: melden bij Veilig Thuis is verplicht."
            )
        )
    if not (reported_to_safe_home or help_offered):
        raise ActionRefused(_("Kies het besluit: melden bij Veilig Thuis en/of hulp bieden."))


# 5. Who reads a person's file -------------------------------------------------------------------------


def may_read_person_files(*, user: User) -> bool:
    """Person files are the school leadership's and the board's (Sancties 2 and 5); an aanspreekpunt
    pesten or a vertrouwenspersoon handles the cases sent to them, not people's files."""
    return may_record_sanctions(user=user)


def staff_with_person_file_for(*, user: User) -> QuerySet[User]:
    """Staff whose person file ``user`` may read: the board all, leaders their school's staff but not its
    leadership; nobody their own."""
    if not may_read_person_files(user=user):
        return User.objects.none()
    people = User.objects.filter(role_assignments__role__in=[Role.STAFF, Role.SCHOOL_LEADER])
    if not user.is_board_member:
        school_ids = user.school_ids_for(Role.SCHOOL_LEADER)
        leaders = RoleAssignment.objects.filter(school_id__in=school_ids, role=Role.SCHOOL_LEADER).values("user_id")
        people = people.filter(role_assignments__school_id__in=school_ids).exclude(pk__in=leaders)
    return User.objects.filter(pk__in=people.values("pk")).exclude(pk=user.pk)


def pupils_with_person_file_for(*, user: User) -> QuerySet[Pupil]:
    """Pupils whose person file ``user`` may read: the board all, leaders their schools'; not their own."""
    if not may_read_person_files(user=user):
        return Pupil.objects.none()
    pupils = Pupil.objects.select_related("school", "group").exclude(user=user)
    if not user.is_board_member:
        pupils = pupils.filter(school_id__in=user.school_ids_for(Role.SCHOOL_LEADER))
    return pupils


def parents_with_person_file_for(*, user: User) -> QuerySet[User]:
    """Parents whose person file ``user`` may read: the board all, leaders those of their schools' pupils;
    not their own."""
    if not may_read_person_files(user=user):
        return User.objects.none()
    guardianships = Guardianship.objects.all()
    if not user.is_board_member:
        guardianships = guardianships.filter(pupil__school_id__in=user.school_ids_for(Role.SCHOOL_LEADER))
    return User.objects.filter(pk__in=guardianships.values("guardian_id")).exclude(pk=user.pk)


# 6. The yearly overview and evaluatie ------------------------------------------------------------------


def schools_with_overview_for(*, user: User) -> QuerySet[School]:
    """The schools whose yearly overview ``user`` reads and whose evaluatie they record: the
    schools they lead (the board: every school)."""
    return schools_led_by(user=user)


def may_see_board_overview(*, user: User) -> bool:
    """The overview of all schools is the board's, as its statistics are (reports/access.py, rule 6)."""
    return may_oversee_cases(user=user)


def overview_cases_for(*, user: User, school: School | None) -> QuerySet[Case]:
    """The cases an overview counts: those the reader may see, of ``school`` or (None) of every school."""
    cases = cases_visible_to(user=user).filter(merged_into__isnull=True)
    return cases if school is None else cases.filter(school=school)


# 7. Ernstig incident ------------------------------------------------------------------------------------


def serious_incidents_enabled() -> bool:
    """The flag and the board's task exist only while the setting is on (README: SERIOUS_INCIDENT_TASKS)."""
    return settings.SERIOUS_INCIDENT_TASKS


def may_flag_serious_incident(*, user: User, case: Case) -> bool:
    """Whoever handles an open case may flag it, while the setting is on."""
    if not serious_incidents_enabled():
        return False
    try:
        check_case_recordable(user=user, case=case)
    except ActionRefused:
        return False
    return True


def may_consider_serious_incidents(*, user: User) -> bool:
    """The board considers telling the Inspectie, while the setting is on."""
    return serious_incidents_enabled() and user.is_authenticated and user.is_board_member


def serious_incident_considerers(*, case: Case) -> QuerySet[User]:
    """The board members who get the task: every active one but those the case is about."""
    return (
        User.objects.filter(is_active=True, role_assignments__role=Role.BOARD)
        .exclude(pk__in=users_case_is_about(case_id=case.pk))
        .distinct()
        .order_by("pk")
    )

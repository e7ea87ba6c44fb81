"""Who may decide, see and run what in consent: every rule of it, once (protocol A.5; AVG art. 7 and 8).

1. **Who decides for whom** (``consent_basis_for``): a guardian for a pupil under 16, the pupil
   alone from the 16th birthday (AVG art. 8, UAVG art. 5), a staff member for themselves only.
   Age is taken on the day of the decision, never from a stored flag. The same rule gives the
   pupils a person decides for today (``pupils_decided_for_by``: what a campaign link offers) and
   who can have signed a paper form (``consent_deciders_for``). The /consent/ page shows, per
   person, whether the reader decides and, if not, the refusal's sentence.
2. **Whose consent page a person opens** (``pupils_decidable_by``): own children, and themselves as
   a pupil, at any age: a guardian still sees what a pupil of 16 decided.
3. **Who sees a group's consent** (``may_check_photos``, ``groups_for_staff``): staff members and
   the board use the photo check, for the groups one teaches, every group of the schools one leads,
   every group for the board; paper forms are entered for their pupils
   (``pupils_for_paper_entry``), and a decision is seen by whoever made, entered or may open it
   (``decision_visible_to``).
4. **Who runs a school's campaign** (``campaign_schools_for``, ``may_run_campaign``): the school's
   leaders and the board (accounts.access.schools_led_by). Not the back office: functional admins
   keep the records of pupils and staff, but the consent of every pupil and its export are none of
   their business (AVG art. 5(1)(c), data minimisation).
   A photo check takes pupils from more groups (a school trip, a whole-school photo): every group
   of the same school and school year where the user works (``groups_for_photo_check``); it shows
   only whether the people picked may be published, not the group's whole overview.
5. **Publications and takedowns** (``publication_schools_for``, ``takedown_tasks_visible_to``,
   ``may_confirm_takedown``): the school's leaders (and the board) see every recorded publication
   and takedown task of their schools; a publisher sees their own tasks. The publisher confirms a
   takedown, or a leader of the school when the publisher is away (the picture must go all the same).
6. **Who maintains the form's translations** (``may_maintain_form_texts``): the board and the
   functional admin; the text only, never anyone's answers.

Services raise ``common.refusals.ActionRefused`` with the Dutch sentence when a rule says no; views
and templates read the same functions.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import schools_led_by
from accounts.constants import AGE_OF_CONSENT, Role
from accounts.models import Group, Pupil, School, User
from common.refusals import ActionRefused

from .constants import Basis
from .models import ConsentDecision, TakedownTask

# 1. Who decides for whom ----------------------------------------------------------------------------


def sixteenth_birthday_cutoff(on: datetime.date | None = None) -> datetime.date:
    """Pupils born on or before this day are 16 or older on ``on`` (today): Pupil.decides_own_consent
    as a date, for queries over many pupils."""
    on = on or timezone.localdate()
    try:
        return on.replace(year=on.year - AGE_OF_CONSENT)
    except ValueError:  # 29 February
        return on.replace(year=on.year - AGE_OF_CONSENT, day=28)


def decides_own_consent_as_staff(user: User) -> bool:
    """A staff member (a school leader too) decides about their own photos, film and sound."""
    return user.is_authenticated and user.is_staff_member


def consent_basis_for(
    *, decided_by: User, pupil: Pupil | None = None, staff_member: User | None = None, on: datetime.date
) -> str:
    """On what ground (``Basis``) ``decided_by`` decides for this pupil or staff member on ``on``.

    Raises ActionRefused with the reason when they may not: under 16 the guardians decide, from 16
    the pupil alone (AVG art. 8, UAVG art. 5); a staff member decides only for themselves.
    """
    if staff_member is not None:
        if decided_by.pk != staff_member.pk or not decides_own_consent_as_staff(staff_member):
            raise ActionRefused(_("Een medewerker beslist alleen over de eigen foto's, film en geluid."))
        return Basis.STAFF_SELF
    assert pupil is not None
    if pupil.decides_own_consent(on):
        if pupil.user_id is not None and pupil.user_id == decided_by.pk:
            return Basis.PUPIL_SELF
        raise ActionRefused(_("%(name)s is 16 jaar of ouder en beslist nu zelf.") % {"name": pupil.first_name})
    # all(): the guardianships prefetched for a page of many pupils, else one small query.
    if any(guardianship.guardian_id == decided_by.pk for guardianship in pupil.guardianships.all()):
        return Basis.GUARDIAN
    if pupil.user_id == decided_by.pk:
        raise ActionRefused(_("Onder de 16 jaar beslissen je ouders of verzorgers over toestemming."))
    raise ActionRefused(_("U bent niet als ouder of verzorger van deze leerling bekend."))


def pupils_decided_for_by(*, user: User, on: datetime.date | None = None) -> QuerySet[Pupil]:
    """The pupils ``user`` decides for on ``on`` (today): own children under 16, themselves from 16.
    The same rule as consent_basis_for, for many pupils at once."""
    cutoff = sixteenth_birthday_cutoff(on)
    return Pupil.objects.filter(
        Q(guardianships__guardian=user, date_of_birth__gt=cutoff) | Q(user=user, date_of_birth__lte=cutoff)
    ).distinct()


def consent_deciders_for(pupil: Pupil, *, on: datetime.date | None = None) -> QuerySet[User]:
    """Who decides for ``pupil`` on ``on`` (today): the pupil from 16 (with a login), else the guardians."""
    if pupil.decides_own_consent(on or timezone.localdate()):
        return User.objects.filter(pk=pupil.user_id) if pupil.user_id else User.objects.none()
    return User.objects.filter(guardianships__pupil=pupil)


# 2. Whose consent page a person opens ---------------------------------------------------------------


def pupils_decidable_by(*, user: User) -> QuerySet[Pupil]:
    """Pupils whose consent page ``user`` may open: own children, and themselves as a pupil."""
    return Pupil.objects.filter(Q(guardianships__guardian=user) | Q(user=user)).distinct()


# 3. Who sees a group's consent ----------------------------------------------------------------------


def may_check_photos(user: User) -> bool:
    """Staff members (school leaders too) and the board use the group overview and the photo check
    (protocol A.5: a picture goes on social media only with the consent of those shown)."""
    return user.is_authenticated and (user.is_staff_member or user.is_board_member)


def groups_for_staff(*, user: User) -> QuerySet[Group]:
    """Groups whose consent a staff member may see: groups they teach, all groups of schools they
    lead, every group for the board."""
    if user.is_board_member:
        return Group.objects.select_related("school")
    return (
        Group.objects.filter(Q(teachers=user) | Q(school_id__in=user.school_ids_for(Role.SCHOOL_LEADER)))
        .select_related("school")
        .distinct()
    )


def groups_for_photo_check(*, user: User, group: Group) -> QuerySet[Group]:
    """Groups whose pupils a photo check started from ``group`` may add: the groups of the same school
    and school year, for whoever works there (staff, leaders) and for the board. ``group`` itself is
    checked by the caller (groups_for_staff)."""
    school_ids = user.school_ids_for(Role.STAFF) | user.school_ids_for(Role.SCHOOL_LEADER)
    if not user.is_board_member and group.school_id not in school_ids:
        return Group.objects.filter(pk=group.pk)
    return Group.objects.filter(school_id=group.school_id, school_year=group.school_year)


def pupils_for_paper_entry(*, user: User) -> QuerySet[Pupil]:
    """Pupils whose paper forms ``user`` may enter: pupils of the groups they may see."""
    return Pupil.objects.filter(group__in=groups_for_staff(user=user))


def decisions_visible_to(*, user: User) -> QuerySet[ConsentDecision]:
    """Decisions ``user`` made or entered, ones about a person whose page they may open, or about a
    pupil of a group they may see."""
    visible = (
        Q(decided_by=user)
        | Q(staff_member=user)
        | Q(recorded_by=user)
        | Q(pupil__in=pupils_decidable_by(user=user))
        | Q(pupil__in=pupils_for_paper_entry(user=user))
    )
    return ConsentDecision.objects.filter(visible).select_related(
        "pupil", "staff_member", "decided_by", "form", "recorded_by"
    )


def decision_visible_to(*, user: User, pk: int) -> ConsentDecision | None:
    """One of ``decisions_visible_to``; else None (the page answers 404)."""
    return decisions_visible_to(user=user).filter(pk=pk).first()


# 4. Who runs a school's campaign ----------------------------------------------------------------------


def campaign_schools_for(*, user: User) -> QuerySet[School]:
    """Schools whose consent campaigns ``user`` starts and follows, and whose pupils' consent they
    export: the schools they lead, every school for the board; none for the back office."""
    return schools_led_by(user=user)


def may_run_campaign(*, user: User, school: School) -> bool:
    """Whether ``user`` may start ``school``'s campaign (campaign_schools_for)."""
    return campaign_schools_for(user=user).filter(pk=school.pk).exists()


# 5. Publications and takedowns ----------------------------------------------------------------------


def publication_schools_for(*, user: User) -> QuerySet[School]:
    """Schools whose recorded publications and takedown tasks ``user`` oversees: the schools they
    lead, every school for the board (accounts.access.schools_led_by)."""
    return schools_led_by(user=user)


def takedown_tasks_visible_to(*, user: User) -> QuerySet[TakedownTask]:
    """Takedown tasks ``user`` sees: their own (they posted the publication), and every task of the
    schools they lead (publication_schools_for)."""
    return TakedownTask.objects.filter(
        Q(assigned_to=user) | Q(publication__group__school__in=publication_schools_for(user=user))
    )


def may_confirm_takedown(*, user: User, task: TakedownTask, led_school_ids: set[int] | None = None) -> bool:
    """Whoever posted the publication confirms it was taken down: they know where it stands. A leader
    of the school may confirm it too, when the publisher is away and the picture had to go anyway.
    ``led_school_ids``: publication_schools_for(user) read once for a list of tasks."""
    if task.assigned_to_id == user.pk:
        return True
    if led_school_ids is None:
        led_school_ids = set(publication_schools_for(user=user).values_list("pk", flat=True))
    return task.publication.group.school_id in led_school_ids


# 6. Who maintains the form's translations -----------------------------------------------------------


def may_maintain_form_texts(user: User) -> bool:
    """The board and the functional admin keep the English text of each form version (the Dutch
    text is the legal reference and comes with the version itself)."""
    return user.is_authenticated and (user.is_board_member or user.is_functional_admin)

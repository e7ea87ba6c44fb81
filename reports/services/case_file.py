"""The case file: the timeline, the one state transition, opening, whom a case is about, handler,
access, merge and legal hold (who may do what: reports/access.py)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from http import HTTPStatus

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Pupil, User
from common.refusals import ActionRefused
from notifications.services import notification_send

from .. import lifecycle
from ..access import (
    board_for,
    case_needs_reporter_consent,
    may_hand_on_case,
    may_handle_case,
    may_oversee_cases,
    recipients_for,
)
from ..constants import CaseState, ClosingReason, SubjectFinding, TimelineKind
from ..extensions import case_extensions
from ..models import (
    Case,
    CaseAccessWithdrawal,
    CaseHandover,
    CasePerson,
    CaseSubject,
    CaseView,
    Report,
    TimelineEntry,
)
from ..names import leadership_named_in

logger = logging.getLogger(__name__)


def case_link(case: Case) -> str:
    """The case page's path (e-mails make it absolute; they carry no case content, only this)."""
    return reverse("reports:case_detail", kwargs={"pk": case.pk})


def case_view_record(*, case: Case, viewer: User) -> CaseView:
    """Log one opening of the case file (who, when) in the view audit and on the timeline."""
    with transaction.atomic():
        view = CaseView.objects.create(case=case, viewer=viewer, viewed_at=timezone.now())
        case_timeline_add(case=case, kind=TimelineKind.VIEW, author=viewer)
    return view


def case_timeline_add(
    *,
    case: Case,
    kind: str,
    author: User | None,
    summary: str = "",
    data: dict | None = None,
    corrects: TimelineEntry | None = None,
    with_whom: str = "",
) -> TimelineEntry:
    """Append one entry to the case's timeline and return it. Public: sanctions calls it too.

    ``kind`` is a ``TimelineKind``; ``author`` None means the portal itself; ``data`` must be
    JSON-serialisable (ids and codes, never what a person wrote: ``data`` is not sealed, ``summary``
    and ``with_whom`` are; common/vault.py). Nothing is ever changed afterwards: a correction is a new
    entry of kind CORRECTION that names the entry it ``corrects``.
    """
    if kind not in TimelineKind.values:
        raise ValueError(f"Unknown timeline kind {kind!r}")
    return TimelineEntry.objects.create(
        case=case,
        kind=kind,
        author=author,
        summary=summary,
        with_whom=with_whom,
        data=data or {},
        corrects=corrects,
        created_at=timezone.now(),
    )


def case_transition(
    *, case: Case, to_state: str, by: User | None, reason: str = "", closing_reason: str = "", actor: str = ""
) -> Case:
    """Move ``case`` to ``to_state`` if reports/lifecycle.py allows it; write a STATUS_CHANGE entry.

    ``by`` is the person (None: the portal). Closing needs a ``closing_reason`` (ClosingReason)
    and passes every close check registered in reports/extensions.py; reopening needs a ``reason``.
    Leaving "new" takes the case in hand: who and when are stamped, and ``by`` becomes its handler
    if it has none. Raises ActionRefused when ``by`` may not handle the case, the table does not
    allow the move or a close check refuses it; ValidationError when a reason is missing. Locks the
    case row while it changes.
    """
    actor = actor or (lifecycle.HANDLER if by is not None else lifecycle.SYSTEM)
    reason = reason.strip()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        from_state = locked.state
        if by is not None and not may_handle_case(user=by, case=locked):
            raise ActionRefused(_("U mag dit dossier niet behandelen."))
        if not lifecycle.may_transition(actor=actor, from_state=from_state, to_state=to_state):
            raise ActionRefused(
                _("Van “%(from)s” naar “%(to)s” kan niet.")
                % {"from": CaseState(from_state).label, "to": CaseState(to_state).label}
            )
        if (from_state, to_state) in lifecycle.NEEDS_REASON and not reason:
            raise ValidationError({"reason": _("Geef een reden op.")})
        now = timezone.now()
        data = {"from": from_state, "to": to_state}
        if to_state == CaseState.CLOSED:
            if closing_reason not in ClosingReason.values:
                raise ValidationError({"closing_reason": _("Kies een reden van sluiten.")})
            refusal = case_extensions.close_refusal(locked)
            if refusal:
                raise ActionRefused(refusal)
            locked.closed_at = now
            locked.closing_reason = closing_reason
            data["closing_reason"] = closing_reason
        elif from_state == CaseState.CLOSED:
            locked.closed_at = None
            locked.closing_reason = ""
        if from_state == CaseState.NEW and locked.acknowledged_at is None:
            locked.acknowledged_at = now
            locked.acknowledged_by = by
            if locked.handler_id is None and by is not None:
                locked.handler = by
        locked.state = to_state
        locked.save()
        case_timeline_add(case=locked, kind=TimelineKind.STATUS_CHANGE, author=by, summary=reason, data=data)
    for field in ("state", "closed_at", "closing_reason", "acknowledged_at", "acknowledged_by_id", "handler_id"):
        setattr(case, field, getattr(locked, field))
    return case


def case_measure_in_effect(*, case: Case, by: User) -> Case:
    """A measure about someone in ``case`` took effect (sanctions: a light measure recorded, or a
    heavy one approved by the board): the case moves to "maatregelen besloten" through
    case_transition, with its STATUS_CHANGE entry, when reports/lifecycle.py lets a measure move it
    from its state (new, acknowledged, investigating, waiting for the reporter).

    A case with measures decided already stays so, without a second entry. A closed case stays
    closed: sanctions refuses to record a measure in it ("Heropen het eerst"), so only a case closed
    by a merge can still hold a measure waiting for the board; its approval is on the timeline.
    Call inside the caller's transaction; raises ActionRefused when ``by`` may not handle the case.
    """
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        moves = lifecycle.may_transition(
            actor=lifecycle.MEASURE, from_state=locked.state, to_state=CaseState.MEASURES_DECIDED
        )
        if moves:
            case_transition(case=case, to_state=CaseState.MEASURES_DECIDED, by=by, actor=lifecycle.MEASURE)
    return case


def case_open(*, case: Case, viewer: User) -> Case:
    """Someone who may handle the case opens its file: log the opening; the first one acknowledges it.

    The caller has checked that ``viewer`` may see ``case`` (selectors.case_for). The first opening
    of a new case moves it to acknowledged, stamps who and when (proof it was taken in hand) and,
    if nobody handles it yet, makes the viewer its handler.
    """
    with transaction.atomic():
        case_view_record(case=case, viewer=viewer)
        if case.state == CaseState.NEW:
            # Opened by someone else at the same moment: acknowledged already.
            with contextlib.suppress(ActionRefused):
                case_transition(case=case, to_state=CaseState.ACKNOWLEDGED, by=viewer, actor=lifecycle.SYSTEM)
    return case


# Nobody handles a case about themselves ------------------------------------------------------------


def _case_hand_to_board(*, locked: Case, subjects: Sequence[tuple[User, str]]) -> list[User]:
    """Record whom ``locked`` is about (each person with how it became known: SubjectFinding) and
    make it the board's: about the leadership, handled by no school leader and by none of them.

    Returns the people not recorded before. Caller holds select_for_update on the case.
    """
    recorded = []
    for user, found_by in subjects:
        _subject, created = CaseSubject.objects.get_or_create(case=locked, user=user, defaults={"found_by": found_by})
        if created:
            recorded.append(user)
    locked.is_about_leadership = True
    locked.save(update_fields=["is_about_leadership"])
    if locked.handler_id and not may_handle_case(user=locked.handler, case=locked):
        locked.handler = None  # about them, or a school leader of a case that is now the board's
        locked.save(update_fields=["handler"])
    return recorded


def case_leadership_named_check(*, report: Report, texts: Sequence[str], source: dict) -> None:
    """When ``texts`` (a report's, or a reporter's message) name a leader of the school or a board
    member (names.leadership_named_in), the case is about the leadership: the board handles it,
    without whoever is named; each newly named person goes on the timeline.

    Runs whatever the reporter ticked, before anyone is told. Call inside the writing transaction.
    """
    named = leadership_named_in(school_id=report.school_id, texts=texts, reporter=report.reporter_user)
    if not named:
        return
    locked = Case.objects.select_for_update().get(pk=report.case_id)
    recorded = _case_hand_to_board(locked=locked, subjects=[(person.user, person.found_by) for person in named])
    for person in named:
        if person.user in recorded:
            case_timeline_add(
                case=locked,
                kind=TimelineKind.SUBJECT_NAMED,
                author=None,
                summary=str(person.user),
                data={"user_id": person.user.pk, "found_by": person.found_by, **source},
            )
    report.case = locked


def case_declare_about_self(*, case: Case, user: User) -> CaseSubject:
    """A handler says "deze melding gaat over mij", on first opening or later.

    The case goes to the board — to the other board members when ``user`` is one — and ``user``
    loses access at once: they are recorded as whom the case is about (CaseSubject), so they no
    longer see it nor are told of it. The board hears through the outbox that a case was handed to
    them, without its content. On the timeline as SUBJECT_DECLARED.
    """
    if not may_handle_case(user=user, case=case):
        raise ActionRefused(_("Dit dossier is niet gevonden."), status=HTTPStatus.NOT_FOUND)
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("school").get(pk=case.pk)
        _case_hand_to_board(locked=locked, subjects=[(user, SubjectFinding.DECLARED)])
        case_timeline_add(case=locked, kind=TimelineKind.SUBJECT_DECLARED, author=user, data={"user_id": user.pk})
        board = board_for(locked)
        if not board:
            logger.error("Case %s is about its only possible handlers; check the board's roles.", locked.pk)
        for member in board:
            notification_send(
                template="reports/email/case_handed_to_board",
                recipient=member,
                context={"school_name": locked.school.name, "case_number": locked.number},
                link=case_link(locked),
            )
    return CaseSubject.objects.get(case=locked, user=user)


def case_person_record(
    *,
    case: Case,
    by: User,
    subject_kind: str,
    staff_member: User | None = None,
    pupil: Pupil | None = None,
    parent: User | None = None,
) -> tuple[CasePerson, bool]:
    """Record that ``case`` is about this staff member, pupil or parent (Sancties 2 and 5): the case
    shows in their person file, and they neither see it nor are told of it (reports/access.py).

    Once per person: returns the row and whether it is new. The caller (sanctions) has checked that
    ``by`` handles the case and that the person is one of its school, and writes the timeline entry
    that says why (a person added, a measure, a meldcode).
    """
    person = {"subject_kind": subject_kind, "staff_member": staff_member, "pupil": pupil, "parent": parent}
    existing = CasePerson.objects.filter(case=case, **person).first()
    if existing is not None:
        return existing, False
    return CasePerson.objects.create(case=case, added_by=by, **person), True


def case_entry_add(*, case: Case, author: User, kind: str, summary: str, with_whom: str = "") -> TimelineEntry:
    """A handler records a note or a conversation held (with whom, summary)."""
    if kind not in (TimelineKind.NOTE, TimelineKind.CONVERSATION):
        raise ActionRefused(_("Dit soort regel schrijft u niet met de hand."))
    if case.anonymised_at is not None:
        raise ActionRefused(_("Dit dossier is geanonimiseerd."))
    with_whom = with_whom.strip() if kind == TimelineKind.CONVERSATION else ""
    return case_timeline_add(case=case, kind=kind, author=author, summary=summary.strip(), with_whom=with_whom)


def case_entry_correct(*, entry: TimelineEntry, author: User, summary: str) -> TimelineEntry:
    """A correction is a new entry that names the one it corrects; the original stays as it was."""
    return case_timeline_add(
        case=entry.case, kind=TimelineKind.CORRECTION, author=author, summary=summary.strip(), corrects=entry
    )


def case_handler_assign(*, case: Case, handler: User, by: User) -> Case:
    """Assign or reassign the handler: someone who may see this case (a case about leadership: board)."""
    if not may_handle_case(user=handler, case=case):
        raise ActionRefused(_("Deze persoon mag dit dossier niet behandelen."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        previous = locked.handler_id
        locked.handler = handler
        locked.save(update_fields=["handler"])
        case_timeline_add(
            case=locked,
            kind=TimelineKind.HANDLER,
            author=by,
            summary=str(handler),
            data={"from": previous, "to": handler.pk},
        )
    case.handler = handler
    return case


def case_access_withdraw(*, case: Case, user: User, by: User, reason: str) -> CaseAccessWithdrawal:
    """A board member withdraws a leader's access to one case (conflict of interest; access.may_oversee_cases)."""
    if not may_oversee_cases(user=by):
        raise ActionRefused(_("Alleen het bestuur kan toegang intrekken."))
    if may_oversee_cases(user=user):
        raise ActionRefused(_("De toegang van een bestuurslid kan niet per dossier worden ingetrokken."))
    if not reason.strip():
        raise ValidationError({"reason": _("Geef een reden op.")})
    with transaction.atomic():
        withdrawal, _created = CaseAccessWithdrawal.objects.get_or_create(
            case=case, user=user, defaults={"withdrawn_by": by, "reason": reason.strip()}
        )
        if case.handler_id == user.pk:
            Case.objects.filter(pk=case.pk).update(handler=None)
            case.handler = None
        case_timeline_add(
            case=case, kind=TimelineKind.ACCESS, author=by, summary=reason.strip(), data={"withdrawn": user.pk}
        )
    return withdrawal


def case_access_restore(*, case: Case, user: User, by: User) -> None:
    """A board member gives a leader access to one case back (access.may_oversee_cases)."""
    if not may_oversee_cases(user=by):
        raise ActionRefused(_("Alleen het bestuur kan toegang teruggeven."))
    with transaction.atomic():
        CaseAccessWithdrawal.objects.filter(case=case, user=user).delete()
        case_timeline_add(case=case, kind=TimelineKind.ACCESS, author=by, data={"restored": user.pk})


def case_merge(*, source: Case, target: Case, by: User) -> Case:
    """Move the reports of ``source`` into ``target``; ``source`` stays, closed, pointing at ``target``.

    Both must be of the same school, open, and visible to ``by``. The merged case keeps the earlier
    deadlines and is about leadership when either was.
    """
    if source.pk == target.pk:
        raise ActionRefused(_("Kies een ander dossier."))
    if not (may_handle_case(user=by, case=source) and may_handle_case(user=by, case=target)):
        raise ActionRefused(_("Dit dossier is niet gevonden."))
    if source.school_id != target.school_id:
        raise ActionRefused(_("Alleen dossiers van dezelfde school kunnen worden samengevoegd."))
    with transaction.atomic():
        first, second = sorted([source.pk, target.pk])
        locked = {c.pk: c for c in Case.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
        source, target = locked[source.pk], locked[target.pk]
        if source.merged_into_id or target.merged_into_id or source.is_closed or target.is_closed:
            raise ActionRefused(_("Alleen open dossiers kunnen worden samengevoegd."))
        if source.recipient != target.recipient or source.is_with_confidant or target.is_with_confidant:
            # Merging would show a report to someone it was not sent to (access.cases_visible_to).
            raise ActionRefused(
                _("Alleen dossiers die naar dezelfde ontvanger zijn gestuurd, kunnen worden samengevoegd.")
            )
        Report.objects.filter(case=source).update(case=target)
        # Whom the merged reports were about, the merged case is about.
        for subject in CaseSubject.objects.filter(case=source):
            CaseSubject.objects.get_or_create(
                case=target, user_id=subject.user_id, defaults={"found_by": subject.found_by}
            )
        target.is_about_leadership = target.is_about_leadership or source.is_about_leadership
        target.acknowledge_due_at = min(target.acknowledge_due_at, source.acknowledge_due_at)
        target.feedback_due_at = min(target.feedback_due_at, source.feedback_due_at)
        target.save()
        if target.handler_id and not may_handle_case(user=target.handler, case=target):
            target.handler = None  # about them, or a school leader of a case that is now the board's
            target.save(update_fields=["handler"])
        now = timezone.now()
        source.merged_into = target
        source.state = CaseState.CLOSED
        source.closed_at = now
        source.save()
        case_timeline_add(
            case=target, kind=TimelineKind.MERGE, author=by, summary=source.number, data={"from": source.pk}
        )
        case_timeline_add(
            case=source, kind=TimelineKind.MERGE, author=by, summary=target.number, data={"into": target.pk}
        )
    return target


def case_legal_hold_set(*, case: Case, is_on_legal_hold: bool, by: User, reason: str = "") -> Case:
    """The board puts a case on legal hold (it is then never anonymised) or lifts the hold
    (access.may_oversee_cases)."""
    if not may_oversee_cases(user=by):
        raise ActionRefused(_("Alleen het bestuur kan een bewaarplicht instellen of opheffen."))
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(is_on_legal_hold=is_on_legal_hold)
        case.is_on_legal_hold = is_on_legal_hold
        case_timeline_add(
            case=case,
            kind=TimelineKind.RETENTION,
            author=by,
            summary=reason.strip(),
            data={"legal_hold": is_on_legal_hold},
        )
    return case


def case_hand_on(*, case: Case, by: User, reason: str, has_reporter_consent: bool = False) -> CaseHandover:
    """A vertrouwenspersoon hands a case that was theirs alone on to the school (access.may_hand_on_case):
    from now on whom the school's routing names sees it and is told (access.recipients_for).

    The reason is recorded; a named reporter's consent is required (the vertrouwenspersoon's
    confidentiality is the reporter's, not the school's). The vertrouwenspersoon keeps the case.
    """
    if not may_hand_on_case(user=by, case=case):
        raise ActionRefused(_("Alleen de vertrouwenspersoon bij wie dit dossier ligt, kan het doorgeven."))
    if not reason.strip():
        raise ValidationError({"reason": _("Schrijf op waarom u het dossier doorgeeft.")})
    if case_needs_reporter_consent(case) and not has_reporter_consent:
        raise ValidationError(
            {
                "has_reporter_consent": _(
                    "De melder heeft zijn of haar naam gegeven: geef het alleen door als de melder instemt."
                )
            }
        )
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.is_with_confidant:
            raise ActionRefused(_("Dit dossier is al doorgegeven."))
        handover = CaseHandover.objects.create(
            case=locked, handed_by=by, reason=reason.strip(), has_reporter_consent=has_reporter_consent
        )
        locked.is_with_confidant = False
        locked.save(update_fields=["is_with_confidant"])
        case.is_with_confidant = False
        case_timeline_add(
            case=locked,
            kind=TimelineKind.HANDED_ON,
            author=by,
            summary=reason.strip(),
            data={"handover": handover.pk, "has_reporter_consent": has_reporter_consent},
        )
        first_report = locked.reports.order_by("submitted_at", "pk").first()
        told = recipients_for(first_report) if first_report is not None else []
        for recipient in told:
            if recipient.pk == by.pk:
                continue
            notification_send(
                template="reports/email/handed_on",
                recipient=recipient,
                context={"school_name": locked.school.name, "case_number": locked.number},
                link=case_link(locked),
            )
    return handover

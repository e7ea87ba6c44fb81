"""Reports and case files: intake, receipt codes, the reporter–handler thread, triage and the timeline.

Contract for apps that build on reports (sanctions); see also docs/architecture.md:

- ``case_timeline_add(case=, kind=, author=, summary=, data=)`` appends to a case's timeline
  (kinds: ``reports.constants.TimelineKind``, e.g. MEASURE, ESCALATION). Nothing is ever edited.
- ``case_transition(case=, to_state=, by=, reason=)`` is the only way a case changes state; it
  raises ``common.refusals.ActionRefused`` with a Dutch message. Closing asks every close check
  registered in ``reports.extensions.case_extensions``; a returned message refuses it.
- ``case_measure_in_effect(case=, by=)``: a measure took effect, the case has "maatregelen besloten".
- ``case_person_record(case=, by=, subject_kind=, ...)``: whom a case is about (``CasePerson``).
- ``reports.selectors.case_for(user=, pk=)`` returns a case the user may see, or raises Http404.
- Who may see, handle and be told of a case: ``reports/access.py``. Every refusal ("you may not",
  "not now") is ``ActionRefused``; a ValidationError means a typed value is missing or wrong.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import hmac
import logging
import secrets
from collections.abc import Sequence
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Pupil, School, User
from common.refusals import ActionRefused
from notifications.constants import Channel
from notifications.services import notification_send
from policy.selectors import protocol_version_in_force_on

from . import lifecycle
from .access import board_for, deadline_recipients, may_handle_case, may_oversee_cases, recipients_for
from .constants import CaseState, ClosingReason, MessageAuthor, MessageKind, SubjectFinding, TimelineKind
from .evidence import CheckedFile, evidence_file_name, evidence_remove, evidence_write
from .extensions import case_extensions
from .models import (
    Case,
    CaseAccessWithdrawal,
    CasePerson,
    CaseSubject,
    CaseView,
    Evidence,
    ReceiptHandover,
    Report,
    ReportMessage,
    TimelineEntry,
)
from .names import leadership_named_in

logger = logging.getLogger(__name__)

# Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper is not misread.
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_CODE_LENGTH = 20  # 100 bits
READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


class DuplicateSubmission(Exception):
    """The form was sent before (a double click): the first report stands."""

    def __init__(self, report: Report):
        super().__init__("duplicate submission")
        self.report = report


def receipt_code_new() -> str:
    """A fresh receipt code, grouped by four for reading aloud: ``7K3M-...``."""
    raw = "".join(secrets.choice(CROCKFORD) for _ in range(RECEIPT_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECEIPT_CODE_LENGTH, 4))


def receipt_code_normalise(code: str) -> str:
    return "".join(ch for ch in code.upper().translate(READ_AS) if ch in CROCKFORD)


def receipt_code_digest(code: str) -> str:
    """The keyed hash stored instead of the code; the same code typed in any grouping matches."""
    key = settings.RECEIPT_CODE_KEY.encode()
    return hmac.new(key, receipt_code_normalise(code).encode(), hashlib.sha256).hexdigest()


def submission_digest(submission_key: str) -> str:
    """What is stored of a form's submission key: enough to recognise a double click, nothing more."""
    return hashlib.sha256(f"report-submission:{submission_key}".encode()).hexdigest()


def report_exists_for(*, submission_key: str) -> bool:
    """Whether the form with this key was already sent (a double click, a resent page)."""
    return Report.objects.filter(submission_digest=submission_digest(submission_key)).exists()


def _handover_digest(submission_key: str) -> str:
    return hashlib.sha256(f"receipt-handover:{submission_key}".encode()).hexdigest()


def _handover_pad(submission_key: str) -> bytes:
    # A one-time pad from a key only the reporter's browser holds (the form's random submission key).
    return hmac.new(submission_key.encode(), b"receipt-handover-pad", hashlib.sha256).digest()


def _seal(code: str, submission_key: str) -> str:
    return bytes(a ^ b for a, b in zip(code.encode(), _handover_pad(submission_key), strict=False)).hex()


def _unseal(sealed: str, submission_key: str) -> str:
    return bytes(a ^ b for a, b in zip(bytes.fromhex(sealed), _handover_pad(submission_key), strict=False)).decode()


def receipt_handover_take(*, submission_key: str, now: datetime.datetime | None = None) -> str | None:
    """The receipt code of the report sent with this submission key, once; None ever after.

    Two requests at once (two tabs, a reload) cannot both get it: only the one whose DELETE removed
    the row shows the code.
    """
    if not submission_key:
        return None
    now = now or timezone.now()
    oldest = now - datetime.timedelta(minutes=settings.RECEIPT_HANDOVER_MINUTES)
    row = ReceiptHandover.objects.filter(key_digest=_handover_digest(submission_key), created_at__gte=oldest).first()
    if row is None or ReceiptHandover.objects.filter(pk=row.pk).delete()[0] == 0:
        return None
    try:
        return _unseal(row.sealed_code, submission_key)
    except (ValueError, UnicodeDecodeError):
        return None


def receipt_handover_purge(*, now: datetime.datetime | None = None) -> int:
    """Receipt codes nobody came to see within RECEIPT_HANDOVER_MINUTES are gone for good."""
    now = now or timezone.now()
    oldest = now - datetime.timedelta(minutes=settings.RECEIPT_HANDOVER_MINUTES)
    return ReceiptHandover.objects.filter(created_at__lt=oldest).delete()[0]


def report_for_code(code: str) -> Report | None:
    normalised = receipt_code_normalise(code)
    if len(normalised) != RECEIPT_CODE_LENGTH:
        return None
    return Report.objects.select_related("case", "school").filter(receipt_code_digest=receipt_code_digest(code)).first()


def _store_evidence(*, report: Report, files: Sequence[CheckedFile], written: list[str], message=None) -> None:
    """Store checked files under names the portal gives them: ``melding-<case>-<n>.<ext>``.

    Call inside the caller's transaction; the case row is locked so two messages arriving at once
    cannot take the same number. Counting every file of the case keeps numbers unique after a merge
    too (they may then skip one).
    """
    if not files:
        return
    case = Case.objects.select_for_update().get(pk=report.case_id)
    sequence = Evidence.objects.filter(report__case=case).count()
    for checked in files:
        sequence += 1
        stored_name = evidence_write(checked)
        written.append(stored_name)
        item = Evidence.objects.create(
            report=report,
            message=message,
            kind=checked.kind,
            file_name=evidence_file_name(case_number=case.number, sequence=sequence, extension=checked.extension),
            stored_name=stored_name,
            content_type=checked.content_type,
            size=len(checked.content),
            sha256=checked.sha256,
        )
        case_timeline_add(
            case=case,
            kind=TimelineKind.EVIDENCE,
            author=None,
            summary=item.file_name,
            data={"evidence_id": item.pk, "report_id": report.pk},
        )


def _case_link(case: Case) -> str:
    return reverse("reports:case_detail", kwargs={"pk": case.pk})


def _tell_handlers(*, report: Report, template: str) -> None:
    """E-mail and in-app message to whoever routing names; no content, only a link (DESIGN.md)."""
    recipients = recipients_for(report)
    if not recipients:
        # Neither leadership nor board on record: the report is kept, but nobody can be told.
        logger.error("Report %s of case %s has nobody to notify; check the roles.", report.pk, report.case_id)
    for recipient in recipients:
        notification_send(
            template=template,
            recipient=recipient,
            context={"school_name": report.school.name, "case_number": report.case.number},
            link=_case_link(report.case),
        )


def _tell_reporter(*, report: Report, template: str) -> None:
    """A named reporter hears by e-mail (and in-app when logged in) that there is news; never what."""
    if report.is_anonymous or not (report.reporter_email or report.reporter_user_id):
        return
    channels = (Channel.EMAIL, Channel.IN_APP) if report.reporter_user_id else (Channel.EMAIL,)
    notification_send(
        template=template,
        recipient=report.reporter_user,
        email=report.reporter_email,
        context={"school_name": report.school.name},
        link=reverse("reports:follow"),
        channels=channels,
    )


def report_submit(
    *,
    school: School,
    category: str,
    platform: str,
    happened_on: datetime.date,
    description: str,
    involved_roles: Sequence[str] = (),
    involved_names: str = "",
    is_about_leadership: bool = False,
    reporter_role: str,
    is_anonymous: bool,
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    reporter_user: User | None = None,
    evidence: Sequence[CheckedFile] = (),
    submission_key: str,
) -> tuple[Report, str]:
    """Take in a report: open its case, store the evidence, tell the handlers and the reporter.

    Returns the report and its receipt code; the code exists only in this return value (a hash
    is stored) and, sealed, until the thank-you page shows it (``receipt_handover_take``). One
    transaction: the report and its notifications commit together, and the outbox delivers them
    even if the broker is down now. Raises DuplicateSubmission when this
    ``submission_key`` was used before.
    """
    if is_anonymous:
        # Protocol A.9 lets anyone report; anonymous means nothing that identifies the reporter.
        reporter_name = reporter_email = reporter_phone = ""
        reporter_user = None
    code = receipt_code_new()
    written: list[str] = []
    try:
        with transaction.atomic():
            case = Case.objects.create(school=school, is_about_leadership=is_about_leadership)
            report = Report.objects.create(
                case=case,
                school=school,
                category=category,
                platform=platform,
                happened_on=happened_on,
                description=description,
                involved_roles=sorted(set(involved_roles)),
                involved_names=involved_names,
                is_about_leadership=is_about_leadership,
                protocol_version=protocol_version_in_force_on(day=happened_on),
                reporter_role=reporter_role,
                is_anonymous=is_anonymous,
                reporter_name=reporter_name,
                reporter_email=reporter_email,
                reporter_phone=reporter_phone,
                reporter_user=reporter_user,
                receipt_code_digest=receipt_code_digest(code),
                submission_digest=submission_digest(submission_key),
            )
            # The code reaches the thank-you page through the database, sealed for this browser only.
            ReceiptHandover.objects.create(
                key_digest=_handover_digest(submission_key), sealed_code=_seal(code, submission_key)
            )
            _store_evidence(report=report, files=evidence, written=written)
            _case_leadership_named_check(
                report=report, texts=[description, involved_names], source={"report_id": report.pk}
            )
            _tell_handlers(report=report, template="reports/email/new_report")
            _tell_reporter(report=report, template="reports/email/confirmation")
    except IntegrityError:
        evidence_remove(written)
        existing = Report.objects.filter(submission_digest=submission_digest(submission_key)).first()
        if existing is None:
            raise
        raise DuplicateSubmission(existing) from None
    except BaseException:
        evidence_remove(written)
        raise
    return report, code


def report_reply_by_reporter(*, report: Report, body: str, evidence: Sequence[CheckedFile] = ()) -> ReportMessage:
    """The reporter answers or adds information (and files) through the receipt code."""
    written: list[str] = []
    try:
        with transaction.atomic():
            message = ReportMessage.objects.create(report=report, author=MessageAuthor.REPORTER, body=body)
            case_timeline_add(
                case=report.case,
                kind=TimelineKind.MESSAGE,
                author=None,
                data={"message_id": message.pk, "report_id": report.pk, "from": MessageAuthor.REPORTER},
            )
            _store_evidence(report=report, files=evidence, written=written, message=message)
            _case_leadership_named_check(report=report, texts=[body], source={"message_id": message.pk})
            _tell_handlers(report=report, template="reports/email/reporter_reply")
    except BaseException:
        evidence_remove(written)
        raise
    return message


HANDLER_MESSAGE_KINDS = (MessageKind.MESSAGE, MessageKind.FEEDBACK)


def report_message_to_reporter(
    *, report: Report, handler: User, body: str, kind: str = MessageKind.MESSAGE
) -> ReportMessage:
    """A handler writes to the reporter; the reporter reads it with the receipt code.

    ``kind`` is MessageKind.FEEDBACK for feedback — what was done with the report — or
    MessageKind.MESSAGE for a question or anything else. Only the first feedback meets the feedback
    deadline (EU whistle-blower directive 2019/1937 art. 9(1)(f)): a question such as "wanneer was
    dit?" leaves the clock running.
    """
    if kind not in HANDLER_MESSAGE_KINDS:
        raise ValueError(f"A handler's message is feedback or a message, not {kind!r}.")
    with transaction.atomic():
        message = ReportMessage.objects.create(
            report=report, author=MessageAuthor.HANDLER, handler=handler, body=body, kind=kind
        )
        case_timeline_add(
            case=report.case,
            kind=TimelineKind.MESSAGE,
            author=handler,
            data={"message_id": message.pk, "report_id": report.pk, "from": MessageAuthor.HANDLER, "kind": kind},
        )
        if kind == MessageKind.FEEDBACK:
            Case.objects.filter(pk=report.case_id, feedback_given_at__isnull=True).update(
                feedback_given_at=message.created_at
            )
        _tell_reporter(report=report, template="reports/email/handler_reply")
    return message


def case_view_record(*, case: Case, viewer: User) -> CaseView:
    """Log one opening of the case file (who, when) in the view audit and on the timeline."""
    with transaction.atomic():
        view = CaseView.objects.create(case=case, viewer=viewer, viewed_at=timezone.now())
        case_timeline_add(case=case, kind=TimelineKind.VIEW, author=viewer)
    return view


# The case file: timeline, triage, handler, access, merge ------------------------------------------


def case_timeline_add(
    *,
    case: Case,
    kind: str,
    author: User | None,
    summary: str = "",
    data: dict | None = None,
    corrects: TimelineEntry | None = None,
) -> TimelineEntry:
    """Append one entry to the case's timeline and return it. Public: sanctions calls it too.

    ``kind`` is a ``TimelineKind``; ``author`` None means the portal itself; ``data`` must be
    JSON-serialisable (ids, not objects). Nothing is ever changed afterwards: a correction is a new
    entry of kind CORRECTION that names the entry it ``corrects``.
    """
    if kind not in TimelineKind.values:
        raise ValueError(f"Unknown timeline kind {kind!r}")
    return TimelineEntry.objects.create(
        case=case,
        kind=kind,
        author=author,
        summary=summary,
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


def _case_leadership_named_check(*, report: Report, texts: Sequence[str], source: dict) -> None:
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
                link=_case_link(locked),
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
    shows in their dossier, and they neither see it nor are told of it (reports/access.py).

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
    data = {"with_whom": with_whom.strip()} if kind == TimelineKind.CONVERSATION else {}
    return case_timeline_add(case=case, kind=kind, author=author, summary=summary.strip(), data=data)


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


# Deadlines: reminders before, alerts after (EU whistle-blower directive art. 9) -----------------

ACKNOWLEDGE, FEEDBACK = "acknowledge", "feedback"


def _deadline_notify(*, case: Case, deadline: str, due: datetime.datetime, template: str, with_board: bool) -> int:
    recipients = deadline_recipients(case, with_board=with_board)
    for recipient in recipients:
        notification_send(
            template=template,
            recipient=recipient,
            context={
                "school_name": case.school.name,
                "case_number": case.number,
                "deadline": deadline,
                "due": f"{timezone.localtime(due):%d-%m-%Y}",
            },
            link=_case_link(case),
        )
    return len(recipients)


def case_deadlines_check(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send each due reminder and alert once; returns how many of each went out (cases, not e-mails).

    Idempotent (beat may run it twice, a worker may redo it): a case's stamp column is set in the
    same transaction as its notifications, and only when it was still empty.
    """
    now = now or timezone.now()
    ack_before = datetime.timedelta(days=settings.CASE_ACKNOWLEDGE_REMIND_DAYS_BEFORE)
    feedback_before = datetime.timedelta(days=settings.CASE_FEEDBACK_REMIND_DAYS_BEFORE)
    open_cases = Case.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True).select_related(
        "school", "handler"
    )
    awaiting_feedback = open_cases.exclude(state=CaseState.CLOSED).filter(feedback_given_at__isnull=True)
    jobs = [
        # (name, cases, stamp column, deadline, due column, template, board too)
        (
            "acknowledge_reminders",
            open_cases.filter(
                state=CaseState.NEW, acknowledge_due_at__gt=now, acknowledge_due_at__lte=now + ack_before
            ),
            "acknowledge_reminded_at",
            ACKNOWLEDGE,
            "acknowledge_due_at",
            "reports/email/case_deadline_reminder",
            False,
        ),
        (
            "acknowledge_alerts",
            open_cases.filter(state=CaseState.NEW, acknowledge_due_at__lte=now),
            "acknowledge_alerted_at",
            ACKNOWLEDGE,
            "acknowledge_due_at",
            "reports/email/case_deadline_alert",
            True,
        ),
        (
            "feedback_reminders",
            awaiting_feedback.filter(feedback_due_at__gt=now, feedback_due_at__lte=now + feedback_before),
            "feedback_reminded_at",
            FEEDBACK,
            "feedback_due_at",
            "reports/email/case_deadline_reminder",
            False,
        ),
        (
            "feedback_alerts",
            awaiting_feedback.filter(feedback_due_at__lte=now),
            "feedback_alerted_at",
            FEEDBACK,
            "feedback_due_at",
            "reports/email/case_deadline_alert",
            True,
        ),
    ]
    sent = {}
    for name, cases, stamp, deadline, due_column, template, with_board in jobs:
        sent[name] = 0
        for case in cases.filter(**{f"{stamp}__isnull": True}).order_by("pk").iterator():
            with transaction.atomic():
                if not Case.objects.filter(pk=case.pk, **{f"{stamp}__isnull": True}).update(**{stamp: now}):
                    continue  # another run took it
                _deadline_notify(
                    case=case,
                    deadline=deadline,
                    due=getattr(case, due_column),
                    template=template,
                    with_board=with_board,
                )
                sent[name] += 1
    if any(sent.values()):
        logger.info("Case deadlines: %s", sent)
    return sent


# Retention (issue 6, item 7) -------------------------------------------------------------------


def _retention_summary(case: Case) -> dict:
    return {
        "case": case.number,
        "school": case.school.name,
        "closed_at": f"{timezone.localtime(case.closed_at):%d-%m-%Y}" if case.closed_at else "",
        "reports": case.reports.count(),
        "messages": ReportMessage.objects.filter(report__case=case).count(),
        "files": Evidence.objects.filter(report__case=case).count(),
    }


def case_anonymise(*, case: Case, now: datetime.datetime | None = None) -> dict:
    """Remove names, contact details, descriptions, messages and evidence files; keep the numbers.

    What statistics count stays: school, category, platform, dates, states and closing reason. The
    receipt code stops working. The timeline keeps its rows (who did what when) but loses their text:
    the one place where append-only rows are changed, because the law asks it (AVG art. 5(1)(e)).
    Whom the case was about (CaseSubject, CasePerson) goes with the names. Apps that keep their own
    data about a case clear it through the anonymisers they registered (reports/extensions.py), in
    the same transaction.
    """
    now = now or timezone.now()
    files: list[str] = []
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("school").get(pk=case.pk)
        summary = _retention_summary(case)
        evidence = Evidence.objects.filter(report__case=case)
        files = list(evidence.values_list("stored_name", flat=True))
        evidence.delete()
        for report in Report.objects.filter(case=case):
            Report.objects.filter(pk=report.pk).update(
                description="",
                involved_names="",
                reporter_name="",
                reporter_email="",
                reporter_phone="",
                reporter_user=None,
                receipt_code_digest=f"anonymised-{report.pk}",
            )
        ReportMessage.objects.filter(report__case=case).update(body="")
        TimelineEntry.objects.filter(case=case).update(summary="")
        TimelineEntry.objects.filter(case=case).exclude(kind=TimelineKind.STATUS_CHANGE).update(data={})
        CaseAccessWithdrawal.objects.filter(case=case).update(reason="")
        CaseSubject.objects.filter(case=case).delete()
        CasePerson.objects.filter(case=case).delete()
        case_extensions.anonymise(case)
        Case.objects.filter(pk=case.pk).update(anonymised_at=now)
        case_timeline_add(
            case=case,
            kind=TimelineKind.RETENTION,
            author=None,
            data={"anonymised": True, "files": summary["files"], "reports": summary["reports"]},
        )
        transaction.on_commit(lambda: evidence_remove(files))
    logger.info("Case %s anonymised after the retention period: %s", summary["case"], summary)
    return summary


def case_retention_purge(*, now: datetime.datetime | None = None, dry_run: bool = False) -> list[dict]:
    """Anonymise every closed case past the retention period and not on legal hold.

    With ``dry_run`` nothing changes: the return value lists what would be removed, per case.
    """
    from .selectors import cases_due_for_anonymisation

    now = now or timezone.now()
    due = list(cases_due_for_anonymisation(now=now).select_related("school"))
    if dry_run:
        return [_retention_summary(case) for case in due]
    done = [case_anonymise(case=case, now=now) for case in due]
    logger.info("Retention purge: %d case(s) anonymised.", len(done))
    return done

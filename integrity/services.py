"""The staff channel for misstanden owns its reports: intake, the officers' steps, the clocks."""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.receipt_codes import receipt_code_digest, receipt_code_is_well_formed, receipt_code_new
from common.refusals import ActionRefused
from notifications.services import notification_send

from .access import (
    board_members,
    check_handles,
    forget_menu_answer,
    handlers_of,
    may_be_officer,
    may_oversee_integrity,
    routes_to_board,
)
from .constants import ACKNOWLEDGE_DAYS, FEEDBACK_MONTHS, EntryKind, Intake, State
from .models import IntegrityOfficer, MisstandEntry, MisstandReport

logger = logging.getLogger(__name__)

# A code of this channel never opens a report of the other (reports' codes have no purpose).
RECEIPT_PURPOSE = "integrity"


class DuplicateMisstand(Exception):
    """The form was sent before (a double click): the first report stands."""


def misstand_link(report: MisstandReport) -> str:
    """The report's page for its handlers (e-mails make it absolute; they carry nothing else)."""
    return reverse("integrity:case_detail", kwargs={"pk": report.pk})


def _submission_digest(submission_key: str) -> str:
    return hashlib.sha256(f"misstand-submission:{submission_key}".encode()).hexdigest()


def _entry(*, report: MisstandReport, kind: str, by: User | None, body: str = "", **fields) -> MisstandEntry:
    return MisstandEntry.objects.create(report=report, kind=kind, by=by, body=body, at=timezone.now(), **fields)


def _tell_handlers(report: MisstandReport, template: str) -> None:
    for person in handlers_of(report):
        notification_send(
            template=template, recipient=person, context={"number": report.pk}, link=misstand_link(report)
        )


def misstand_submit(
    *,
    description: str,
    submission_key: str,
    intake: str = Intake.FORM,
    people_involved: str = "",
    named: list[User] | tuple = (),
    reporter_name: str = "",
    reporter_contact: str = "",
    now: datetime.datetime | None = None,
) -> tuple[MisstandReport, str]:
    """File a report; returns it with its receipt code, which is shown once and stored only hashed.

    Anonymous when no name is given: nothing links the report to an account. A request for a call or
    a meeting needs a way to reach the reporter. Raises DuplicateMisstand for a form sent twice.
    """
    if not description.strip():
        raise ValidationError({"description": _("Beschrijf wat u wilt melden.")})
    if intake != Intake.FORM and not reporter_contact.strip():
        raise ValidationError(
            {"reporter_contact": _("Voor een gesprek hebben we een telefoonnummer of e-mailadres nodig.")}
        )
    now = now or timezone.now()
    code = receipt_code_new()
    named = list(named)
    try:
        with transaction.atomic():
            report = MisstandReport.objects.create(
                received_at=now,
                intake=intake,
                description=description.strip(),
                people_involved=people_involved.strip(),
                reporter_name=reporter_name.strip(),
                reporter_contact=reporter_contact.strip(),
                receipt_code_digest=receipt_code_digest(code, purpose=RECEIPT_PURPOSE),
                submission_digest=_submission_digest(submission_key),
                routed_to_board=routes_to_board(named=named),
                acknowledge_due_at=now + datetime.timedelta(days=ACKNOWLEDGE_DAYS),
                # Wbk: three months after the acknowledgement; counted from receipt, the stricter reading.
                feedback_due_at=now + relativedelta(months=FEEDBACK_MONTHS),
            )
            report.named_people.set(named)
            _tell_handlers(report, "integrity/email/new_report")
    except IntegrityError as error:
        if MisstandReport.objects.filter(submission_digest=_submission_digest(submission_key)).exists():
            raise DuplicateMisstand from error
        raise
    return report, code


def misstand_for_code(code: str) -> MisstandReport | None:
    if not receipt_code_is_well_formed(code):
        return None
    return MisstandReport.objects.filter(receipt_code_digest=receipt_code_digest(code, purpose=RECEIPT_PURPOSE)).first()


def misstand_reply_by_reporter(*, report: MisstandReport, body: str) -> MisstandEntry:
    """The reporter adds a message through the follow-up page; the handlers are told (no content)."""
    if not body.strip():
        raise ValidationError({"body": _("Schrijf een bericht.")})
    if report.is_closed:
        raise ActionRefused(_("Deze melding is afgesloten. Doe zo nodig een nieuwe melding."))
    with transaction.atomic():
        entry = _entry(report=report, kind=EntryKind.REPORTER_MESSAGE, by=None, body=body.strip())
        _tell_handlers(report, "integrity/email/reporter_message")
    return entry


def misstand_view_record(*, report: MisstandReport, viewer: User) -> None:
    """Every opening of the file is logged (who, when)."""
    _entry(report=report, kind=EntryKind.VIEWED, by=viewer)


def _locked(report: MisstandReport, by: User) -> MisstandReport:
    check_handles(by, report)
    return MisstandReport.objects.select_for_update().get(pk=report.pk)


def misstand_acknowledge(*, report: MisstandReport, by: User, body: str) -> MisstandReport:
    """Confirm receipt to the reporter (Wbk: within seven days); stops the first clock."""
    with transaction.atomic():
        report = _locked(report, by)
        if report.state != State.NEW:
            raise ActionRefused(_("De ontvangst van deze melding is al bevestigd."))
        report.state = State.ACKNOWLEDGED
        report.acknowledged_at = timezone.now()
        report.save(update_fields=["state", "acknowledged_at"])
        _entry(
            report=report,
            kind=EntryKind.ACKNOWLEDGEMENT,
            by=by,
            body=body.strip() or _("Wij hebben uw melding ontvangen en nemen haar in behandeling."),
        )
    return report


def misstand_message(*, report: MisstandReport, by: User, body: str, is_feedback: bool = False) -> MisstandEntry:
    """A message to the reporter; feedback (what was done with the report) stops the second clock."""
    if not body.strip():
        raise ValidationError({"body": _("Schrijf een bericht.")})
    with transaction.atomic():
        report = _locked(report, by)
        if report.is_closed:
            raise ActionRefused(_("Deze melding is afgesloten."))
        if report.state == State.NEW:
            raise ActionRefused(_("Bevestig eerst de ontvangst van de melding."))
        if is_feedback:
            report.state = State.FEEDBACK_GIVEN
            report.feedback_given_at = report.feedback_given_at or timezone.now()
            report.save(update_fields=["state", "feedback_given_at"])
        kind = EntryKind.FEEDBACK if is_feedback else EntryKind.MESSAGE
        return _entry(report=report, kind=kind, by=by, body=body.strip())


def misstand_conversation_log(*, report: MisstandReport, by: User, held_on: datetime.date, body: str) -> MisstandEntry:
    """The officer's record of a call or meeting with the reporter (Wbk art. 2 lid 1 sub c; the
    reporter reads it on the follow-up page and can correct it by replying)."""
    if not body.strip():
        raise ValidationError({"body": _("Leg vast wat er in het gesprek is gezegd.")})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Een gesprek kan niet in de toekomst gevoerd zijn.")})
    with transaction.atomic():
        report = _locked(report, by)
        if report.is_closed:
            raise ActionRefused(_("Deze melding is afgesloten."))
        return _entry(report=report, kind=EntryKind.CONVERSATION, by=by, body=body.strip(), held_on=held_on)


def misstand_name_officer(*, report: MisstandReport, by: User, officer: IntegrityOfficer) -> MisstandReport:
    """Record that the report concerns an officer (found after intake): that officer no longer sees
    it, and when no officer is left it goes to the board."""
    with transaction.atomic():
        report = _locked(report, by)
        report.named_people.add(officer.user)
        if not report.routed_to_board and routes_to_board(named=list(report.named_people.all())):
            report.routed_to_board = True
            report.save(update_fields=["routed_to_board"])
        _entry(report=report, kind=EntryKind.NAMED, by=by)
        if report.routed_to_board:
            _tell_handlers(report, "integrity/email/new_report")
    return report


def misstand_close(*, report: MisstandReport, by: User, body: str) -> MisstandReport:
    """Close after feedback: the reporter reads the closing message on the follow-up page."""
    with transaction.atomic():
        report = _locked(report, by)
        if report.state != State.FEEDBACK_GIVEN:
            raise ActionRefused(_("Sluit een melding pas af nadat de melder terugkoppeling heeft gekregen."))
        report.state = State.CLOSED
        report.closed_at = timezone.now()
        report.save(update_fields=["state", "closed_at"])
        _entry(report=report, kind=EntryKind.CLOSED, by=by, body=body.strip())
    return report


# Officers -----------------------------------------------------------------------------------------


def integrity_officer_designate(*, user: User, by: User, is_external: bool = False) -> IntegrityOfficer:
    """The board designates an officer; never a school leader (independence), never twice at once."""
    if not may_oversee_integrity(by):
        raise ActionRefused(_("Alleen het bestuur wijst integriteitsfunctionarissen aan."))
    if not may_be_officer(user):
        raise ActionRefused(_("Een schoolleider kan geen integriteitsfunctionaris zijn: die moet onafhankelijk zijn."))
    with transaction.atomic():
        if IntegrityOfficer.objects.active().filter(user=user).exists():
            raise ActionRefused(_("Deze persoon is al integriteitsfunctionaris."))
        officer = IntegrityOfficer.objects.create(
            user=user, is_external=is_external, designated_on=timezone.localdate(), designated_by=by
        )
    forget_menu_answer(user.pk)
    return officer


def integrity_officer_end(*, officer: IntegrityOfficer, by: User) -> IntegrityOfficer:
    if not may_oversee_integrity(by):
        raise ActionRefused(_("Alleen het bestuur wijst integriteitsfunctionarissen aan."))
    with transaction.atomic():
        officer = IntegrityOfficer.objects.select_for_update().get(pk=officer.pk)
        if officer.ended_on is None:
            officer.ended_on = timezone.localdate()
            officer.ended_by = by
            officer.save(update_fields=["ended_on", "ended_by"])
    forget_menu_answer(officer.user_id)
    return officer


# Clocks -------------------------------------------------------------------------------------------

ACKNOWLEDGE, FEEDBACK = "acknowledge", "feedback"
WARNING, ALERT = "integrity/email/deadline_warning", "integrity/email/deadline_alert"


@dataclass(frozen=True)
class DeadlineRule:
    """One notice about a clock: which reports are due for it. Each goes once per report (``stamp``),
    to the handlers and the board: the board answers for the channel (Wbk art. 2)."""

    name: str
    deadline: str
    due: str
    stamp: str
    template: str
    due_reports: Callable[[QuerySet[MisstandReport], datetime.datetime], QuerySet[MisstandReport]]


def _within(days: int, now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(days=days)


def _not_acknowledged(reports: QuerySet[MisstandReport]) -> QuerySet[MisstandReport]:
    return reports.filter(state=State.NEW)


def _awaiting_feedback(reports: QuerySet[MisstandReport]) -> QuerySet[MisstandReport]:
    return reports.filter(feedback_given_at__isnull=True).exclude(state=State.CLOSED)


RULES = (
    DeadlineRule(
        name="acknowledge_warnings",
        deadline=ACKNOWLEDGE,
        due="acknowledge_due_at",
        stamp="acknowledge_warned_at",
        template=WARNING,
        due_reports=lambda reports, now: _not_acknowledged(reports).filter(
            acknowledge_due_at__gt=now,
            acknowledge_due_at__lte=_within(settings.INTEGRITY_ACKNOWLEDGE_WARN_DAYS_BEFORE, now),
        ),
    ),
    DeadlineRule(
        name="acknowledge_alerts",
        deadline=ACKNOWLEDGE,
        due="acknowledge_due_at",
        stamp="acknowledge_alerted_at",
        template=ALERT,
        due_reports=lambda reports, now: _not_acknowledged(reports).filter(acknowledge_due_at__lte=now),
    ),
    DeadlineRule(
        name="feedback_warnings",
        deadline=FEEDBACK,
        due="feedback_due_at",
        stamp="feedback_warned_at",
        template=WARNING,
        due_reports=lambda reports, now: _awaiting_feedback(reports).filter(
            feedback_due_at__gt=now,
            feedback_due_at__lte=_within(settings.INTEGRITY_FEEDBACK_WARN_DAYS_BEFORE, now),
        ),
    ),
    DeadlineRule(
        name="feedback_alerts",
        deadline=FEEDBACK,
        due="feedback_due_at",
        stamp="feedback_alerted_at",
        template=ALERT,
        due_reports=lambda reports, now: _awaiting_feedback(reports).filter(feedback_due_at__lte=now),
    ),
)


def _deadline_notify(*, report: MisstandReport, rule: DeadlineRule) -> None:
    # The board is told by number and date only; a board member the report names is not told.
    named = set(report.named_people.values_list("pk", flat=True))
    handlers = {person.pk: person for person in handlers_of(report)}
    board = {person.pk: person for person in board_members() if person.pk not in named and person.pk not in handlers}
    # A handler opens the report; the board its page of clocks (numbers and dates only).
    recipients = [(person, misstand_link(report)) for person in handlers.values()]
    recipients += [(person, reverse("integrity:board")) for person in board.values()]
    for person, link in recipients:
        notification_send(
            template=rule.template,
            recipient=person,
            context={
                "number": report.pk,
                "deadline": rule.deadline,
                "due": f"{timezone.localtime(getattr(report, rule.due)):%d-%m-%Y}",
            },
            link=link,
        )


def misstand_deadlines_check(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send each due warning and alert once; returns how many reports each rule concerned.

    Idempotent (beat may run it twice, a worker may redo it): the stamp is set in the transaction
    that writes the notifications, and only when it was still empty.
    """
    now = now or timezone.now()
    sent = {}
    for rule in RULES:
        sent[rule.name] = 0
        due = rule.due_reports(MisstandReport.objects.all(), now).filter(**{f"{rule.stamp}__isnull": True})
        for report in due.order_by("pk").iterator():
            with transaction.atomic():
                if not MisstandReport.objects.filter(pk=report.pk, **{f"{rule.stamp}__isnull": True}).update(
                    **{rule.stamp: now}
                ):
                    continue  # another run took it
                _deadline_notify(report=report, rule=rule)
                sent[rule.name] += 1
    if any(sent.values()):
        logger.info("Misstand deadlines: %s", sent)
    return sent

"""Intake: a report and its evidence, the case it opens, who is told; the reporter-handler thread."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import School, User
from common.refusals import ActionRefused
from notifications.constants import Channel
from notifications.services import notification_send
from policy.selectors import protocol_version_in_force_on

from .. import lifecycle
from ..access import case_recipient_for, recipient_is_reachable, recipients_for
from ..constants import CONFIDANT_RECIPIENTS, CaseState, MessageAuthor, MessageKind, Recipient, TimelineKind
from ..evidence import CheckedFile, evidence_file_name, evidence_remove, evidence_write
from ..models import Case, Evidence, Report, ReportMessage
from .case_file import case_leadership_named_check, case_link, case_timeline_add, case_transition
from .receipts import (
    DuplicateSubmission,
    receipt_code_digest,
    receipt_code_new,
    receipt_handover_store,
    submission_digest,
)

logger = logging.getLogger(__name__)


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
        stored_name = evidence_write(checked, key_id=case.data_key)
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
            link=case_link(report.case),
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
        data_key=report.case.data_key,
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
    recipient: str = Recipient.SCHOOL,
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

    ``recipient`` is whom the reporter chose (WPO art. 4c); a vertrouwenspersoon keeps the case to
    themselves (``Case.is_with_confidant``) until they hand it on. ActionRefused when nobody with a
    login holds the chosen role at the school today (the form says so before it gets here).
    """
    # WPO art. 4a: the board, whatever was chosen (the report keeps what the reporter chose).
    routed = case_recipient_for(category=category, chosen=recipient)
    if not recipient_is_reachable(school_id=school.pk, recipient=routed):
        raise ActionRefused(
            _("Op dit moment ontvangt niemand bij deze school meldingen als %(recipient)s. Kies een andere ontvanger.")
            % {"recipient": Recipient(recipient).label.lower()}
        )
    if is_anonymous:
        # Protocol A.9 lets anyone report; anonymous means nothing that identifies the reporter.
        reporter_name = reporter_email = reporter_phone = ""
        reporter_user = None
    code = receipt_code_new()
    written: list[str] = []
    try:
        with transaction.atomic():
            case = Case.objects.create(
                school=school,
                is_about_leadership=is_about_leadership,
                recipient=routed,
                is_with_confidant=routed in CONFIDANT_RECIPIENTS,
            )
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
                recipient=recipient,
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
            receipt_handover_store(submission_key=submission_key, code=code)
            _store_evidence(report=report, files=evidence, written=written)
            case_leadership_named_check(
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
    """The reporter answers or adds information (and files) through the receipt code.

    A case waiting for the reporter goes back to "onderzoek" (by the portal, on the timeline).
    """
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
            case_leadership_named_check(report=report, texts=[body], source={"message_id": message.pk})
            state = Case.objects.select_for_update().values_list("state", flat=True).get(pk=report.case_id)
            if state == CaseState.WAITING_FOR_REPORTER:
                # The answer the handler waited for is in: the case is under investigation again.
                case_transition(case=report.case, to_state=CaseState.INVESTIGATING, by=None, actor=lifecycle.SYSTEM)
            _tell_handlers(report=report, template="reports/email/reporter_reply")
    except BaseException:
        evidence_remove(written)
        raise
    return message


HANDLER_MESSAGE_KINDS = (MessageKind.MESSAGE, MessageKind.FEEDBACK)


def report_message_to_reporter(
    *, report: Report, handler: User, body: str, kind: str = MessageKind.MESSAGE, await_reply: bool = False
) -> ReportMessage:
    """A handler writes to the reporter; the reporter reads it with the receipt code.

    ``await_reply``: the handler asks something and waits for the answer, so the case goes to
    "wacht op de melder" in the same transaction (through case_transition, with its timeline
    entry), from whichever state reports/lifecycle.py allows it; a case waiting already stays so.
    Raises ActionRefused when the case cannot wait now (measures decided, closed): then nothing
    is sent.

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
        if await_reply:
            state = Case.objects.select_for_update().values_list("state", flat=True).get(pk=report.case_id)
            if state != CaseState.WAITING_FOR_REPORTER:
                case_transition(case=report.case, to_state=CaseState.WAITING_FOR_REPORTER, by=handler)
        _tell_reporter(report=report, template="reports/email/handler_reply")
    return message

"""Reports and case files: intake, receipt codes, the reporter–handler thread and the view audit."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import School, User
from notifications.constants import Channel
from notifications.services import notification_send
from policy.selectors import protocol_version_in_force_on

from .constants import MessageAuthor
from .evidence import CheckedFile, evidence_remove, evidence_write
from .models import Case, CaseView, Evidence, Report, ReportMessage
from .routing import recipients_for

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


def report_for_code(code: str) -> Report | None:
    normalised = receipt_code_normalise(code)
    if len(normalised) != RECEIPT_CODE_LENGTH:
        return None
    return Report.objects.select_related("case", "school").filter(receipt_code_digest=receipt_code_digest(code)).first()


def _store_evidence(*, report: Report, files: Sequence[CheckedFile], written: list[str], message=None) -> None:
    for checked in files:
        stored_name = evidence_write(checked)
        written.append(stored_name)
        Evidence.objects.create(
            report=report,
            message=message,
            kind=checked.kind,
            original_name=checked.original_name,
            stored_name=stored_name,
            content_type=checked.content_type,
            size=len(checked.content),
            sha256=checked.sha256,
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
    is stored). One transaction: the report and its notifications commit together, and the
    outbox delivers them even if the broker is down now. Raises DuplicateSubmission when this
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
                submission_key=submission_key,
            )
            _store_evidence(report=report, files=evidence, written=written)
            _tell_handlers(report=report, template="reports/email/new_report")
            _tell_reporter(report=report, template="reports/email/confirmation")
    except IntegrityError:
        evidence_remove(written)
        existing = Report.objects.filter(submission_key=submission_key).first()
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
            _store_evidence(report=report, files=evidence, written=written, message=message)
            _tell_handlers(report=report, template="reports/email/reporter_reply")
    except BaseException:
        evidence_remove(written)
        raise
    return message


def report_message_to_reporter(*, report: Report, handler: User, body: str) -> ReportMessage:
    """A handler writes to the reporter; the reporter reads it with the receipt code."""
    with transaction.atomic():
        message = ReportMessage.objects.create(report=report, author=MessageAuthor.HANDLER, handler=handler, body=body)
        _tell_reporter(report=report, template="reports/email/handler_reply")
    return message


def case_view_record(*, case: Case, viewer: User) -> CaseView:
    """Log one opening of the case file (who, when); append-only."""
    return CaseView.objects.create(case=case, viewer=viewer, viewed_at=timezone.now())

"""Receipt codes: made, stored as a keyed hash, handed to the thank-you page once, and looked up."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging

from django.conf import settings
from django.utils import timezone

# The code itself is common to both channels (reports and integrity); named here for reports' callers.
from common.receipt_codes import (  # noqa: F401
    receipt_code_digest,
    receipt_code_is_well_formed,
    receipt_code_new,
    receipt_code_normalise,
)

from ..models import ReceiptHandover, Report

logger = logging.getLogger(__name__)


class DuplicateSubmission(Exception):
    """The form was sent before (a double click): the first report stands."""

    def __init__(self, report: Report):
        super().__init__("duplicate submission")
        self.report = report


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


def receipt_handover_store(*, submission_key: str, code: str) -> None:
    """Keep ``code`` for the thank-you page, sealed with the form's key. Call in the report's transaction."""
    ReceiptHandover.objects.create(key_digest=_handover_digest(submission_key), sealed_code=_seal(code, submission_key))


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
    if not receipt_code_is_well_formed(code):
        return None
    return Report.objects.select_related("case", "school").filter(receipt_code_digest=receipt_code_digest(code)).first()

"""Demo data of the staff channel: the regeling in force, two officers (one external), one report.

Idempotent: a second run changes nothing. The demo report has a fixed, printed follow-up code so
the follow-up page can be tried; real codes are random and never known to the server. A second
report, closed almost two years ago, goes within the month under the retention term.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, DemoLogin
from accounts.models import User
from common.receipt_codes import receipt_code_digest
from policy import selectors as policy_selectors
from policy import services as policy_services
from policy.constants import Document

from . import services
from .constants import State
from .models import IntegrityOfficer, MisstandReport

DEMO_CODE = "DEM0-0000-0000-0000-0101"
DEMO_KEY = "demo-misstand-1"
CLOSED_KEY = "demo-misstand-closed"
EXTERNAL_EMAIL = "integriteit@extern.demo.skow.nl"


def _regulation(board: User, council: User) -> None:
    """The regeling through the protocol's steps: draft, (G)MR consent, adoption (WMS art. 10)."""
    if policy_selectors.protocol_versions_public(document=Document.WHISTLEBLOWING).exists():
        return
    draft = policy_services.protocol_draft_create(
        by=board,
        change_note="Eerste regeling voor het melden van een misstand (demo).",
        document=Document.WHISTLEBLOWING,
    )
    policy_services.protocol_version_submit(version=draft, by=board)
    today = timezone.localdate()
    policy_services.protocol_version_council_consent(
        version=draft, by=council, decided_on=today, minutes_reference="Notulen GMR (demo)"
    )
    policy_services.protocol_version_adopt(version=draft, by=board, adopted_on=today, effective_from=today)


def _closed_report() -> None:
    """A report closed almost two years ago: Beheer › Bewaartermijnen shows it going within the month."""
    if MisstandReport.objects.filter(submission_digest=services._submission_digest(CLOSED_KEY)).exists():
        return
    now = timezone.now()
    report, _code = services.misstand_submit(
        description="Declaraties van een externe partij werden dubbel uitbetaald (demo, afgesloten).",
        submission_key=CLOSED_KEY,
        now=now - datetime.timedelta(days=820),
    )
    MisstandReport.objects.filter(pk=report.pk).update(
        state=State.CLOSED,
        acknowledged_at=now - datetime.timedelta(days=816),
        feedback_given_at=now - datetime.timedelta(days=760),
        closed_at=now - datetime.timedelta(days=720),
    )


def seed() -> list:
    board = User.objects.filter(email="bestuur@demo.skow.nl").first()
    council = User.objects.filter(email="gmr@demo.skow.nl").first()
    teacher = User.objects.filter(email="leerkracht@demo.skow.nl").first()
    if board is None or council is None or teacher is None:
        return []
    _regulation(board, council)
    external, created = User.objects.get_or_create(
        email=EXTERNAL_EMAIL, defaults={"first_name": "Noor", "last_name": "Hendriks"}
    )
    if created:
        external.set_password(DEMO_PASSWORD)
        external.save()
    for person, is_external in ((teacher, False), (external, True)):
        if not IntegrityOfficer.objects.active().filter(user=person).exists():
            services.integrity_officer_designate(user=person, by=board, is_external=is_external)
    digest = receipt_code_digest(DEMO_CODE, purpose=services.RECEIPT_PURPOSE)
    if not MisstandReport.objects.filter(receipt_code_digest=digest).exists():
        report, _code = services.misstand_submit(
            description=(
                "Bij de aanbesteding van het schoolplein lijkt een bevriend bedrijf steeds voorrang te krijgen."
            ),
            submission_key=DEMO_KEY,
            now=timezone.now() - datetime.timedelta(days=5),
        )
        MisstandReport.objects.filter(pk=report.pk).update(receipt_code_digest=digest)
    _closed_report()
    return [
        DemoLogin("integrity_officer_external", EXTERNAL_EMAIL, DEMO_PASSWORD, "-"),
        DemoLogin("misstand-code", "/integrity/follow/", DEMO_CODE, "-"),
    ]

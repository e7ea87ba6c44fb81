"""Demo data of recordings: the demo teacher's group has a permission in force and one that ended,
and a report about recording in class on a day a permission covered. Idempotent."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.demo import DemoLogin
from accounts.models import Group, User, current_school_year
from reports.constants import Category, Platform, ReporterRole
from reports.models import Report
from reports.services import report_submit, submission_digest

from .constants import RecordingKind
from .models import RecordingPermission

DEMO_TEACHER = "leerkracht@demo.skow.nl"
DEMO_REPORT_KEY = "demo-recording-report"


@transaction.atomic
def seed() -> list[DemoLogin]:
    teacher = User.objects.filter(email=DEMO_TEACHER).first()
    group = Group.objects.filter(teachers=teacher, school_year=current_school_year()).first() if teacher else None
    if group is None or group.recording_permissions.exists():
        return []
    today = timezone.localdate()
    RecordingPermission.objects.create(
        group=group,
        kind=RecordingKind.VIDEO,
        lesson="Spreekbeurten",
        recorded_by="De leerkracht",
        purpose="Spreekbeurten filmen om ze samen in de klas terug te kijken; niet delen.",
        valid_from=today - datetime.timedelta(days=3),
        valid_until=today + datetime.timedelta(days=11),
        granted_by=teacher,
    )
    RecordingPermission.objects.create(
        group=group,
        kind=RecordingKind.REMOTE_LESSON,
        recorded_by="De leerkracht",
        purpose="Les op afstand opnemen voor zieke leerlingen; alleen in de klassenomgeving.",
        valid_from=today - datetime.timedelta(days=40),
        valid_until=today - datetime.timedelta(days=30),
        granted_by=teacher,
    )
    if not Report.objects.filter(submission_digest=submission_digest(DEMO_REPORT_KEY)).exists():
        report_submit(
            school=group.school,
            category=Category.RECORDING_LESSONS,
            platform=Platform.TIKTOK,
            happened_on=today - datetime.timedelta(days=1),
            description="Een filmpje van de spreekbeurten van groep 5a staat op TikTok.",
            reporter_role=ReporterRole.PARENT,
            is_anonymous=True,
            submission_key=DEMO_REPORT_KEY,
        )
    return []

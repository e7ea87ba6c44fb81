"""Demo data of the reports app: two reports with their cases at the demo school.

Idempotent: a second run changes nothing. Each demo report gets a fixed, printed receipt code so
the follow-up page can be tried; real codes are random and never known to the server.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.demo import DemoLogin
from accounts.models import School, User

from .constants import CaseState, Category, MessageKind, Platform, Recipient, ReporterRole, TimelineKind
from .models import Report
from .services import (
    case_entry_add,
    case_open,
    case_transition,
    receipt_code_digest,
    report_message_to_reporter,
    report_submit,
    submission_digest,
)

DEMO_REPORTS = [
    {
        "key": "demo-report-1",
        "code": "DEM0-0000-0000-0000-0001",
        "category": Category.BULLYING,
        "platform": Platform.SNAPCHAT,
        "days_ago": 3,
        "description": "In een Snapchat-groep van groep 8 worden steeds gemene foto's van een klasgenoot gedeeld.",
        "involved_roles": ["pupil"],
        "reporter_role": ReporterRole.PUPIL,
        "is_anonymous": True,
        "reply": "Dank je wel voor je melding. We gaan met de groep in gesprek. Wil je laten weten of het stopt?",
    },
    {
        "key": "demo-report-2",
        "code": "DEM0-0000-0000-0000-0002",
        "category": Category.ARGUING_ONLINE,
        "platform": Platform.FACEBOOK,
        "days_ago": 1,
        "description": "Een leerkracht reageert fel op ouders in de Facebookgroep van de ouderraad.",
        "involved_roles": ["staff", "parent"],
        "reporter_role": ReporterRole.PARENT,
        "is_anonymous": False,
        "reporter_name": "Karin Bakker",
        "reporter_email": "ouder@demo.skow.nl",
    },
    {
        # A worry sent to the vertrouwenspersoon (WPO art. 4c): hers alone; the director sees nothing.
        "key": "demo-report-3",
        "code": "DEM0-0000-0000-0000-0003",
        "category": Category.OTHERWISE_DAMAGING,
        "platform": Platform.WHATSAPP,
        "days_ago": 2,
        "description": "Ik maak me zorgen over hoe een leerkracht in de klassenapp over mijn kind schrijft.",
        "involved_roles": ["staff", "pupil"],
        "reporter_role": ReporterRole.PARENT,
        "is_anonymous": True,
        "recipient": Recipient.INTERNAL_CONFIDANT,
    },
]


@transaction.atomic
def seed() -> list[DemoLogin]:
    school = School.objects.filter(brin="01AB").first()
    if school is None:
        return []
    handler = User.objects.filter(role_assignments__role="school_leader", role_assignments__school=school).first()
    logins = []
    for item in DEMO_REPORTS:
        if not Report.objects.filter(submission_digest=submission_digest(item["key"])).exists():
            report, _code = report_submit(
                school=school,
                category=item["category"],
                platform=item["platform"],
                happened_on=timezone.localdate() - datetime.timedelta(days=item["days_ago"]),
                description=item["description"],
                involved_roles=item["involved_roles"],
                recipient=item.get("recipient", Recipient.SCHOOL),
                reporter_role=item["reporter_role"],
                is_anonymous=item["is_anonymous"],
                reporter_name=item.get("reporter_name", ""),
                reporter_email=item.get("reporter_email", ""),
                reporter_user=User.objects.filter(email=item.get("reporter_email", "-")).first(),
                submission_key=item["key"],
            )
            Report.objects.filter(pk=report.pk).update(receipt_code_digest=receipt_code_digest(item["code"]))
            if item.get("reply") and handler is not None:
                # A case in hand: opened (acknowledged), investigated, a conversation held, a reply sent.
                case_open(case=report.case, viewer=handler)
                case_transition(case=report.case, to_state=CaseState.INVESTIGATING, by=handler)
                case_entry_add(
                    case=report.case,
                    author=handler,
                    kind=TimelineKind.CONVERSATION,
                    with_whom="Mentor van de groep",
                    summary="De mentor bespreekt de groepsapp morgen met de klas.",
                )
                # What is done with the report: the feedback the reporter is owed.
                report_message_to_reporter(
                    report=report, handler=handler, body=item["reply"], kind=MessageKind.FEEDBACK
                )
        logins.append(DemoLogin("receipt-code", "/report/follow/", item["code"], "-"))
    return logins

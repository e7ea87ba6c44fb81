from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from accounts.tests.factories import SchoolFactory
from reports.access import case_recipient_for
from reports.constants import CONFIDANT_RECIPIENTS, Category, Platform, Recipient, ReporterRole
from reports.models import Case, Report
from reports.services import receipt_code_digest
from reports.services import submission_digest as submission_digest_of


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    school = factory.SubFactory(SchoolFactory)

    class Params:
        about_leadership = factory.Trait(is_about_leadership=True)


class ReportFactory(factory.django.DjangoModelFactory):
    """A report with its own case; ``ReportFactory(code="...")`` sets the receipt code."""

    class Meta:
        model = Report
        exclude = ["code"]

    code = factory.Sequence(lambda n: f"TEST-CODE-{n:04d}-0000-0000")
    school = factory.SubFactory(SchoolFactory)
    case = factory.SubFactory(
        CaseFactory,
        school=factory.SelfAttribute("..school"),
        is_about_leadership=factory.SelfAttribute("..is_about_leadership"),
        # WPO art. 4a: such a report's case is the board's whatever was chosen (access.case_recipient_for).
        recipient=factory.LazyAttribute(
            lambda case: case_recipient_for(category=case.factory_parent.category, chosen=case.factory_parent.recipient)
        ),
        # Sent to a vertrouwenspersoon: theirs alone until handed on (reports/access.py).
        is_with_confidant=factory.LazyAttribute(lambda case: case.recipient in CONFIDANT_RECIPIENTS),
    )
    recipient = Recipient.SCHOOL
    category = Category.BULLYING
    platform = Platform.WHATSAPP
    happened_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=2))
    description = "In de klassenapp worden steeds gemene berichten over een leerling gestuurd."
    involved_roles = factory.LazyFunction(lambda: ["pupil"])
    reporter_role = ReporterRole.PARENT
    is_anonymous = False
    reporter_name = "Karin Bakker"
    reporter_email = "melder@example.nl"
    receipt_code_digest = factory.LazyAttribute(lambda o: receipt_code_digest(o.code))
    submission_digest = factory.Sequence(lambda n: submission_digest_of(f"key-{n}"))
    is_about_leadership = False

    class Params:
        anonymous = factory.Trait(is_anonymous=True, reporter_name="", reporter_email="", reporter_role="pupil")
        about_leadership = factory.Trait(is_about_leadership=True)


def report_form_data(school, **overrides) -> dict:
    """What the intake form sends for an anonymous pupil's report about bullying (as a browser posts it)."""
    import secrets

    data = {
        "school": school.pk,
        "category": "bullying",
        "platform": "whatsapp",
        "happened_on": "2026-11-20",
        "description": "Noor wordt uitgescholden in de groepsapp van groep 7.",
        "involved_roles": ["pupil"],
        "reporter_role": "pupil",
        "is_anonymous": "on",
        "website": "",
        "submission_key": secrets.token_urlsafe(24),
    }
    data.update(overrides)
    return data

"""`make run`'s demo shows recording permissions and a question to one's leader; twice changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from consultations.models import Consultation, ConsultationMessage
from recordings.models import RecordingPermission
from recordings.selectors import case_permission_answer
from reports.constants import Category
from reports.models import Case

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_permission_in_force_a_report_it_covers_and_an_answered_question(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    assert RecordingPermission.objects.count() == 2
    case = Case.objects.get(reports__category=Category.RECORDING_LESSONS)
    answer = case_permission_answer(case=case)
    assert answer.days[0].covering, "the demo report falls on a day a permission covered"
    consultation = Consultation.objects.get()
    assert ConsultationMessage.objects.filter(consultation=consultation).count() == 2

"""What sanctions clears when reports anonymises a case after its retention period.

Registered in ``SanctionsConfig.ready()`` (reports/extensions.py); reports calls it inside its own
transaction, with the case row locked, and removes whom the case was about (``CasePerson``) itself.
AVG art. 5(1)(e): people and free text go; kinds, states and dates stay so the board's statistics
still count them. The one place where written-once rows change (``update``).
"""

from __future__ import annotations

from django.utils import timezone

from reports.models import Case

from .models import Escalation, Measure, SafeHomeStatusChange, SafeHomeStepRecord, SeriousIncident, StaffConductFinding


def case_anonymise_sanctions(case: Case) -> None:
    now = timezone.now()
    Measure.objects.filter(case=case).update(
        staff_member=None, pupil=None, parent=None, reason="", decision_note="", anonymised_at=now
    )
    StaffConductFinding.objects.filter(case=case).update(reason="")
    Escalation.objects.filter(case=case).update(pupil=None, contact_by="", notes="", reference="")
    SafeHomeStepRecord.objects.filter(escalation__case=case).update(notes="")
    # The ernstig-incident flag keeps its kinds and dates for the yearly overview; the board's note goes.
    SeriousIncident.objects.filter(case=case).update(decision_note="")
    SafeHomeStatusChange.objects.filter(escalation__case=case).update(reason="")

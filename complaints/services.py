"""The complaints track owns complaints: filing, their steps, the committee's advice and the board's decision."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import School, User
from common.refusals import ActionRefused
from notifications.services import notification_send

from .access import check_handles, decision_recipients, may_decide, may_file_complaint
from .constants import COMPLAINT_TERM_DAYS, DECISION_TERM_DAYS, INFORMAL_STEPS, Step
from .models import Complaint, ComplaintEntry
from .selectors import complaint_handlers

logger = logging.getLogger(__name__)


def complaint_link(complaint: Complaint) -> str:
    return reverse("complaints:detail", kwargs={"pk": complaint.pk})


def is_after_the_term(event_on: datetime.date, *, today: datetime.date | None = None) -> bool:
    """More than a year after the event: still taken in, with a warning (klachtenregeling)."""
    today = today or timezone.localdate()
    return event_on < today - datetime.timedelta(days=COMPLAINT_TERM_DAYS)


def _entry(complaint: Complaint, step: str, by: User | None, note: str = "") -> ComplaintEntry:
    return ComplaintEntry.objects.create(complaint=complaint, step=step, by=by, note=note, at=timezone.now())


def complaint_file(
    *,
    complainant: User,
    school: School,
    subject: str,
    description: str,
    event_on: datetime.date,
    is_about_leadership: bool = False,
) -> Complaint:
    """File a complaint; its handlers are told that there is one (no content)."""
    if not may_file_complaint(complainant):
        raise ActionRefused(_("Log in om een klacht in te dienen."))
    if event_on > timezone.localdate():
        raise ValidationError({"event_on": _("De datum van de gebeurtenis kan niet in de toekomst liggen.")})
    with transaction.atomic():
        complaint = Complaint.objects.create(
            complainant=complainant,
            school=school,
            subject=subject.strip(),
            description=description.strip(),
            event_on=event_on,
            is_about_leadership=is_about_leadership,
            filed_at=timezone.now(),
            filed_after_a_year=is_after_the_term(event_on),
        )
        _entry(complaint, Step.RECEIVED, complainant)
        for handler in complaint_handlers(complaint):
            notification_send(
                template="complaints/email/new_complaint",
                recipient=handler,
                context={"number": complaint.pk, "school_name": school.name},
                link=complaint_link(complaint),
            )
    return complaint


def _locked(complaint: Complaint, by: User) -> Complaint:
    check_handles(by, complaint)
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def complaint_step(
    *, complaint: Complaint, by: User, to_step: str, note: str = "", on: datetime.date | None = None
) -> Complaint:
    """Move a complaint on through the informal steps (to any later one), or mark it resolved.

    ``on`` is the day it went to the Landelijke Klachtencommissie (for that step).
    """
    with transaction.atomic():
        complaint = _locked(complaint, by)
        if complaint.step not in INFORMAL_STEPS:
            raise ActionRefused(_("Deze klacht ligt al bij het bestuur voor een besluit of is afgerond."))
        if to_step == Step.RESOLVED:
            if complaint.step == Step.COMMITTEE:
                raise ActionRefused(_("De commissie behandelt deze klacht; leg eerst haar advies vast."))
        elif to_step not in INFORMAL_STEPS or INFORMAL_STEPS.index(to_step) <= INFORMAL_STEPS.index(complaint.step):
            raise ActionRefused(_("Een klacht gaat alleen door naar een volgende stap."))
        if to_step == Step.COMMITTEE:
            on = on or timezone.localdate()
            if on > timezone.localdate():
                raise ValidationError({"on": _("Deze datum kan niet in de toekomst liggen.")})
            complaint.committee_on = on
        complaint.step = to_step
        complaint.save(update_fields=["step", "committee_on"])
        _entry(complaint, to_step, by, note.strip())
    return complaint


def complaint_record_advice(*, complaint: Complaint, by: User, advice_on: datetime.date) -> Complaint:
    """The committee's advice came in: the board's four weeks start (klachtenregeling)."""
    if not may_decide(by):
        raise ActionRefused(_("Alleen het bestuur legt het advies van de commissie en het besluit vast."))
    if advice_on > timezone.localdate():
        raise ValidationError({"advice_on": _("Deze datum kan niet in de toekomst liggen.")})
    with transaction.atomic():
        complaint = _locked(complaint, by)
        if complaint.step != Step.COMMITTEE:
            raise ActionRefused(_("Leg eerst vast dat de klacht bij de commissie ligt."))
        if complaint.committee_on and advice_on < complaint.committee_on:
            raise ValidationError({"advice_on": _("Het advies kan niet van vóór de indiening bij de commissie zijn.")})
        complaint.step = Step.ADVISED
        complaint.advice_on = advice_on
        complaint.decision_due_on = advice_on + datetime.timedelta(days=DECISION_TERM_DAYS)
        complaint.save(update_fields=["step", "advice_on", "decision_due_on"])
        _entry(complaint, Step.ADVISED, by)
    return complaint


def complaint_decide(*, complaint: Complaint, by: User, decided_on: datetime.date, decision: str) -> Complaint:
    """The board's decision on the advice; the complainant is told there is one (no content)."""
    if not may_decide(by):
        raise ActionRefused(_("Alleen het bestuur legt het advies van de commissie en het besluit vast."))
    if not decision.strip():
        raise ValidationError({"decision": _("Beschrijf het besluit.")})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("Deze datum kan niet in de toekomst liggen.")})
    with transaction.atomic():
        complaint = _locked(complaint, by)
        if complaint.step != Step.ADVISED:
            raise ActionRefused(_("Leg eerst het advies van de commissie vast."))
        if decided_on < complaint.advice_on:
            raise ValidationError({"decided_on": _("Het besluit kan niet van vóór het advies zijn.")})
        complaint.step = Step.DECIDED
        complaint.decided_on = decided_on
        complaint.decision = decision.strip()
        complaint.save(update_fields=["step", "decided_on", "decision"])
        _entry(complaint, Step.DECIDED, by)
        notification_send(
            template="complaints/email/decided",
            recipient=complaint.complainant,
            context={"number": complaint.pk},
            link=complaint_link(complaint),
        )
    return complaint


REMINDER, ALERT = "complaints/email/decision_reminder", "complaints/email/decision_alert"


def complaint_deadlines_check(*, today: datetime.date | None = None) -> dict[str, int]:
    """Remind the board before the four weeks after the advice end, and alert once they have.

    Idempotent (beat may run it twice): each stamp is set in the transaction that writes the
    notifications, and only while it was still empty.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    awaiting = Complaint.objects.filter(step=Step.ADVISED)
    rules = (
        (
            "reminders",
            "decision_reminded_at",
            REMINDER,
            awaiting.filter(
                decision_due_on__gte=today,
                decision_due_on__lte=today + datetime.timedelta(days=settings.COMPLAINT_DECISION_REMIND_DAYS_BEFORE),
            ),
        ),
        ("alerts", "decision_alerted_at", ALERT, awaiting.filter(decision_due_on__lt=today)),
    )
    sent = {}
    for name, stamp, template, due in rules:
        sent[name] = 0
        for complaint in due.filter(**{f"{stamp}__isnull": True}).order_by("pk").iterator():
            with transaction.atomic():
                if not Complaint.objects.filter(pk=complaint.pk, **{f"{stamp}__isnull": True}).update(**{stamp: now}):
                    continue
                for person in decision_recipients():
                    notification_send(
                        template=template,
                        recipient=person,
                        context={"number": complaint.pk, "due": f"{complaint.decision_due_on:%d-%m-%Y}"},
                        link=complaint_link(complaint),
                    )
                sent[name] += 1
    if any(sent.values()):
        logger.info("Complaint deadlines: %s", sent)
    return sent

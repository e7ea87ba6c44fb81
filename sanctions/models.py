"""Measures about people and escalations to outside authorities. Who a case is about
(``CasePerson``) is reports'."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.models import ONE_PERSON, AboutPerson, AppendOnly

from .constants import Assessment, EscalationKind, MeasureKind, MeasureStatus, MeldcodeReminderKind, SafeHomeStep

NOBODY = Q(staff_member__isnull=True, pupil__isnull=True, parent__isnull=True)


class Measure(AboutPerson):
    """A measure about one person in one case; a heavy one is in effect only after board approval.

    Only the approval fields change after creation (``measure_approve`` / ``measure_refuse``);
    every step is also written to the case timeline.
    """

    case = models.ForeignKey(
        "reports.Case", on_delete=models.PROTECT, related_name="measures", verbose_name=_("dossier")
    )
    kind = models.CharField(_("maatregel"), max_length=24, choices=MeasureKind.choices)
    reason = models.TextField(_("reden"))
    decided_on = models.DateField(_("datum"))
    starts_on = models.DateField(_("van"), null=True, blank=True)
    ends_on = models.DateField(_("tot en met"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=MeasureStatus.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("vastgelegd door")
    )
    proposed_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    # The board member who approved or refused a heavy measure: never the proposer.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    decision_note = models.TextField(_("toelichting bij het besluit"), blank=True)
    # Set when the case is anonymised after its retention period: the person and the texts are gone,
    # what was decided and when stays for the statistics.
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("maatregel")
        verbose_name_plural = _("maatregelen")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=ONE_PERSON | (Q(anonymised_at__isnull=False) & NOBODY),
                name="measure_one_person_of_its_kind",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                name="measure_decided_by_a_second_person",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="measure_period_in_order",
            ),
        ]
        indexes = [models.Index(fields=["status", "proposed_at"], name="measure_status_proposed")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person_name}"

    @property
    def is_in_effect(self) -> bool:
        return self.status == MeasureStatus.IN_EFFECT

    @property
    def awaits_approval(self) -> bool:
        return self.status == MeasureStatus.PROPOSED


class StaffConductFinding(AppendOnly):
    """Sancties 3: whether the SKOW qualifies a staff member's communication as boundary-crossing.

    The newest row counts; a changed judgement is a new row.
    """

    case = models.ForeignKey(
        "reports.Case", on_delete=models.PROTECT, related_name="conduct_findings", verbose_name=_("dossier")
    )
    is_boundary_crossing = models.BooleanField(_("grensoverschrijdend"))
    reason = models.TextField(_("onderbouwing"))
    found_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    found_at = models.DateTimeField(_("vastgesteld op"), default=timezone.now)

    class Meta:
        verbose_name = _("oordeel over communicatie van een medewerker")
        verbose_name_plural = _("oordelen over communicatie van medewerkers")
        ordering = ["-found_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.is_boundary_crossing}"


class Escalation(AppendOnly):
    """A call to the Vertrouwensinspecteur, a police report, or a meldcode referral (Veilig Thuis).

    A meldcode is a record per pupil: it starts in a case, or without one when a teacher signals
    (step 1) and the aandachtsfunctionaris takes it up; only a meldcode may be without a case.
    """

    case = models.ForeignKey(
        "reports.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations",
        verbose_name=_("dossier"),
    )
    kind = models.CharField(_("soort"), max_length=24, choices=EscalationKind.choices)
    happened_on = models.DateField(_("datum"))
    happened_at = models.TimeField(_("tijd"), null=True, blank=True)
    # Who called the inspector or filed the report; free text, it may be someone without a login.
    contact_by = models.CharField(_("door"), max_length=200, blank=True)
    notes = models.TextField(_("advies of toelichting"), blank=True)
    reference = models.CharField(_("kenmerk"), max_length=100, blank=True)
    # WPO art. 4a: whom the board spoke to at the inspectorate and what they concluded together.
    inspector_name = models.CharField(_("naam van de vertrouwensinspecteur"), max_length=200, blank=True)
    has_reasonable_suspicion = models.BooleanField(_("redelijk vermoeden"), null=True, blank=True)
    # A police report under WPO art. 4a names the police unit that took it.
    police_unit = models.CharField(_("politie-eenheid"), max_length=200, blank=True)
    pupil = models.ForeignKey(
        "accounts.Pupil", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("leerling")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("escalatie")
        verbose_name_plural = _("escalaties")
        ordering = ["happened_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=EscalationKind.INSPECTOR_CALL) | Q(happened_at__isnull=False),
                name="escalation_inspector_call_has_a_time",
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(kind=EscalationKind.SAFE_HOME_REFERRAL, pupil__isnull=False),
                name="escalation_without_case_is_a_meldcode_about_a_pupil",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.happened_on:%d-%m-%Y})"


class SafeHomeStepRecord(AppendOnly):
    """One step of the meldcode, done on a date, with notes; steps follow in order."""

    escalation = models.ForeignKey(Escalation, on_delete=models.PROTECT, related_name="steps")
    step = models.PositiveSmallIntegerField(_("stap"), choices=SafeHomeStep.choices)
    done_on = models.DateField(_("datum"))
    notes = models.TextField(_("aantekeningen"))
    # Step 5 only: the decision (report to Veilig Thuis and/or offer help).
    reported_to_safe_home = models.BooleanField(_("gemeld bij Veilig Thuis"), default=False)
    help_offered = models.BooleanField(_("hulp geboden of georganiseerd"), default=False)
    # Steps 4 and 5: the afwegingskader's questions. Acute or structural unsafety (or doubt about it),
    # or help that is not possible, not accepted or not enough (or doubt), makes the melding required.
    unsafety = models.CharField(
        _("acute of structurele onveiligheid"), max_length=8, choices=Assessment.choices, blank=True
    )
    help_feasible = models.CharField(
        _("hulp mogelijk, geaccepteerd en leidend tot veiligheid"), max_length=8, choices=Assessment.choices, blank=True
    )
    # Step 5 with help: when the help is evaluated (a reminder goes out that day).
    help_evaluation_on = models.DateField(_("evaluatie van de hulp op"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("stap van de meldcode")
        verbose_name_plural = _("stappen van de meldcode")
        ordering = ["step", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["escalation", "step"], name="safe_home_step_once"),
            models.CheckConstraint(
                condition=~Q(step=SafeHomeStep.DECIDE) | Q(reported_to_safe_home=True) | Q(help_offered=True),
                name="safe_home_decision_names_an_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.get_step_display()


class SafeHomeStatusChange(AppendOnly):
    """A meldcode closed at any step with a reason, or reopened with one; the newest row counts."""

    escalation = models.ForeignKey(Escalation, on_delete=models.PROTECT, related_name="status_changes")
    is_closed = models.BooleanField(_("gesloten"))
    reason = models.TextField(_("reden"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("sluiten of heropenen van de meldcode")
        verbose_name_plural = _("sluiten en heropenen van de meldcode")
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.escalation_id}: {self.is_closed}"


class MeldcodeReminder(AppendOnly):
    """A reminder sent once for a meldcode: Veilig Thuis's feedback, or the help's evaluation date."""

    escalation = models.ForeignKey(Escalation, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(max_length=24, choices=MeldcodeReminderKind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("herinnering bij de meldcode")
        verbose_name_plural = _("herinneringen bij de meldcode")
        constraints = [
            models.UniqueConstraint(fields=["escalation", "kind", "due_on"], name="meldcode_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.due_on})"

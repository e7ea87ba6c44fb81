"""Measures about people and escalations to outside authorities. Who a case is about
(``CasePerson``) is reports'."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.vault import SealedModel, SealedTextField, data_key_create
from reports.models import ONE_PERSON, AboutPerson, AppendOnly

from .constants import (
    HEAVY_MEASURES,
    Assessment,
    EscalationKind,
    InspectieDecision,
    MeasureKind,
    MeasureStatus,
    MeldcodeReminderKind,
    SafeHomeStep,
    SeriousIncidentKind,
)

NOBODY = Q(staff_member__isnull=True, pupil__isnull=True, parent__isnull=True)


class Measure(SealedModel, AboutPerson):
    """A measure about one person in one case; a heavy one is in effect only after board approval.

    Only the approval fields change after creation (``measure_approve`` / ``measure_refuse``);
    every step is also written to the case timeline.
    """

    case = models.ForeignKey(
        "reports.Case", on_delete=models.PROTECT, related_name="measures", verbose_name=_("dossier")
    )
    kind = models.CharField(_("maatregel"), max_length=24, choices=MeasureKind.choices)
    reason = SealedTextField(_("reden"))
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
    decision_note = SealedTextField(_("toelichting bij het besluit"), blank=True)
    # Toelichting: the leader acts "in overleg met de directeur-bestuurder". For a light measure the
    # leader says whether and when the directeur-bestuurder was consulted; a heavy one records the
    # board's own decision above instead. Empty on heavy measures and on light ones recorded before
    # the portal asked.
    board_consulted = models.BooleanField(_("directeur-bestuurder geraadpleegd"), null=True, blank=True)
    board_consulted_on = models.DateField(_("overleg met de directeur-bestuurder op"), null=True, blank=True)
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
            # A consultation has a date, and only a consultation has one.
            models.CheckConstraint(
                condition=Q(board_consulted=True, board_consulted_on__isnull=False)
                | (~Q(board_consulted=True) & Q(board_consulted_on__isnull=True))
                | Q(board_consulted__isnull=True, board_consulted_on__isnull=True),
                name="measure_board_consulted_on_a_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "proposed_at"], name="measure_status_proposed")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person_name}"

    def sealing_key_id(self) -> str:
        return self.case.data_key

    @property
    def is_in_effect(self) -> bool:
        return self.status == MeasureStatus.IN_EFFECT

    @property
    def awaits_approval(self) -> bool:
        return self.status == MeasureStatus.PROPOSED

    @property
    def is_heavy(self) -> bool:
        """Needs the board's approval; a light one records whether the board was consulted instead."""
        return self.kind in HEAVY_MEASURES


class StaffConductFinding(SealedModel, AppendOnly):
    """Sancties 3: whether the SKOW qualifies a staff member's communication as boundary-crossing.

    The newest row counts; a changed judgement is a new row.
    """

    case = models.ForeignKey(
        "reports.Case", on_delete=models.PROTECT, related_name="conduct_findings", verbose_name=_("dossier")
    )
    is_boundary_crossing = models.BooleanField(_("grensoverschrijdend"))
    reason = SealedTextField(_("onderbouwing"))
    found_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    found_at = models.DateTimeField(_("vastgesteld op"), default=timezone.now)

    class Meta:
        verbose_name = _("oordeel over communicatie van een medewerker")
        verbose_name_plural = _("oordelen over communicatie van medewerkers")
        ordering = ["-found_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.is_boundary_crossing}"

    def sealing_key_id(self) -> str:
        return self.case.data_key


class Escalation(SealedModel, AppendOnly):
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
    contact_by = SealedTextField(_("door"), blank=True)
    notes = SealedTextField(_("advies of toelichting"), blank=True)
    reference = SealedTextField(_("kenmerk"), blank=True)
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
    # A meldcode without a case seals its texts with a data key of its own (common/vault.py); one in a
    # case uses the case's key.
    data_key = models.CharField(max_length=32, blank=True, editable=False)

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

    def save(self, *args, **kwargs):
        if self._state.adding and self.case_id is None and not self.data_key:
            self.data_key = data_key_create()
        super().save(*args, **kwargs)

    def sealing_key_id(self) -> str:
        return self.case.data_key if self.case_id else self.data_key


class SafeHomeStepRecord(SealedModel, AppendOnly):
    """One step of the meldcode, done on a date, with notes; steps follow in order."""

    escalation = models.ForeignKey(Escalation, on_delete=models.PROTECT, related_name="steps")
    step = models.PositiveSmallIntegerField(_("stap"), choices=SafeHomeStep.choices)
    done_on = models.DateField(_("datum"))
    notes = SealedTextField(_("aantekeningen"))
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

    def sealing_key_id(self) -> str:
        return self.escalation.sealing_key_id()


class SeriousIncident(SealedModel):
    """A case flagged as an "ernstig incident": the board's task "melding Inspectie overwegen".

    Only when settings.SERIOUS_INCIDENT_TASKS is on (off until the law requires it). The task is
    open until a board member records whether the Inspectie was told; the case summary the board
    reads is made from the case's kinds and dates, never from names or typed text (no field here
    holds either, apart from the board's own note on its decision).
    """

    case = models.OneToOneField(
        "reports.Case", on_delete=models.PROTECT, related_name="serious_incident", verbose_name=_("dossier")
    )
    kinds = models.JSONField(_("soort ernstig incident"), default=list)
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    flagged_at = models.DateTimeField(_("gemarkeerd op"), default=timezone.now)
    due_on = models.DateField(_("uiterlijk overwogen op"))
    decision = models.CharField(_("besluit"), max_length=16, choices=InspectieDecision.choices, blank=True)
    decided_on = models.DateField(_("datum besluit"), null=True, blank=True)
    decision_note = SealedTextField(_("toelichting bij het besluit"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("ernstig incident")
        verbose_name_plural = _("ernstige incidenten")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="", decided_on__isnull=True, decided_by__isnull=True)
                | (~Q(decision="") & Q(decided_on__isnull=False, decided_by__isnull=False)),
                name="serious_incident_decision_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {', '.join(self.kinds)}"

    @property
    def is_open(self) -> bool:
        return not self.decision

    def sealing_key_id(self) -> str:
        return self.case.data_key

    def kind_labels(self) -> list[str]:
        labels = dict(SeriousIncidentKind.choices)
        return [str(labels[kind]) for kind in self.kinds if kind in labels]


class SafetyEvaluation(models.Model):
    """A school's yearly *evaluatie* of social safety (Inspectie, standard VS1): that the monitor of
    pupils' sense of safety ran (the school's own validated instrument, not this portal), what the
    school concluded and did, and the protocol version the board adopted because of it, if any.

    One per school and school year (1 August - 31 July, ``school_year`` is the starting year); the
    school's leadership or the board writes and corrects it.
    """

    school = models.ForeignKey(
        "accounts.School", on_delete=models.PROTECT, related_name="safety_evaluations", verbose_name=_("school")
    )
    school_year = models.PositiveSmallIntegerField(_("schooljaar"))
    monitor_instrument = models.CharField(_("instrument van de monitor"), max_length=200)
    monitor_held_on = models.DateField(_("datum van de monitor"))
    monitor_delivered = models.BooleanField(_("resultaten aangeleverd"), default=False)
    conclusions = models.TextField(_("conclusies"))
    measures_taken = models.TextField(_("genomen maatregelen"), blank=True)
    protocol_version = models.ForeignKey(
        "policy.ProtocolVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("protocolversie die het bestuur daarop vaststelde"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("jaarlijkse evaluatie")
        verbose_name_plural = _("jaarlijkse evaluaties")
        ordering = ["-school_year", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year"], name="safety_evaluation_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.school_year}-{self.school_year + 1}"


class SafeHomeStatusChange(SealedModel, AppendOnly):
    """A meldcode closed at any step with a reason, or reopened with one; the newest row counts."""

    escalation = models.ForeignKey(Escalation, on_delete=models.PROTECT, related_name="status_changes")
    is_closed = models.BooleanField(_("gesloten"))
    reason = SealedTextField(_("reden"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("sluiten of heropenen van de meldcode")
        verbose_name_plural = _("sluiten en heropenen van de meldcode")
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.escalation_id}: {self.is_closed}"

    def sealing_key_id(self) -> str:
        return self.escalation.sealing_key_id()


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

"""Integrity officers, misstand reports from staff, and each report's append-only file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.vault import SealedModel, SealedTextField, data_key_create

from .constants import EntryKind, Intake, State


class IntegrityOfficerQuerySet(models.QuerySet):
    def active(self) -> IntegrityOfficerQuerySet:
        return self.filter(ended_on__isnull=True, user__is_active=True)


class IntegrityOfficer(models.Model):
    """A person the board designated to receive and handle misstand reports (Wbk art. 2 lid 1 sub b).

    One may be external (an adviser outside the schools): then ``is_external``. The designation ends,
    it is never deleted: who handled a report stays known.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="integrity_designations",
        verbose_name=_("persoon"),
    )
    is_external = models.BooleanField(_("extern"), default=False)
    designated_on = models.DateField(_("aangewezen op"))
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("aangewezen door")
    )
    ended_on = models.DateField(_("beëindigd op"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = IntegrityOfficerQuerySet.as_manager()

    class Meta:
        verbose_name = _("integriteitsfunctionaris")
        verbose_name_plural = _("integriteitsfunctionarissen")
        ordering = ["user__last_name", "user__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(ended_on__isnull=True), name="integrity_one_active_designation"
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


class MisstandReport(SealedModel):
    """A report of a suspected misstand by someone who works for the board, named or anonymous.

    The receipt code is stored only as a keyed hash (common.receipt_codes). ``named_people`` are the
    portal's people the report names (an officer named never sees it); ``routed_to_board`` when no
    officer was left to handle it.
    """

    received_at = models.DateTimeField(_("ontvangen op"))
    intake = models.CharField(_("hoe"), max_length=16, choices=Intake.choices, default=Intake.FORM)
    # What a person typed is sealed under the report's own data key (common/vault.py).
    description = SealedTextField(_("omschrijving"))
    people_involved = SealedTextField(_("betrokkenen"), blank=True)
    reporter_name = SealedTextField(_("naam melder"), blank=True)
    reporter_contact = SealedTextField(_("bereikbaar via"), blank=True)
    data_key = models.CharField(max_length=32, blank=True, editable=False)
    receipt_code_digest = models.CharField(max_length=64, unique=True)
    submission_digest = models.CharField(max_length=64, unique=True)
    named_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("genoemde personen")
    )
    routed_to_board = models.BooleanField(_("bij het bestuur"), default=False)

    state = models.CharField(_("status"), max_length=16, choices=State.choices, default=State.NEW)
    acknowledge_due_at = models.DateTimeField(_("ontvangst bevestigen vóór"))
    feedback_due_at = models.DateTimeField(_("terugkoppelen vóór"))
    acknowledged_at = models.DateTimeField(_("ontvangst bevestigd op"), null=True, blank=True)
    feedback_given_at = models.DateTimeField(_("terugkoppeling gegeven op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    # Each deadline notice goes once (services.misstand_deadlines_check stamps these).
    acknowledge_warned_at = models.DateTimeField(null=True, blank=True)
    acknowledge_alerted_at = models.DateTimeField(null=True, blank=True)
    feedback_warned_at = models.DateTimeField(null=True, blank=True)
    feedback_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("integriteitsmelding")
        verbose_name_plural = _("integriteitsmeldingen")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return _("Integriteitsmelding %(number)s") % {"number": self.pk}

    def save(self, *args, **kwargs):
        if not self.data_key and self._state.adding:
            self.data_key = data_key_create()
        super().save(*args, **kwargs)

    def sealing_key_id(self) -> str:
        return self.data_key

    @property
    def number(self) -> int:
        return self.pk

    @property
    def is_anonymous(self) -> bool:
        return not self.reporter_name

    @property
    def is_closed(self) -> bool:
        return self.state == State.CLOSED


class MisstandEntry(SealedModel):
    """One line of a report's file, append-only: messages both ways, conversations, steps, reads."""

    report = models.ForeignKey(MisstandReport, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("soort"), max_length=24, choices=EntryKind.choices)
    body = SealedTextField(_("tekst"), blank=True)
    held_on = models.DateField(_("gesprek gevoerd op"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("tijdstip"))

    class Meta:
        verbose_name = _("dossierregel")
        verbose_name_plural = _("dossierregels")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind}"

    def sealing_key_id(self) -> str:
        return self.report.data_key

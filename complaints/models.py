"""Complaints and their append-only history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.vault import SealedModel, SealedTextField, data_key_create

from .constants import OPEN_STEPS, Step


class Complaint(SealedModel):
    """A complaint of a parent, pupil or staff member about a school (klachtenregeling).

    Not an incident report: it names its complainant, runs through its own steps, and ends with the
    board's decision within four weeks of the committee's advice (``decision_due_on``).
    """

    school = models.ForeignKey("accounts.School", on_delete=models.PROTECT, related_name="complaints")
    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("klager")
    )
    is_about_leadership = models.BooleanField(_("over de schoolleiding"), default=False)
    # What a person typed is sealed under the complaint's own data key (common/vault.py).
    subject = SealedTextField(_("onderwerp"))
    description = SealedTextField(_("omschrijving"))
    event_on = models.DateField(_("datum van de gebeurtenis"))
    filed_at = models.DateTimeField(_("ingediend op"))
    filed_after_a_year = models.BooleanField(_("ingediend na meer dan een jaar"), default=False)

    step = models.CharField(_("stap"), max_length=16, choices=Step.choices, default=Step.RECEIVED)
    committee_on = models.DateField(_("bij de commissie sinds"), null=True, blank=True)
    advice_on = models.DateField(_("advies van de commissie ontvangen op"), null=True, blank=True)
    decision_due_on = models.DateField(_("besluit uiterlijk"), null=True, blank=True)
    decided_on = models.DateField(_("besluit genomen op"), null=True, blank=True)
    decision = SealedTextField(_("besluit"), blank=True)
    # Each notice about the decision's term goes once (services.complaint_deadlines_check).
    decision_reminded_at = models.DateTimeField(null=True, blank=True)
    decision_alerted_at = models.DateTimeField(null=True, blank=True)
    data_key = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = _("klacht")
        verbose_name_plural = _("klachten")
        ordering = ["-filed_at", "-pk"]
        constraints = [
            # The decision's term exists exactly when the committee's advice is recorded.
            models.CheckConstraint(
                condition=models.Q(advice_on__isnull=True, decision_due_on__isnull=True)
                | models.Q(advice_on__isnull=False, decision_due_on__isnull=False),
                name="complaints_term_follows_advice",
            ),
        ]

    def __str__(self) -> str:
        return _("Klacht %(number)s") % {"number": self.pk}

    def save(self, *args, **kwargs):
        if not self.data_key and self._state.adding:
            self.data_key = data_key_create()
        super().save(*args, **kwargs)

    def sealing_key_id(self) -> str:
        return self.data_key

    @property
    def is_open(self) -> bool:
        return self.step in OPEN_STEPS


class ComplaintEntry(SealedModel):
    """One line of a complaint's history: a step taken, with who and when (append-only)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="entries")
    step = models.CharField(_("stap"), max_length=16, choices=Step.choices)
    note = SealedTextField(_("toelichting"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("tijdstip"))

    class Meta:
        verbose_name = _("stap van een klacht")
        verbose_name_plural = _("stappen van klachten")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.step}"

    def sealing_key_id(self) -> str:
        return self.complaint.data_key

"""Permissions to record in class, and the cases that point to one (protocol A.1, A.7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import RecordingKind


class RecordingPermission(models.Model):
    """A teacher or the school's leadership allowed a recording beforehand (A.1: "tenzij door de
    schoolleiding respectievelijk leraren hiervoor vooraf toestemming is gegeven"): for one group,
    one lesson or a period, what, by whom, for what, until when. Names no pupil."""

    group = models.ForeignKey(
        "accounts.Group", on_delete=models.CASCADE, related_name="recording_permissions", verbose_name=_("groep")
    )
    kind = models.CharField(_("wat mag worden opgenomen"), max_length=16, choices=RecordingKind.choices)
    lesson = models.CharField(_("les"), max_length=200, blank=True, help_text=_("Leeg voor alle lessen in de periode."))
    recorded_by = models.CharField(_("door wie"), max_length=200)
    purpose = models.CharField(_("doel"), max_length=500)
    valid_from = models.DateField(_("vanaf"))
    valid_until = models.DateField(_("tot en met"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("gegeven door")
    )
    granted_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    # Withdrawn early by who gave it or the school's leadership (services.recording_permission_withdraw):
    # from then on it is not in force; the record stays, with who withdrew it and why.
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingetrokken door"),
    )
    withdrawal_reason = models.CharField(_("reden van intrekken"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("opnametoestemming")
        verbose_name_plural = _("opnametoestemmingen")
        ordering = ["-valid_from", "-pk"]
        indexes = [models.Index(fields=["group", "valid_until"], name="recording_group_until")]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name="recording_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.group} ({self.valid_from:%d-%m-%Y}–{self.valid_until:%d-%m-%Y})"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def covers(self, day) -> bool:
        """Whether it held on ``day``: in its period and not withdrawn before that day (on the day it
        was withdrawn it held for part of the day: the page says when it was withdrawn)."""
        if self.withdrawn_at is not None and day > timezone.localtime(self.withdrawn_at).date():
            return False
        return self.valid_from <= day <= self.valid_until


class CaseRecordingPermission(models.Model):
    """The handler of a case about recording in class (A.1, A.7) points to the permission that covered it."""

    case = models.ForeignKey(
        "reports.Case", on_delete=models.CASCADE, related_name="recording_permissions", verbose_name=_("dossier")
    )
    permission = models.ForeignKey(
        RecordingPermission, on_delete=models.PROTECT, related_name="case_links", verbose_name=_("toestemming")
    )
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("toestemming bij een dossier")
        verbose_name_plural = _("toestemmingen bij dossiers")
        constraints = [
            models.UniqueConstraint(fields=["case", "permission"], name="recording_permission_once_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.permission}"

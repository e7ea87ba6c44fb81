"""The board's retention terms and the log of what the nightly run erased (counts only, no content)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RetentionRule(models.Model):
    """The term the board set for one kind of record. Without a row the kind's default (the law's) holds."""

    kind = models.CharField(_("soort gegevens"), max_length=40, unique=True)
    days = models.PositiveIntegerField(_("bewaartermijn in dagen"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )
    changed_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now)

    class Meta:
        verbose_name = _("bewaartermijn")
        verbose_name_plural = _("bewaartermijnen")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.days}"


class DeletionLog(models.Model):
    """One nightly erasure of one kind: what kind, how many, under which term, when. Never what."""

    kind = models.CharField(_("soort gegevens"), max_length=40)
    count = models.PositiveIntegerField(_("aantal"))
    days = models.PositiveIntegerField(_("bewaartermijn in dagen"))
    ran_at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("verwijderlog")
        verbose_name_plural = _("verwijderlog")
        ordering = ["-ran_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.count} ({self.ran_at:%Y-%m-%d})"

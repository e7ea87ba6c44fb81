"""The outbox: one row per message, written in the same transaction as the event it announces."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.vault import SealedModel, SealedTextField

from .constants import Channel, Status


class Notification(SealedModel):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("ontvanger"),
    )
    # For e-mail: the address at the time of writing (a reporter may have no account). A reporter's
    # address is sealed under the case's data key (``data_key``), so it goes when the case does.
    email = SealedTextField(_("e-mailadres"), blank=True, plain_without_key=True)
    data_key = models.CharField(max_length=32, blank=True, editable=False)
    channel = models.CharField(_("kanaal"), max_length=10, choices=Channel.choices)
    template = models.CharField(_("sjabloon"), max_length=100)
    # Template context; e-mail rows lose it once sent (store the least; it may hold a login link).
    context = models.JSONField(default=dict, blank=True)
    subject = models.CharField(_("onderwerp"), max_length=200)
    link = models.CharField(_("link"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # Mass mail (a campaign, reminders to many) waits in a queue of its own, so mail one person
    # waits for (a report, a login link) is never queued behind it (docs/architecture.md).
    is_bulk = models.BooleanField(_("massaverzending"), default=False)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("volgende poging"), default=timezone.now)
    sent_at = models.DateTimeField(_("verzonden"), null=True, blank=True)
    read_at = models.DateTimeField(_("gelezen"), null=True, blank=True)

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_pending_idx"),
            models.Index(fields=["recipient", "channel", "-created_at"], name="notification_inbox_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(email=""), name="notification_has_addressee"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.subject}"

    def sealing_key_id(self) -> str:
        return self.data_key

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

"""A staff member's question to their leader and its thread (protocol B.3, B.4). Not a case: it is
kept only the board's term (retention kind "consultation", by default CONSULTATION_RETENTION_DAYS)
after its last message (consultations.services)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.vault import SealedModel, SealedTextField, data_key_create
from retention.services import term_days

from .constants import Topic


class Consultation(models.Model):
    """One question: who asked, in which school, about what; its messages are the thread."""

    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultations", verbose_name=_("gesteld door")
    )
    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="consultations", verbose_name=_("school")
    )
    topic = models.CharField(_("onderwerp"), max_length=16, choices=Topic.choices)
    # The asker led the school when asking: their leader is the directeur-bestuurder (the board).
    for_board = models.BooleanField(_("voor het bestuur"), default=False)
    created_at = models.DateTimeField(_("gesteld op"), default=timezone.now)
    last_message_at = models.DateTimeField(_("laatste bericht"), default=timezone.now, db_index=True)
    # Turned into a case by the leader, with the asker told (the case records where it came from).
    case = models.ForeignKey(
        "reports.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("dossier")
    )
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    converted_at = models.DateTimeField(_("melding gemaakt op"), null=True, blank=True)
    # The data key that seals the thread's messages (common/vault.py): one per question, not the
    # case's; the retention destroys it, and with it the thread in every copy of the database.
    data_key = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = _("vraag om overleg")
        verbose_name_plural = _("vragen om overleg")
        ordering = ["-last_message_at", "-pk"]
        indexes = [models.Index(fields=["school", "-last_message_at"], name="consultation_school_last")]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} ({self.created_at:%d-%m-%Y})"

    def save(self, *args, **kwargs):
        if not self.data_key and self._state.adding:
            self.data_key = data_key_create()
        super().save(*args, **kwargs)

    @property
    def erase_on(self) -> datetime.date:
        """The day the thread is erased if nobody writes in it any more."""
        return timezone.localdate(self.last_message_at) + datetime.timedelta(days=term_days("consultation"))


class ConsultationMessage(SealedModel):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("van")
    )
    body = SealedTextField(_("bericht"))
    created_at = models.DateTimeField(_("geschreven"), default=timezone.now)

    class Meta:
        verbose_name = _("bericht in een overleg")
        verbose_name_plural = _("berichten in overleg")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author} {self.created_at:%d-%m-%Y %H:%M}"

    def sealing_key_id(self) -> str:
        return self.consultation.data_key

"""Protocol versions, each step of their life, and staff read receipts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import PUBLIC_STATUSES, Document, EventKind, VersionStatus


class ProtocolVersion(models.Model):
    """One version of a document — the Protocol Sociale Media, or the regeling of the staff channel
    for misstanden (``document``) — its text and the record of its adoption.

    A draft has no number yet; the board's adoption gives it the next one of its document, so the
    public history reads 1, 2, 3 whatever drafts were refused on the way.
    """

    document = models.CharField(
        _("document"), max_length=24, choices=Document.choices, default=Document.PROTOCOL, db_index=True
    )
    number = models.PositiveIntegerField(_("versienummer"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    title = models.CharField(_("titel"), max_length=200, default="Protocol Sociale Media SKOW")
    body = models.TextField(_("tekst (Markdown)"))
    explanation = models.TextField(_("toelichting (Markdown)"), blank=True)
    summary_for_parents = models.TextField(_("samenvatting voor de schoolgids (Markdown)"), blank=True)
    change_note = models.TextField(_("wat is er veranderd"), blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="drafts", verbose_name=_("gebaseerd op")
    )

    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("voorgelegd op"), null=True, blank=True)
    # The (G)MR's decision (WMS art. 10: prior consent on safety policy).
    council_decided_on = models.DateField(_("datum besluit (G)MR"), null=True, blank=True)
    council_minutes_reference = models.CharField(_("verwijzing naar de notulen"), max_length=200, blank=True)
    council_refusal_reasons = models.TextField(_("redenen van de weigering"), blank=True)
    council_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The board's adoption.
    adopted_on = models.DateField(_("vastgesteld op"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adopted_by_name = models.CharField(_("vastgesteld door"), max_length=200, blank=True)
    # Version 1 was adopted in July 2020, before the portal: it is installed in force and its dates
    # are recorded afterwards by the board (services.protocol_version_record_dates); until then the
    # public page says they are not yet recorded. Only recorded facts are published.
    adopted_before_portal = models.BooleanField(_("vastgesteld vóór de portal"), default=False)
    # Only `seed_demo` fills dates of a demonstration; the public page then says "(demo)".
    dates_are_demo = models.BooleanField(_("datums van de demo"), default=False)
    # A draft whose base was replaced, carried onto the new base (services.protocol_draft_carry_over).
    carried_over_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_over_into",
        verbose_name=_("overgezet van"),
    )
    effective_from = models.DateField(_("in werking vanaf"), null=True, blank=True)
    in_force_since = models.DateTimeField(_("in werking getreden op"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("vervangen op"), null=True, blank=True)

    class Meta:
        verbose_name = _("protocolversie")
        verbose_name_plural = _("protocolversies")
        ordering = ["-number", "-created_at"]
        constraints = [
            # Each document numbers its own versions.
            models.UniqueConstraint(fields=["document", "number"], name="policy_one_number_per_document"),
            # Only one version of a document is in force at a time.
            models.UniqueConstraint(
                fields=["document", "status"],
                condition=Q(status=VersionStatus.IN_FORCE),
                name="policy_one_version_in_force",
            ),
            # Nothing is adopted without the (G)MR's recorded consent (WMS art. 10); a version adopted
            # before the portal existed has its dates recorded afterwards (until then: "not recorded").
            models.CheckConstraint(
                condition=~Q(status__in=[s.value for s in PUBLIC_STATUSES])
                | Q(number__isnull=False, council_decided_on__isnull=False, adopted_on__isnull=False)
                | Q(number__isnull=False, adopted_before_portal=True),
                name="policy_adopted_needs_consent_and_number",
            ),
        ]

    def __str__(self) -> str:
        if self.number:
            return _("Versie %(number)s") % {"number": self.number}
        return _("Concept %(pk)s") % {"pk": self.pk}

    # Frozen once the version is submitted (WMS art. 10: the (G)MR consents to this exact text).
    TEXT_FIELDS = ("title", "body", "explanation", "summary_for_parents", "change_note")

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded", {})
        if loaded.get("status", VersionStatus.DRAFT) != VersionStatus.DRAFT and any(
            getattr(self, f) != value for f, value in loaded.items() if f != "status"
        ):
            raise ValueError("The text of a protocol version is frozen once it is submitted to the council.")
        super().save(*args, **kwargs)
        self._loaded = {f: getattr(self, f) for f in ("status", *self.TEXT_FIELDS)}

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What was read, so save() can refuse to change the text of a version past the draft stage.
        instance._loaded = {f: getattr(instance, f) for f in ("status", *cls.TEXT_FIELDS) if f in field_names}
        return instance

    @property
    def is_in_force(self) -> bool:
        return self.status == VersionStatus.IN_FORCE

    @property
    def awaits_recorded_dates(self) -> bool:
        """Adopted before the portal and its (G)MR consent and adoption dates not yet recorded."""
        return self.adopted_before_portal and (self.council_decided_on is None or self.adopted_on is None)


class ProtocolVersionEvent(models.Model):
    """One step in a version's life (append-only): who moved it from which status to which."""

    version = models.ForeignKey(ProtocolVersion, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("soort"), max_length=24, choices=EventKind.choices, default=EventKind.STEP)
    from_status = models.CharField(_("van"), max_length=24, choices=VersionStatus.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=24, choices=VersionStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("tijdstip"))
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("stap")
        verbose_name_plural = _("stappen")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.version} {self.from_status} → {self.to_status}"


class Acknowledgement(models.Model):
    """A staff member has read this version (CAO PO art. 11.2: rules count once provided)."""

    version = models.ForeignKey(ProtocolVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="protocol_acknowledgements"
    )
    acknowledged_at = models.DateTimeField(_("gelezen op"))

    class Meta:
        verbose_name = _("leesbevestiging")
        verbose_name_plural = _("leesbevestigingen")
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "staff_member"], name="policy_acknowledge_once"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_member} — {self.version}"


class AcknowledgementReminder(models.Model):
    """A reminder sent to a staff member who had not acknowledged.

    Automatic ones (``after_days`` set, no ``sent_by``) go once per version and stage; a leader's
    "herinner nu" has no stage and names who sent it.
    """

    version = models.ForeignKey(ProtocolVersion, on_delete=models.CASCADE, related_name="reminders")
    staff_member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    after_days = models.PositiveSmallIntegerField(_("na dagen"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verstuurd door"),
    )
    sent_at = models.DateTimeField(_("verstuurd op"))

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "staff_member", "after_days"], name="policy_remind_once_per_stage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_member} — {self.version} ({self.after_days})"

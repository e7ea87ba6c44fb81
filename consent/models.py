"""Consent forms and the append-only log of consent decisions (protocol A.5; AVG art. 7 and 8)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Pupil
from common.hashchain import Chained, ChainHead, ChainMember

from .constants import Basis, Method, TextChangeKind


class ConsentForm(models.Model):
    """One version of the consent form. Its text is frozen when published; a change is a new version."""

    version = models.PositiveIntegerField(_("versie"), unique=True)
    title = models.CharField(_("titel"), max_length=200)
    introduction = models.TextField(_("inleiding"))
    # What needs no consent (teaching material, ID pass, pupil administration): said, not asked.
    exemptions = models.TextField(_("zonder toestemming"))
    # Snapshot of what is asked: [{"code", "label", "explanation"}] and [{"code", "label"}].
    purposes = models.JSONField(_("doelen"))
    media = models.JSONField(_("media"))
    published_at = models.DateTimeField(_("gepubliceerd"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("toestemmingsformulier")
        verbose_name_plural = _("toestemmingsformulieren")
        ordering = ["-version"]

    def __str__(self) -> str:
        return _("Toestemmingsformulier versie %(version)s") % {"version": self.version}

    @property
    def purpose_codes(self) -> list[str]:
        return [p["code"] for p in self.purposes]

    @property
    def medium_codes(self) -> list[str]:
        return [m["code"] for m in self.media]

    def text_shown(self) -> str:
        """The exact Dutch text a decider sees, in a canonical form: the basis of the proof."""
        return self.text_in(settings.LANGUAGE_CODE).text_shown()

    def text_sha256(self) -> str:
        return self.text_in(settings.LANGUAGE_CODE).sha256

    def text_in(self, language: str, translation: ConsentFormTranslation | None = None) -> FormText:
        """The text of this version in ``language``: its translation when given, else the Dutch text.

        The Dutch text is the legal reference; a translation is what a reader of that language sees.
        """
        source = translation if translation is not None and translation.language == language else self
        return FormText(
            version=self.version,
            language=settings.LANGUAGE_CODE if source is self else language,
            title=source.title,
            introduction=source.introduction,
            exemptions=source.exemptions,
            purposes=source.purposes,
            media=source.media,
        )


# Fixed words of the canonical text per language; never through gettext, so a changed catalogue
# never changes the hash of a text someone signed.
_CANONICAL_WORDS = {"nl": ("versie", "Media"), "en": ("version", "Media")}


@dataclass(frozen=True)
class FormText:
    """One form version as a reader sees it in one language: what is shown, signed and hashed."""

    version: int
    language: str
    title: str
    introduction: str
    exemptions: str
    purposes: list
    media: list

    @property
    def purpose_codes(self) -> list[str]:
        return [p["code"] for p in self.purposes]

    @property
    def medium_codes(self) -> list[str]:
        return [m["code"] for m in self.media]

    def label_of(self, *, purpose: str = "", medium: str = "") -> str:
        rows = self.purposes if purpose else self.media
        code = purpose or medium
        return next((row["label"] for row in rows if row["code"] == code), code)

    def text_shown(self) -> str:
        """The exact text in a canonical form: the basis of the proof (its SHA-256 is stored)."""
        version_word, media_word = _CANONICAL_WORDS.get(self.language, _CANONICAL_WORDS["en"])
        lines = [f"{self.title} ({version_word} {self.version})", self.introduction.strip(), ""]
        lines += [f"- {p['label']}: {p['explanation']}" for p in self.purposes]
        lines += ["", f"{media_word}: " + ", ".join(m["label"] for m in self.media), "", self.exemptions.strip()]
        return "\n".join(lines)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text_shown().encode()).hexdigest()


class ConsentFormTranslation(models.Model):
    """The text of one form version in another language (English), for readers of that language.

    The Dutch text on ConsentForm stays the legal reference. The board or the functional admin
    maintains a translation; once someone has decided on it, it never changes (services refuse),
    exactly as a published Dutch text never does: a change is then a new form version.
    """

    form = models.ForeignKey(
        ConsentForm, on_delete=models.PROTECT, related_name="translations", verbose_name=_("formulier")
    )
    language = models.CharField(_("taal"), max_length=10)
    title = models.CharField(_("titel"), max_length=200)
    introduction = models.TextField(_("inleiding"))
    exemptions = models.TextField(_("zonder toestemming"))
    # The same codes, in the same order, as the form's own purposes and media.
    purposes = models.JSONField(_("doelen"))
    media = models.JSONField(_("media"))
    saved_at = models.DateTimeField(_("opgeslagen"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opgeslagen door"),
    )

    class Meta:
        verbose_name = _("vertaling van een toestemmingsformulier")
        verbose_name_plural = _("vertalingen van toestemmingsformulieren")
        constraints = [
            models.UniqueConstraint(fields=["form", "language"], name="one_translation_per_form_and_language")
        ]

    def __str__(self) -> str:
        return f"{self.form} ({self.language})"

    def text(self) -> FormText:
        return self.form.text_in(self.language, self)


class ConsentChainHead(ChainHead):
    """The head of one person's hash chain of consent decisions (a pupil's, or a staff member's own)."""

    pupil = models.OneToOneField(Pupil, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    staff_member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("kop van een toestemmingsketen")
        verbose_name_plural = _("koppen van de toestemmingsketens")
        constraints = [
            models.CheckConstraint(
                condition=Q(pupil__isnull=False, staff_member__isnull=True)
                | Q(pupil__isnull=True, staff_member__isnull=False),
                name="consent_chain_head_has_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.chain_name

    @property
    def chain_name(self) -> str:
        return f"pupil:{self.pupil_id}" if self.pupil_id else f"staff:{self.staff_member_id}"

    def chain_members(self) -> list[ChainMember]:
        if self.pupil_id:
            return [ChainMember(ConsentDecision, "pupil", self.pupil_id)]
        return [ChainMember(ConsentDecision, "staff_member", self.staff_member_id)]


class ConsentDecision(Chained):
    """One decision about one person's images and sound. Never changed; the newest one counts.

    Each person's decisions form a hash chain (common/hashchain.py), so a decision changed or
    removed outside the portal shows.
    """

    # What the hash chain covers, as stored: every column but the chain's own.
    CHAIN_FIELDS = (
        "pupil",
        "staff_member",
        "decided_by",
        "basis",
        "method",
        "form",
        "text_sha256",
        "language",
        "answers",
        "is_withdrawal",
        "decided_at",
        "recorded_by",
        "scan_name",
        "paper_signed_on",
    )

    pupil = models.ForeignKey(
        Pupil,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consent_decisions",
        verbose_name=_("leerling"),
    )
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_consent_decisions",
        verbose_name=_("medewerker"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consent_decisions_made",
        verbose_name=_("besloten door"),
    )
    basis = models.CharField(_("grondslag"), max_length=20, choices=Basis.choices)
    method = models.CharField(_("manier"), max_length=20, choices=Method.choices)
    form = models.ForeignKey(
        ConsentForm, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("formulier")
    )
    text_sha256 = models.CharField(_("hash van de getoonde tekst"), max_length=64)
    # The language of the text shown and signed (the Dutch text, or the form's translation).
    language = models.CharField(_("taal van de getoonde tekst"), max_length=10, default="nl")
    # {"website": {"photo": true, "film": false, ...}, ...}; what is absent is "no".
    answers = models.JSONField(_("antwoorden"))
    is_withdrawal = models.BooleanField(_("intrekking"), default=False)
    decided_at = models.DateTimeField(_("tijdstip"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consent_decisions_recorded",
        verbose_name=_("ingevoerd door"),
    )
    # A paper form: the stored name of its scan (consent.scans) and the date written on it.
    scan_name = models.CharField(_("scan van het papieren formulier"), max_length=200, blank=True)
    paper_signed_on = models.DateField(_("ondertekend op (papier)"), null=True, blank=True)

    class Meta:
        verbose_name = _("toestemmingsbesluit")
        verbose_name_plural = _("toestemmingsbesluiten")
        ordering = ["-decided_at", "-pk"]
        indexes = [
            models.Index(fields=["pupil", "-decided_at"], name="consent_pupil_latest_idx"),
            models.Index(fields=["staff_member", "-decided_at"], name="consent_staff_latest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(pupil__isnull=False) & Q(staff_member__isnull=True))
                | (Q(pupil__isnull=True) & Q(staff_member__isnull=False)),
                name="consent_decision_has_one_subject",
            ),
            models.CheckConstraint(
                condition=~Q(method=Method.PAPER) | (Q(recorded_by__isnull=False) & ~Q(scan_name="")),
                name="consent_paper_form_has_recorder_and_scan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} — {self.decided_at:%Y-%m-%d %H:%M}"

    @property
    def subject(self):
        return self.pupil if self.pupil_id else self.staff_member

    def chain_head_locked(self) -> ConsentChainHead:
        subject = {"pupil_id": self.pupil_id} if self.pupil_id else {"staff_member_id": self.staff_member_id}
        head, _created = ConsentChainHead.objects.select_for_update().get_or_create(**subject)
        return head

    def allows(self, purpose: str, medium: str) -> bool:
        return bool(self.answers.get(purpose, {}).get(medium, False))

    def answer_rows(self) -> list[tuple[str, list[bool]]]:
        """(purpose label, [yes/no per medium of the form]) in the form's order, for tables."""
        return [(p["label"], [self.allows(p["code"], m["code"]) for m in self.form.media]) for p in self.form.purposes]


class ConsentTextChange(models.Model):
    """Consent's text changed: a newly adopted protocol version words A.5 differently, or a new form
    version asks something new. Every school is then offered a new round (a ``ConsentCampaign`` with
    this change) that asks the families again. Earlier answers stay on record, each with the text it
    was given to (``consent_text_context``). Never changed once written."""

    kind = models.CharField(_("soort"), max_length=24, choices=TextChangeKind.choices)
    # What changed, in words a parent reads on the proof: "Protocol Sociale Media SKOW, versie 2".
    reference = models.CharField(_("nieuwe tekst"), max_length=200)
    text = models.TextField(_("tekst"))
    previous_reference = models.CharField(_("vorige tekst"), max_length=200, blank=True)
    previous_text = models.TextField(_("vorige tekst"), blank=True)
    changed_at = models.DateTimeField(_("gewijzigd op"))

    class Meta:
        verbose_name = _("wijziging van de toestemmingstekst")
        verbose_name_plural = _("wijzigingen van de toestemmingstekst")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.reference}"


class ConsentCampaign(models.Model):
    """The yearly request for consent at one school: invitations, reminders, response rate.

    With ``text_change`` set it is a new round within the year: the text changed, so everyone is
    asked again (protocol A.5), by the same invitations, reminders and dashboard."""

    school = models.ForeignKey(
        "accounts.School", on_delete=models.PROTECT, related_name="consent_campaigns", verbose_name=_("school")
    )
    school_year = models.CharField(_("schooljaar"), max_length=9)
    form = models.ForeignKey(ConsentForm, on_delete=models.PROTECT, related_name="campaigns")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("gestart"))
    closes_at = models.DateTimeField(_("links geldig tot"))
    text_change = models.ForeignKey(
        ConsentTextChange,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("nieuwe ronde na wijziging van de tekst"),
    )

    class Meta:
        verbose_name = _("toestemmingscampagne")
        verbose_name_plural = _("toestemmingscampagnes")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"],
                condition=Q(text_change__isnull=True),
                name="one_consent_campaign_per_school_year",
            ),
            models.UniqueConstraint(
                fields=["school", "text_change"],
                condition=Q(text_change__isnull=False),
                name="one_consent_round_per_school_and_text_change",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.school_year}"


class ConsentInvitation(models.Model):
    """One person asked in a campaign, with one link for the campaign's life: its token is an HMAC
    under SECRET_KEY of the id and ``token_salt`` (campaigns.invitation_token); only its hash is kept."""

    campaign = models.ForeignKey(ConsentCampaign, on_delete=models.CASCADE, related_name="invitations")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # Random, per invitation; with SECRET_KEY (not in the database) it gives the link's token.
    token_salt = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    link_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "recipient"], name="one_invitation_per_person_per_campaign")
        ]
        indexes = [models.Index(fields=["campaign", "responded_at"], name="invitation_response_idx")]

    def __str__(self) -> str:
        return f"{self.recipient} ({self.campaign})"


class CampaignReminder(models.Model):
    """One round of reminders of a campaign: the hourly automatic one, or a leader's "herinner nu" for
    one group. Kept so the dashboard says when reminders went and to how many (no flood, no guessing)."""

    campaign = models.ForeignKey(ConsentCampaign, on_delete=models.CASCADE, related_name="reminders")
    # The group a leader reminded; empty for the automatic reminders of the whole school.
    group = models.ForeignKey(
        "accounts.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("groep")
    )
    # Who pressed "herinner nu"; empty for the automatic reminders.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verstuurd door"),
    )
    sent_at = models.DateTimeField(_("verstuurd"))
    recipient_count = models.PositiveIntegerField(_("aantal ontvangers"))

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.campaign} {self.sent_at:%Y-%m-%d %H:%M} ({self.recipient_count})"


class Publication(models.Model):
    """A picture, film or recording that was cleared by the photo check and published."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="publications", verbose_name=_("door")
    )
    group = models.ForeignKey("accounts.Group", on_delete=models.PROTECT, related_name="+", verbose_name=_("groep"))
    purpose = models.CharField(_("waar"), max_length=40)
    medium = models.CharField(_("soort"), max_length=10)
    description = models.CharField(_("omschrijving"), max_length=200)
    pupils = models.ManyToManyField(Pupil, related_name="publications", verbose_name=_("leerlingen"))
    staff_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="appears_in_publications", verbose_name=_("medewerkers")
    )
    # The decisions that counted for each pupil when it was published: {pupil id: [decision ids]}.
    consent_snapshot = models.JSONField(default=dict)
    published_at = models.DateTimeField(_("gepubliceerd"))

    class Meta:
        verbose_name = _("publicatie")
        verbose_name_plural = _("publicaties")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.description


class TakedownTask(models.Model):
    """Consent was withdrawn for someone in a publication: the publisher must take it down."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="takedowns")
    # Whose consent was withdrawn: a pupil or a staff member.
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="takedown_tasks")
    created_at = models.DateTimeField()
    due_at = models.DateTimeField(_("uiterlijk"))
    done_at = models.DateTimeField(_("verwijderd op"), null=True, blank=True)
    # Who confirmed the takedown: the publisher, or a leader of the school when the publisher is away.
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bevestigd door"),
    )

    class Meta:
        verbose_name = _("verwijdertaak")
        verbose_name_plural = _("verwijdertaken")
        ordering = ["done_at", "due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "pupil"], condition=Q(done_at__isnull=True), name="one_open_takedown_per_pupil"
            ),
            models.UniqueConstraint(
                fields=["publication", "staff_member"],
                condition=Q(done_at__isnull=True),
                name="one_open_takedown_per_staff_member",
            ),
            models.CheckConstraint(
                condition=Q(pupil__isnull=False, staff_member__isnull=True)
                | Q(pupil__isnull=True, staff_member__isnull=False),
                name="takedown_has_one_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publication} — {self.person}"

    @property
    def person(self):
        return self.pupil if self.pupil_id else self.staff_member


class AgeOfConsentNotice(models.Model):
    """A pupil turned 16 and was asked to decide (or, without a login, the school was told). Once per pupil."""

    pupil = models.OneToOneField(Pupil, on_delete=models.CASCADE, related_name="age_of_consent_notice")
    notified_at = models.DateTimeField(_("bericht verstuurd"))
    pupil_invited = models.BooleanField(_("leerling zelf uitgenodigd"))
    # The school sent a pupil without a login an invitation to decide (consent.campaigns.pupil_invite_to_decide).
    pupil_invited_at = models.DateTimeField(_("uitnodiging door de school"), null=True, blank=True)
    pupil_invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )

    class Meta:
        verbose_name = _("bericht bij 16 jaar")
        verbose_name_plural = _("berichten bij 16 jaar")

    def __str__(self) -> str:
        return str(self.pupil)

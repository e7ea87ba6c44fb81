"""Reports of boundary-crossing communication, the case files they open, and what the reporter
and the handler say to each other (protocol A.8, A.9)."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import School
from common.hashchain import Chained, ChainHead, ChainMember
from common.vault import SealedModel, SealedTextField, data_key_create

from .constants import (
    REPORTER_STATE_LABELS,
    STAFF_ONLY_CATEGORIES,
    CaseState,
    Category,
    ClosingReason,
    EvidenceKind,
    MessageAuthor,
    MessageKind,
    PartyRole,
    Platform,
    Recipient,
    ReporterRole,
    SubjectFinding,
    SubjectKind,
    TimelineKind,
)


class AppendOnly(models.Model):
    """A row that is written once: history is never edited in place (a correction is a new row)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError(f"{type(self).__name__} is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{type(self).__name__} is append-only.")


# Exactly one person, of the kind ``subject_kind`` names.
ONE_PERSON = (
    Q(subject_kind=SubjectKind.STAFF, staff_member__isnull=False, pupil__isnull=True, parent__isnull=True)
    | Q(subject_kind=SubjectKind.PUPIL, staff_member__isnull=True, pupil__isnull=False, parent__isnull=True)
    | Q(subject_kind=SubjectKind.PARENT, staff_member__isnull=True, pupil__isnull=True, parent__isnull=False)
)


class AboutPerson(models.Model):
    """Exactly one person: a staff member, a pupil or a parent, as ``subject_kind`` says.

    Shared by ``CasePerson`` (whom a case is about) and sanctions' ``Measure`` (whom it concerns).
    """

    subject_kind = models.CharField(_("betreft"), max_length=8, choices=SubjectKind.choices)
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("medewerker"),
    )
    pupil = models.ForeignKey(
        "accounts.Pupil", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("leerling")
    )
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ouder/verzorger"),
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(condition=ONE_PERSON, name="%(class)s_one_person_of_its_kind"),
        ]

    @property
    def person(self):
        return self.staff_member or self.pupil or self.parent

    @property
    def person_name(self) -> str:
        person = self.person
        if person is None:
            return str(_("(geanonimiseerd)"))
        return person.full_name if self.pupil_id else str(person)


class Case(models.Model):
    """A case file: one or more reports about one school, handled by its leadership or the board."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="cases", verbose_name=_("school"))
    state = models.CharField(_("status"), max_length=32, choices=CaseState.choices, default=CaseState.NEW)
    # A case about the school's leadership is for the board only, never for that leadership.
    is_about_leadership = models.BooleanField(_("gaat over de schoolleiding"), default=False)
    # Whom the reporter sent the first report to (reports/access.py says who that makes see it).
    recipient = models.CharField(_("gestuurd aan"), max_length=24, choices=Recipient.choices, default=Recipient.SCHOOL)
    # Sent to a vertrouwenspersoon: theirs alone until they hand it on (case_hand_on) with a reason.
    is_with_confidant = models.BooleanField(_("alleen bij de vertrouwenspersoon"), default=False)
    created_at = models.DateTimeField(_("geopend"), default=timezone.now, db_index=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_handled",
        verbose_name=_("behandelaar"),
    )
    # Proof the case was taken in hand: stamped by the first opening of a handler.
    acknowledged_at = models.DateTimeField(_("in behandeling genomen op"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # EU whistle-blower directive 2019/1937 art. 9: acknowledge within 7 days, feedback within 3 months.
    acknowledge_due_at = models.DateTimeField(_("uiterlijk in behandeling"), null=True, blank=True)
    feedback_due_at = models.DateTimeField(_("uiterlijk terugkoppeling"), null=True, blank=True)
    # The first message a handler marked as feedback (MessageKind.FEEDBACK); a question does not count.
    feedback_given_at = models.DateTimeField(_("terugkoppeling gegeven op"), null=True, blank=True)
    acknowledge_reminded_at = models.DateTimeField(null=True, blank=True)
    acknowledge_alerted_at = models.DateTimeField(null=True, blank=True)
    feedback_reminded_at = models.DateTimeField(null=True, blank=True)
    feedback_alerted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True, db_index=True)
    closing_reason = models.CharField(_("reden van sluiten"), max_length=16, choices=ClosingReason.choices, blank=True)
    # A case whose reports were moved into another one; it stays for its timeline, out of the list.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_cases",
        verbose_name=_("samengevoegd met"),
    )
    is_on_legal_hold = models.BooleanField(_("bewaarplicht (legal hold)"), default=False)
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)
    # The id of the data key in the key store that seals this case's content (common/vault.py);
    # retention destroys the key, and with it the content in every copy of the database.
    data_key = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["school", "-created_at"], name="case_school_created"),
            models.Index(fields=["state", "acknowledge_due_at"], name="case_state_ack_due"),
            models.Index(fields=["state", "feedback_due_at"], name="case_state_feedback_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=CaseState.CLOSED, closed_at__isnull=False) | ~Q(state=CaseState.CLOSED),
                name="case_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return _("Dossier %(number)s") % {"number": self.number}

    def save(self, *args, **kwargs):
        # The deadlines run from the moment the case was opened (DESIGN.md: 7 days, 3 months).
        if self.acknowledge_due_at is None:
            self.acknowledge_due_at = self.created_at + datetime.timedelta(days=settings.CASE_ACKNOWLEDGE_DAYS)
        if self.feedback_due_at is None:
            self.feedback_due_at = self.created_at + relativedelta(months=settings.CASE_FEEDBACK_MONTHS)
        if not self.data_key and self._state.adding:
            self.data_key = data_key_create()
        super().save(*args, **kwargs)

    @property
    def number(self) -> str:
        return f"{self.created_at:%Y}-{self.pk:05d}"

    @property
    def is_closed(self) -> bool:
        return self.state == CaseState.CLOSED

    @property
    def state_for_reporter(self) -> str:
        """The state as the reporter reads it: being dealt with or not, never how (REPORTER_STATE_LABELS)."""
        return str(REPORTER_STATE_LABELS[self.state])

    def overdue_reasons(self, now=None) -> list[str]:
        """Which deadlines have passed (the list page annotates the same rule in SQL)."""
        now = now or timezone.now()
        reasons = []
        if self.state == CaseState.NEW and self.acknowledge_due_at and self.acknowledge_due_at < now:
            reasons.append(str(_("niet op tijd in behandeling genomen")))
        if (
            self.state != CaseState.CLOSED
            and self.feedback_given_at is None
            and self.feedback_due_at
            and self.feedback_due_at < now
        ):
            reasons.append(str(_("geen terugkoppeling binnen 3 maanden")))
        return reasons

    @property
    def is_overdue(self) -> bool:
        return bool(self.overdue_reasons())


class Report(SealedModel):
    """One report as submitted. An anonymous report keeps no user, no contact and no address."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reports", verbose_name=_("dossier"))
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="reports", verbose_name=_("school"))
    category = models.CharField(_("wat is er gebeurd"), max_length=32, choices=Category.choices)
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    happened_on = models.DateField(_("wanneer"))
    description = SealedTextField(_("beschrijving"))
    involved_roles = models.JSONField(_("betrokkenen"), default=list, blank=True)
    involved_names = SealedTextField(_("namen van betrokkenen"), blank=True)
    is_about_leadership = models.BooleanField(_("gaat over de schoolleiding"), default=False)
    recipient = models.CharField(_("gestuurd aan"), max_length=24, choices=Recipient.choices, default=Recipient.SCHOOL)
    # The protocol version in force on the day of the incident: the rules that applied then.
    protocol_version = models.ForeignKey(
        "policy.ProtocolVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("protocolversie"),
    )
    reporter_role = models.CharField(_("melder is"), max_length=16, choices=ReporterRole.choices)
    is_anonymous = models.BooleanField(_("anoniem"), default=False)
    reporter_name = SealedTextField(_("naam melder"), blank=True)
    reporter_email = SealedTextField(_("e-mailadres melder"), blank=True)
    reporter_phone = SealedTextField(_("telefoon melder"), blank=True)
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports_made",
        verbose_name=_("ingelogde melder"),
    )
    # Only a keyed hash of the receipt code is kept (services.receipt_code_digest).
    receipt_code_digest = models.CharField(max_length=64, unique=True)
    # A hash of the hidden key of the form that sent it: a double click creates one report. Only the
    # hash is kept, so nothing the reporter's browser held can be matched to the report later.
    submission_digest = models.CharField(max_length=64, unique=True)
    submitted_at = models.DateTimeField(_("ingediend"), default=timezone.now)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_anonymous=False)
                | Q(reporter_user__isnull=True, reporter_name="", reporter_email="", reporter_phone=""),
                name="report_anonymous_keeps_no_identity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.submitted_at:%d-%m-%Y})"

    def sealing_key_id(self) -> str:
        return self.case.data_key

    @property
    def concerns_staff(self) -> bool:
        return self.category in STAFF_ONLY_CATEGORIES or PartyRole.STAFF in (self.involved_roles or [])

    def involved_role_labels(self) -> list[str]:
        labels = dict(PartyRole.choices)
        return [str(labels[role]) for role in self.involved_roles or [] if role in labels]


class ReportMessage(SealedModel, AppendOnly):
    """The thread between the handler and the reporter of one report (the reporter reads it by code)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages", verbose_name=_("melding"))
    author = models.CharField(_("van"), max_length=16, choices=MessageAuthor.choices)
    # The handler who wrote it; never the reporter (an anonymous reporter stays anonymous).
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = SealedTextField(_("bericht"))
    # Only a handler's feedback meets the feedback deadline; the handler says which it is.
    kind = models.CharField(_("soort"), max_length=16, choices=MessageKind.choices, default=MessageKind.MESSAGE)
    created_at = models.DateTimeField(_("geschreven"), default=timezone.now)

    class Meta:
        verbose_name = _("bericht over een melding")
        verbose_name_plural = _("berichten over meldingen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(author=MessageAuthor.REPORTER, handler__isnull=True)
                | Q(author=MessageAuthor.HANDLER, handler__isnull=False),
                name="report_message_author_matches_handler",
            ),
            models.CheckConstraint(
                condition=~Q(kind=MessageKind.FEEDBACK) | Q(author=MessageAuthor.HANDLER),
                name="report_message_feedback_is_the_handlers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_author_display()} {self.created_at:%d-%m-%Y %H:%M}"

    def sealing_key_id(self) -> str:
        return self.report.case.data_key

    @property
    def is_feedback(self) -> bool:
        return self.kind == MessageKind.FEEDBACK


class Evidence(models.Model):
    """A file sent with a report or a later message; on disk under EVIDENCE_ROOT with a random name.

    The reporter's own file name is never stored (it can name a phone or a person): the file is
    shown and served as ``file_name``, which the portal chose when it came in (case number and
    sequence). A file keeps that name when its report moves to another case by a merge.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("melding"))
    message = models.ForeignKey(ReportMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    kind = models.CharField(_("soort"), max_length=8, choices=EvidenceKind.choices)
    file_name = models.CharField(_("bestandsnaam"), max_length=80, unique=True)
    stored_name = models.CharField(max_length=80, unique=True)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("grootte"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bewijsstuk")
        verbose_name_plural = _("bewijsstukken")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.file_name


class CaseChainHead(ChainHead):
    """The head of a case's hash chain (its timeline entries and views), kept apart from the rows."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, primary_key=True, related_name="chain_head")

    class Meta:
        verbose_name = _("kop van de dossierketen")
        verbose_name_plural = _("koppen van de dossierketens")

    def __str__(self) -> str:
        return self.chain_name

    @property
    def chain_name(self) -> str:
        return f"case:{self.case_id}"

    def chain_members(self) -> list[ChainMember]:
        return [ChainMember(TimelineEntry, "case", self.case_id), ChainMember(CaseView, "case", self.case_id)]


class CaseChained(Chained):
    """A row of a case's history: it joins the case's hash chain (common/hashchain.py) when written."""

    class Meta:
        abstract = True

    def chain_head_locked(self) -> CaseChainHead:
        # The case first, then its head: every writer locks in that order (case_transition holds the
        # case when it writes its entry), so two writers cannot wait on each other.
        Case.objects.select_for_update().filter(pk=self.case_id).values_list("pk").get()
        head, _created = CaseChainHead.objects.select_for_update().get_or_create(case_id=self.case_id)
        return head


class CaseView(CaseChained, AppendOnly):
    """Each opening of a case file: who, when (the view audit; AVG art. 32: logging access to personal data)."""

    # What the hash chain covers, as stored (common/hashchain.py).
    CHAIN_FIELDS = ("case", "viewer", "viewed_at")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="views", verbose_name=_("dossier"))
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("bekeken door")
    )
    viewed_at = models.DateTimeField(_("bekeken op"), default=timezone.now)

    class Meta:
        verbose_name = _("inzage in dossier")
        verbose_name_plural = _("inzage in dossiers")
        ordering = ["-viewed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.viewer} {self.viewed_at:%d-%m-%Y %H:%M}"


class TimelineEntry(CaseChained, SealedModel, AppendOnly):
    """One line in the case file's history: never edited; a correction is a new entry.

    Written only through ``reports.services.case_timeline_add`` (also by sanctions). The one
    exception is retention: ``case_anonymise`` blanks summaries in bulk, as the law requires, and
    re-seals the case's hash chain with the reason.
    """

    # What the hash chain covers, as stored (common/hashchain.py): every column but the chain's own.
    CHAIN_FIELDS = ("case", "kind", "author", "summary", "with_whom", "data", "corrects", "created_at")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="timeline", verbose_name=_("dossier"))
    kind = models.CharField(_("soort"), max_length=16, choices=TimelineKind.choices)
    # None: written by the portal itself (a deadline task, the retention purge).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    summary = SealedTextField(_("samenvatting"), blank=True)
    # A conversation held: with whom (a name, so sealed like the summary; never in ``data``).
    with_whom = SealedTextField(_("met wie"), blank=True)
    data = models.JSONField(_("gegevens"), default=dict, blank=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrigeert"),
    )
    created_at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("dossierregel")
        verbose_name_plural = _("dossierregels")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"], name="timeline_case_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%d-%m-%Y %H:%M}"

    def sealing_key_id(self) -> str:
        return self.case.data_key

    def _label(self, choices, key: str) -> str:
        value = (self.data or {}).get(key, "")
        return str(dict(choices).get(value, value))

    @property
    def status_from_label(self) -> str:
        return self._label(CaseState.choices, "from")

    @property
    def status_to_label(self) -> str:
        return self._label(CaseState.choices, "to")

    @property
    def closing_reason_label(self) -> str:
        return self._label(ClosingReason.choices, "closing_reason")

    @property
    def found_by_label(self) -> str:
        return self._label(SubjectFinding.choices, "found_by")


class CaseAccessWithdrawal(SealedModel):
    """A board member withdrew a leader's access to one case (conflict of interest)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_withdrawals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = SealedTextField(_("reden"))
    withdrawn_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ingetrokken toegang")
        verbose_name_plural = _("ingetrokken toegang")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_access_withdrawal_once")]

    def __str__(self) -> str:
        return f"{self.case} – {self.user}"

    def sealing_key_id(self) -> str:
        return self.case.data_key


class ReceiptHandover(models.Model):
    """A receipt code on its way to the reporter's screen, for the minutes until it is shown.

    The code is sealed with a pad derived from the form's submission key, which only the reporter's
    browser holds (in a one-time cookie); the row is deleted when the code is shown and expires
    unseen after RECEIPT_HANDOVER_MINUTES. So the thank-you page works in any web worker, with or
    without Redis, and a database dump taken meanwhile still shows no code.
    """

    key_digest = models.CharField(max_length=64, unique=True)
    sealed_code = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("ontvangstcode onderweg")
        verbose_name_plural = _("ontvangstcodes onderweg")

    def __str__(self) -> str:
        return self.key_digest[:12]


class CaseSubject(AppendOnly):
    """A leader or board member this case is about, as reports learns it: named in a report (by full
    name or e-mail address, reports.names.leadership_named_in) or declared by the person on the case
    page. Nobody handles a case about themselves: they neither see it nor are told of it
    (reports/access.py), and the case is the board's.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="subjects", verbose_name=_("dossier"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("gaat over")
    )
    found_by = models.CharField(_("hoe bekend"), max_length=16, choices=SubjectFinding.choices)
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("leidinggevende over wie een dossier gaat")
        verbose_name_plural = _("leidinggevenden over wie een dossier gaat")
        ordering = ["recorded_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_subject_once")]

    def __str__(self) -> str:
        return f"{self.case} – {self.user}"


class CasePerson(AppendOnly, AboutPerson):
    """A staff member, pupil or parent this case is about, recorded by a handler: by hand, or as the
    subject of a measure or a meldcode (sanctions). The case shows in their person file (Sancties 2 and
    5), and they neither see it nor are told of it (reports/access.py).
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="people", verbose_name=_("dossier"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("toegevoegd op"), default=timezone.now)

    class Meta(AboutPerson.Meta):
        verbose_name = _("betrokkene in een dossier")
        verbose_name_plural = _("betrokkenen in dossiers")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.get_subject_kind_display()})"


class CaseHandover(SealedModel, AppendOnly):
    """A vertrouwenspersoon handed a case that was theirs alone on to the school, with a reason and,
    when a reporter gave their name, that reporter's consent (the vertrouwenspersoon's duty of
    confidentiality: nothing goes further without the reporter's say)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="handovers", verbose_name=_("dossier"))
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("doorgegeven door")
    )
    # The vertrouwenspersoon's reason may say what happened: sealed with the case's key (common/vault.py).
    reason = SealedTextField(_("reden"))
    has_reporter_consent = models.BooleanField(_("melder stemt in"), default=False)
    handed_at = models.DateTimeField(_("doorgegeven op"), default=timezone.now)

    class Meta:
        verbose_name = _("doorgegeven dossier")
        verbose_name_plural = _("doorgegeven dossiers")
        ordering = ["handed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} – {self.handed_by}"

    def sealing_key_id(self) -> str:
        return self.case.data_key

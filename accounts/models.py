"""People, schools, groups and roles: the data every other app builds on."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, DeviceManager

from .constants import (
    AGE_OF_CONSENT,
    PASSWORD_ROLES,
    SCHOOL_ROLES,
    SECOND_FACTOR_ROLES,
    HygieneReason,
    LinkPurpose,
    Role,
    RoleChange,
    RoleRequestState,
    SafetyRole,
    SignInProvider,
    SignInRefusal,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A person who can log in; the e-mail address is the login name."""

    username = None
    email = models.EmailField(_("e-mailadres"), unique=True)
    # The language this person reads: of the e-mails the worker sends, and of the pages on a browser
    # where no language was picked. Blank: the portal's own (Dutch). Set by the language switch and
    # by deciding on consent in a language (consent.services.consent_decide).
    language = models.CharField(
        _("taal"), max_length=10, blank=True, choices=settings.LANGUAGES, help_text=_("Taal van e-mails en pagina's.")
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    # Roles --------------------------------------------------------------------
    @cached_property
    def role_set(self) -> frozenset[tuple[str, int | None]]:
        """(role, school id) pairs of this user; one query per request."""
        return frozenset(self.role_assignments.values_list("role", "school_id"))

    def has_role(self, role: str, school: School | int | None = None) -> bool:
        school_id = school.pk if isinstance(school, School) else school
        return any(r == role and (school_id is None or s == school_id) for r, s in self.role_set)

    def school_ids_for(self, role: str) -> set[int]:
        return {s for r, s in self.role_set if r == role and s is not None}

    @property
    def is_board_member(self) -> bool:
        return self.has_role(Role.BOARD)

    @property
    def is_school_leader(self) -> bool:
        return self.has_role(Role.SCHOOL_LEADER)

    @property
    def is_staff_member(self) -> bool:
        return self.has_role(Role.STAFF) or self.is_school_leader

    @property
    def is_council_secretary(self) -> bool:
        return self.has_role(Role.COUNCIL_SECRETARY)

    @property
    def is_functional_admin(self) -> bool:
        return self.has_role(Role.FUNCTIONAL_ADMIN) or self.is_superuser

    @property
    def requires_second_factor(self) -> bool:
        """Leaders, board and admins see private data only after a second factor."""
        return self.is_superuser or self.is_staff or any(r in SECOND_FACTOR_ROLES for r, _s in self.role_set)

    @property
    def logs_in_with_password(self) -> bool:
        """Staff and everyone above log in with a password; parents and pupils by e-mailed link."""
        return self.is_superuser or self.is_staff or any(r in PASSWORD_ROLES for r, _s in self.role_set)


class School(models.Model):
    """A school of the board (SKOW)."""

    name = models.CharField(_("naam"), max_length=200, unique=True)
    # BRIN: the Dutch school registration number (4 characters), used to match imports.
    brin = models.CharField(_("BRIN-nummer"), max_length=6, unique=True)
    email = models.EmailField(_("algemeen e-mailadres"), blank=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def current_school_year(on: datetime.date | None = None) -> str:
    """School year such as "2026-2027"; a new year starts on 1 August."""
    on = on or timezone.localdate()
    start = on.year if on.month >= 8 else on.year - 1
    return f"{start}-{start + 1}"


class Group(models.Model):
    """A group (class) of a school in one school year: groep 1 to 8, e.g. "Groep 5b"."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="groups", verbose_name=_("school"))
    school_year = models.CharField(_("schooljaar"), max_length=9, help_text=_("Bijvoorbeeld 2026-2027."))
    grade = models.PositiveSmallIntegerField(_("leerjaar"), help_text=_("Groep 1 tot en met 8."))
    name = models.CharField(_("naam"), max_length=50, help_text=_("Bijvoorbeeld 5b."))
    teachers = models.ManyToManyField(User, blank=True, related_name="teaching_groups", verbose_name=_("leerkrachten"))

    class Meta:
        verbose_name = _("groep")
        verbose_name_plural = _("groepen")
        ordering = ["school__name", "-school_year", "grade", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "name"], name="group_unique_per_school_year"),
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=8), name="group_grade_1_to_8"),
        ]

    def __str__(self) -> str:
        return _("Groep %(name)s") % {"name": self.name}


class Pupil(models.Model):
    """A pupil (leerling). Parents follow from guardianships; a pupil of 16+ may get a login."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils", verbose_name=_("school"))
    group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="pupils", verbose_name=_("groep")
    )
    student_number = models.CharField(_("leerlingnummer"), max_length=20)
    first_name = models.CharField(_("voornaam"), max_length=100)
    infix = models.CharField(_("tussenvoegsel"), max_length=30, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=100)
    date_of_birth = models.DateField(_("geboortedatum"))
    # Set by the pupil import: the leaving date the file gives, or the day the pupil was first
    # missing from the school's file. Pupil-linked case records go two years later (retention).
    left_on = models.DateField(_("vertrokken op"), null=True, blank=True, db_index=True)
    user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="pupil", verbose_name=_("login")
    )
    guardians = models.ManyToManyField(
        User, through="Guardianship", related_name="children", verbose_name=_("ouders/verzorgers")
    )

    class Meta:
        verbose_name = _("leerling")
        verbose_name_plural = _("leerlingen")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "student_number"], name="pupil_number_unique_per_school"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.infix, self.last_name) if part)

    def age_on(self, day: datetime.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def decides_own_consent(self, on: datetime.date | None = None) -> bool:
        """From the 16th birthday on, the pupil decides; computed on the day of use (AVG art. 8)."""
        return self.age_on(on or timezone.localdate()) >= AGE_OF_CONSENT


class Guardianship(models.Model):
    """A parent or guardian (ouder/verzorger) of a pupil."""

    guardian = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guardianships")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="guardianships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ouder/verzorger")
        verbose_name_plural = _("ouders/verzorgers")
        constraints = [models.UniqueConstraint(fields=["guardian", "pupil"], name="guardianship_unique")]

    def __str__(self) -> str:
        return f"{self.guardian} → {self.pupil}"


class RoleAssignment(models.Model):
    """A role a person holds, for one school (staff, leader) or for the whole board."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments")
    function = models.CharField(
        _("functie"), max_length=100, blank=True, help_text=_("Bijvoorbeeld leerkracht groep 5.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A term of office ((G)MR, the board, an interim leader): the hygiene report lists the role's
    # holder once it has passed, so someone decides whether the account stays.
    ends_on = models.DateField(
        _("einde termijn"), null=True, blank=True, help_text=_("Leeg als de rol geen einddatum heeft.")
    )

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")
        ordering = ["role", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "school"], condition=Q(school__isnull=False), name="role_unique_per_school"
            ),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(school__isnull=True), name="role_unique_board_wide"
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in SCHOOL_ROLES], school__isnull=False)
                | ~Q(role__in=[r.value for r in SCHOOL_ROLES]),
                name="school_role_needs_school",
            ),
        ]

    def __str__(self) -> str:
        where = self.school.name if self.school_id else _("SKOW")
        return f"{self.user} — {self.get_role_display()} ({where})"


class SafetyRoleHolder(models.Model):
    """Who holds one of a school's safety roles, from when until when (the role register).

    Kept by the functional admin. A holder is a person with a login, or (an external vertrouwenspersoon
    of the complaints scheme) a name with contact details. Only a current holder (``valid_from`` today
    or before, ``valid_to`` empty or today or later) is shown on the school's "Bij wie kan ik terecht?"
    page and receives reports (reports/access.py); an expired one is gone from both.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="safety_roles", verbose_name=_("school"))
    role = models.CharField(_("rol"), max_length=32, choices=SafetyRole.choices)
    user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="safety_roles",
        verbose_name=_("gebruiker van het portaal"),
        help_text=_(
            "Leeg voor iemand zonder account, zoals een externe vertrouwenspersoon. Een gebruiker met een "
            "account is medewerker van de school; dan ziet hij of zij de meldingen die bij de rol horen."
        ),
    )
    name = models.CharField(
        _("naam"), max_length=200, blank=True, help_text=_("Alleen als de persoon geen account in het portaal heeft.")
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    availability = models.CharField(
        _("bereikbaarheid"), max_length=200, blank=True, help_text=_("Bijvoorbeeld: dinsdag en donderdag.")
    )
    valid_from = models.DateField(_("geldig vanaf"), default=timezone.localdate)
    valid_to = models.DateField(_("geldig tot en met"), null=True, blank=True)

    class Meta:
        verbose_name = _("houder van een veiligheidsrol")
        verbose_name_plural = _("rollenregister (aanspreekpunt, vertrouwenspersoon, ...)")
        ordering = ["school__name", "role", "valid_from", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(name=""), name="safety_role_holder_is_someone"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="safety_role_holder_period_in_order",
            ),
        ]
        indexes = [models.Index(fields=["school", "role"], name="safety_role_school_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.display_name} ({self.school})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.user_id is None and not self.name.strip():
            raise ValidationError(_("Kies een gebruiker van het portaal, of vul de naam in van iemand zonder account."))
        if self.user_id and self.school_id and not self.user.has_role(Role.STAFF, self.school_id):
            raise ValidationError(
                {"user": _("Deze gebruiker is geen medewerker van de school. Geef hem of haar eerst die rol.")}
            )
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("De einddatum ligt voor de begindatum.")})

    @property
    def display_name(self) -> str:
        return str(self.user) if self.user_id else self.name

    @property
    def contact_email(self) -> str:
        return self.email or (self.user.email if self.user_id else "")


def safety_role_current_on(day: datetime.date) -> Q:
    """A filter of SafetyRoleHolder rows: those holding their role on ``day``."""
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class LoginLink(models.Model):
    """A single-use, expiring login link for parents and pupils; only a hash of the token is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inloglink")
        verbose_name_plural = _("inloglinks")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        return self.used_at is None and (now or timezone.now()) < self.expires_at


class ThrottleCount(models.Model):
    """How often one client did one kind of thing in one hour: the durable side of the rate limits.

    The client is only a keyed hash (accounts.throttle), and only the hour is kept, not the moment:
    a row cannot be joined to a log line, an address or a report (SECURITY.md).
    """

    scope = models.CharField(max_length=32)
    client_digest = models.CharField(max_length=32)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("telling voor een limiet")
        verbose_name_plural = _("tellingen voor limieten")
        constraints = [
            models.UniqueConstraint(fields=["scope", "client_digest", "window_start"], name="throttle_count_once")
        ]
        indexes = [models.Index(fields=["window_start"], name="throttle_window")]

    def __str__(self) -> str:
        return f"{self.scope} {self.window_start:%Y-%m-%d %H:00} ({self.hits})"


class SpentChallenge(models.Model):
    """A single-use check (a browser's proof of work, a step-up answer, an unlock link) already used."""

    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("gebruikte controle")
        verbose_name_plural = _("gebruikte controles")

    def __str__(self) -> str:
        return self.digest[:12]


class LinkRequest(models.Model):
    """An address typed on "inloglink" or "wachtwoord vergeten", waiting for a worker to answer it.

    The page only writes this row and hands its id to the queue, so it does the same work for a
    known and an unknown address; the worker looks the address up and deletes the row.
    """

    email = models.CharField(_("e-mailadres"), max_length=254)
    purpose = models.CharField(_("doel"), max_length=10, choices=LinkPurpose.choices)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)

    class Meta:
        verbose_name = _("linkaanvraag")
        verbose_name_plural = _("linkaanvragen")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class ProviderIdentity(models.Model):
    """A staff member's account at the board's identity provider, matched once to a portal account.

    Never created by the provider's say-so alone: the first sign-in is matched on the verified
    e-mail address of the board's domain; after that on the provider's subject id (``sub``), so a
    renamed address still finds the same person. The portal's roles stay the portal's.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="provider_identities")
    provider = models.CharField(_("provider"), max_length=16, choices=SignInProvider.choices)
    subject = models.CharField(_("id bij de provider"), max_length=255)
    email_at_match = models.EmailField(_("e-mailadres bij koppelen"))
    matched_at = models.DateTimeField(_("gekoppeld"), default=timezone.now)
    last_sign_in_at = models.DateTimeField(_("laatst ingelogd"), null=True, blank=True)
    # The last sign-in whose token said multi-factor (amr/acr): counts as MFA on the hygiene report.
    last_multi_factor_at = models.DateTimeField(_("laatst met meerdere factoren"), null=True, blank=True)
    # The provider's refresh token, encrypted (accounts.sso): the re-check asks the provider with it
    # whether the account still exists and is enabled.
    refresh_token_sealed = models.TextField(blank=True, default="")
    checked_at = models.DateTimeField(_("laatst gecontroleerd"), null=True, blank=True)

    class Meta:
        verbose_name = _("koppeling met een inlogprovider")
        verbose_name_plural = _("koppelingen met inlogproviders")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="provider_identity_subject_once"),
            models.UniqueConstraint(fields=["user", "provider"], name="provider_identity_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_provider_display()})"


class ProviderSession(models.Model):
    """A portal session opened through a provider: the re-check ends it when the provider says no."""

    identity = models.ForeignKey(ProviderIdentity, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sessie via een inlogprovider")
        verbose_name_plural = _("sessies via inlogproviders")

    def __str__(self) -> str:
        return f"{self.identity} {self.started_at:%Y-%m-%d %H:%M}"


class ProviderMultiFactorManager(DeviceManager):
    def devices_for_user(self, user, confirmed=None):
        # Not a device a person types a code from: the code step (common.access.second_factor_step,
        # which asks django-otp's user_has_device) must not send anyone to it.
        return self.none()


class ProviderMultiFactor(Device):
    """The second factor the provider vouched for at sign-in (its token's amr/acr said multi-factor).

    A django-otp device only so the session counts as verified (``user.is_verified()``), exactly as
    after a TOTP code. It never accepts a typed code and is never listed among a person's devices,
    so a person who also has a password is not sent to a code step for it.
    """

    objects = ProviderMultiFactorManager()

    class Meta:
        verbose_name = _("tweede factor van de inlogprovider")
        verbose_name_plural = _("tweede factoren van inlogproviders")

    def verify_token(self, token) -> bool:
        return False


class SignInRefused(models.Model):
    """A sign-in through a provider that was refused, or a session the re-check ended.

    For the functional admin ("who tried, and why not"); only the address the provider gave is kept,
    and for SIGN_IN_REFUSAL_RETENTION_DAYS (SECURITY.md).
    """

    provider = models.CharField(_("provider"), max_length=16, choices=SignInProvider.choices)
    reason = models.CharField(_("reden"), max_length=32, choices=SignInRefusal.choices)
    email = models.CharField(_("e-mailadres bij de provider"), max_length=254, blank=True)
    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("geweigerde aanmelding")
        verbose_name_plural = _("geweigerde aanmeldingen")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.email or '?'} — {self.get_reason_display()}"


class AccountDisabling(models.Model):
    """An account disabled from the account hygiene report: who, by whom, why and when (append-only)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="disablings")
    disabled_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uitgeschakeld door")
    )
    reason = models.CharField(_("reden"), max_length=32, choices=HygieneReason.choices)
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)

    class Meta:
        verbose_name = _("uitgeschakeld account")
        verbose_name_plural = _("uitgeschakelde accounts")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_reason_display()} ({self.at:%Y-%m-%d})"


class RoleRequest(models.Model):
    """A request to give or take away a leader, board or functional-admin role (``GUARDED_ROLES``).

    Filed by the functional admin or a board member (or by the staff import, for a school leader);
    it takes effect only when a board member approves it in the portal who is neither the requester
    nor the person concerned. The rows are the audit trail: never deleted, decided once.
    """

    change = models.CharField(_("wijziging"), max_length=10, choices=RoleChange.choices)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_requests", verbose_name=_("persoon"))
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("school")
    )
    function = models.CharField(_("functie"), max_length=100, blank=True)
    reason = models.CharField(_("toelichting"), max_length=300, blank=True)
    # Empty: filed by the staff import run on the command line (the person at the server's shell).
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("aangevraagd door")
    )
    requested_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    state = models.CharField(
        _("status"), max_length=10, choices=RoleRequestState.choices, default=RoleRequestState.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("besloten door")
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)

    class Meta:
        verbose_name = _("rolaanvraag")
        verbose_name_plural = _("rolaanvragen")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "school", "change"],
                condition=Q(state="pending", school__isnull=False),
                name="role_request_pending_once_per_school",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "change"],
                condition=Q(state="pending", school__isnull=True),
                name="role_request_pending_once_board_wide",
            ),
            models.CheckConstraint(
                condition=Q(state="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(state="pending") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="role_request_decided_with_whom",
            ),
            models.CheckConstraint(
                condition=~Q(decided_by=models.F("user")) & ~Q(decided_by=models.F("requested_by"))
                | Q(decided_by__isnull=True),
                name="role_request_two_people",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_change_display()}: {self.get_role_display()} — {self.user}"

"""Roles and other fixed choices of the accounts app (DESIGN.md, "Roles")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Medewerker")
    SCHOOL_LEADER = "school_leader", _("Schoolleiding")
    # (G)MR: (gemeenschappelijke) medezeggenschapsraad — docs/glossary.md.
    COUNCIL_SECRETARY = "council_secretary", _("Secretaris (G)MR")
    BOARD = "board", _("Bestuur")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functioneel beheer")


# Roles that hold for one school; the others hold for the whole board (school left empty).
# A tuple, not a set: its order ends up in a migration and must not change between runs.
SCHOOL_ROLES = (Role.STAFF, Role.SCHOOL_LEADER)
# Roles whose holders see private data and must pass a second factor first (DESIGN.md).
SECOND_FACTOR_ROLES = frozenset({Role.SCHOOL_LEADER, Role.BOARD, Role.FUNCTIONAL_ADMIN})
# Roles whose holders log in with a password (+ TOTP), never with an e-mailed link.
PASSWORD_ROLES = frozenset(Role)
# Roles that open case files or the back office: granted and removed only through a role request
# that a board member approves in the portal (two people; never the requester, never the person
# concerned). Django's admin, the staff import and single sign-on cannot change them (SECURITY.md).
GUARDED_ROLES = (Role.SCHOOL_LEADER, Role.BOARD, Role.FUNCTIONAL_ADMIN)

# Age from which a pupil decides about their own consent (AVG art. 8, UAVG art. 5).
AGE_OF_CONSENT = 16


class LinkPurpose(models.TextChoices):
    """What a link asked for on a public page is for (inloglink, wachtwoord vergeten, blokkade opheffen)."""

    LOGIN = "login", _("Inloglink")
    PASSWORD = "password", _("Wachtwoord kiezen")
    UNLOCK = "unlock", _("Blokkade opheffen")


class SignInProvider(models.TextChoices):
    """The board's identity providers staff may sign in with (OpenID Connect; README, "Single sign-on")."""

    MICROSOFT = "microsoft", _("Microsoft")
    GOOGLE = "google", _("Google")


class SignInRefusal(models.TextChoices):
    """Why a sign-in through a provider was refused, or a session ended (the functional admin sees these)."""

    CONSUMER_ACCOUNT = "consumer_account", _("Persoonlijk account")
    OTHER_ORGANISATION = "other_organisation", _("Account van een andere organisatie")
    OTHER_DOMAIN = "other_domain", _("E-mailadres buiten het domein van het bestuur")
    EMAIL_NOT_VERIFIED = "email_not_verified", _("E-mailadres niet bevestigd")
    UNKNOWN_ACCOUNT = "unknown_account", _("Geen account in het portaal")
    NOT_STAFF = "not_staff", _("Geen medewerkersaccount")
    ACCOUNT_DISABLED = "account_disabled", _("Account in het portaal uitgeschakeld")
    IDENTITY_CONFLICT = "identity_conflict", _("Al gekoppeld aan een ander account")
    DISABLED_AT_PROVIDER = "disabled_at_provider", _("Account bij de provider uitgeschakeld")


class RoleChange(models.TextChoices):
    """What a role request asks: to give a role or to take it away."""

    GRANT = "grant", _("Toekennen")
    REMOVE = "remove", _("Intrekken")


class RoleRequestState(models.TextChoices):
    """Where a role request stands; only a pending request can be decided."""

    PENDING = "pending", _("Wacht op het bestuur")
    APPROVED = "approved", _("Goedgekeurd")
    REJECTED = "rejected", _("Afgewezen")


class HygieneReason(models.TextChoices):
    """Why an account is on the account hygiene report (and why it was disabled from there)."""

    NO_RECENT_LOGIN = "no_recent_login", _("Lang niet ingelogd")
    NO_SECOND_FACTOR = "no_second_factor", _("Geen tweede factor")
    ROLE_TERM_ENDED = "role_term_ended", _("Termijn van een rol verlopen")
    PUPILS_LEFT = "pupils_left", _("Kinderen van school")


# Microsoft's tenant of personal accounts (outlook.com, hotmail.com, live.com): the "tid" of every
# consumer account's token. A board's staff never sign in with one.
MICROSOFT_CONSUMER_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"


class SafetyRole(models.TextChoices):
    """The people a school names for its pupils' safety besides its leadership (Wet veiligheid op
    school, WPO art. 4c; the complaints scheme, WPO art. 14; the meldcode, Wet verplichte meldcode)."""

    ANTI_BULLYING_CONTACT = "anti_bullying_contact", _("Aanspreekpunt pesten")
    ANTI_BULLYING_COORDINATOR = "anti_bullying_coordinator", _("Coördinator anti-pestbeleid")
    INTERNAL_CONFIDANT = "internal_confidant", _("Interne vertrouwens-/contactpersoon")
    EXTERNAL_CONFIDANT = "external_confidant", _("Externe vertrouwenspersoon")
    MELDCODE_OFFICER = "meldcode_officer", _("Aandachtsfunctionaris meldcode")
    BOARD_CONTACT = "board_contact", _("Contactpersoon bestuur")


# The vertrouwenspersonen: a report sent to one of them is theirs alone until they hand it on.
CONFIDANT_ROLES = (SafetyRole.INTERNAL_CONFIDANT, SafetyRole.EXTERNAL_CONFIDANT)
# Who hears of bullying (WPO art. 4c): the aanspreekpunt, with the coördinator in copy.
ANTI_BULLYING_ROLES = (SafetyRole.ANTI_BULLYING_CONTACT, SafetyRole.ANTI_BULLYING_COORDINATOR)

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

# Age from which a pupil decides about their own consent (AVG art. 8, UAVG art. 5).
AGE_OF_CONSENT = 16


class LinkPurpose(models.TextChoices):
    """What a link asked for on a public page is for (inloglink, wachtwoord vergeten, blokkade opheffen)."""

    LOGIN = "login", _("Inloglink")
    PASSWORD = "password", _("Wachtwoord kiezen")
    UNLOCK = "unlock", _("Blokkade opheffen")

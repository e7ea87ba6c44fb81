"""Demo data of the accounts app: two schools, one person per role, pupils and guardians.

Idempotent: a second run updates the same rows. Only for demonstration and tests.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .constants import Role, RoleChange, SafetyRole
from .models import (
    Group,
    Guardianship,
    Pupil,
    RoleAssignment,
    RoleRequest,
    SafetyRoleHolder,
    School,
    User,
    current_school_year,
)
from .services import totp_secret_base32

DEMO_PASSWORD = "SKOW-demo-2026!"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str  # "-" when the person logs in by e-mailed link
    totp_secret: str  # base32, "-" when none

    def line(self) -> str:
        return f"{self.role} {self.email} {self.password} {self.totp_secret}"


SCHOOLS = [("Sint-Jozefschool", "01AB"), ("Basisschool De Windroos", "02CD")]

# (role, school index or None, e-mail, first name, last name, function, has TOTP)
PEOPLE = [
    (Role.BOARD, None, "bestuur@demo.skow.nl", "Marieke", "van den Berg", "directeur-bestuurder"),
    (Role.FUNCTIONAL_ADMIN, None, "beheer@demo.skow.nl", "Ahmed", "El Amrani", "functioneel beheerder"),
    (Role.SCHOOL_LEADER, 0, "directeur.jozef@demo.skow.nl", "Sanne", "de Vries", "directeur"),
    (Role.SCHOOL_LEADER, 1, "directeur.windroos@demo.skow.nl", "Pieter", "Jansen", "directeur"),
    (Role.COUNCIL_SECRETARY, None, "gmr@demo.skow.nl", "Els", "Bakker", "secretaris GMR"),
    (Role.STAFF, 0, "leerkracht@demo.skow.nl", "Joris", "Visser", "leerkracht groep 5"),
]

# The Sint-Jozefschool's role register (WPO art. 4c): teachers who hold a safety role, with a login.
# (role, e-mail, first name, last name, function, availability)
REGISTER = [
    (
        SafetyRole.ANTI_BULLYING_CONTACT,
        "aanspreekpunt@demo.skow.nl",
        "Fatima",
        "Yilmaz",
        "leerkracht groep 8",
        "maandag t/m donderdag",
    ),
    (
        SafetyRole.ANTI_BULLYING_COORDINATOR,
        "ib@demo.skow.nl",
        "Wim",
        "Hendriks",
        "intern begeleider",
        "dinsdag en donderdag",
    ),
    (
        SafetyRole.INTERNAL_CONFIDANT,
        "vertrouwenspersoon@demo.skow.nl",
        "Lotte",
        "Kramer",
        "leerkracht groep 3",
        "elke schooldag",
    ),
    (
        SafetyRole.MELDCODE_OFFICER,
        "aandachtsfunctionaris@demo.skow.nl",
        "Ruud",
        "de Wit",
        "intern begeleider",
        "woensdag",
    ),
]
# An external confidant of the complaints scheme has no login: a name and contact details.
EXTERNAL_CONFIDANT = {
    "name": "Mr. drs. H. (Hanneke) Verhoeven",
    "email": "vertrouwenspersoon@extern.example.nl",
    "phone": "070-3456789",
    "availability": "op werkdagen van 9 tot 17 uur",
}

PUPILS = [
    # (school, grade, group name, number, first, infix, last, age in years, extra days)
    (0, 5, "5a", "1001", "Noah", "", "Bakker", 8, 40),
    (0, 5, "5a", "1002", "Emma", "de", "Jong", 8, 200),
    (0, 5, "5a", "1003", "Liam", "van", "Dijk", 9, 10),
    (0, 8, "8a", "1004", "Julia", "", "Smit", 11, 90),
    (0, 8, "8a", "1005", "Daan", "", "Meijer", 12, 5),
    (0, 8, "8a", "1006", "Sophie", "van der", "Linden", 16, 30),  # decides about own consent
    (1, 3, "3b", "2001", "Mila", "", "Mulder", 6, 120),
    (1, 6, "6b", "2002", "Sem", "de", "Graaf", 9, 300),
]


def _years_ago(years: int, days: int) -> datetime.date:
    today = timezone.localdate()
    try:
        anniversary = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        anniversary = today.replace(year=today.year - years, day=28)
    return anniversary - datetime.timedelta(days=days)


def _demo_totp(user: User) -> str:
    # A fixed key per address, so the printed secret stays valid across runs.
    key = hashlib.sha256(f"skow-demo-totp:{user.email}".encode()).hexdigest()[:40]
    TOTPDevice.objects.update_or_create(
        user=user, name="Demo-authenticator", defaults={"key": key, "confirmed": True, "digits": 6, "step": 30}
    )
    return totp_secret_base32(TOTPDevice.objects.get(user=user, name="Demo-authenticator"))


def _user(email: str, first: str, last: str, password: str | None) -> User:
    user, _created = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last})
    user.first_name, user.last_name = first, last
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


def _register(school: School, *, board: User) -> list[DemoLogin]:
    """The demo school's role register: who is its aanspreekpunt pesten, vertrouwenspersoon, ..."""
    start = timezone.localdate() - datetime.timedelta(days=60)
    logins = []
    for role, email, first, last, function, availability in REGISTER:
        user = _user(email, first, last, DEMO_PASSWORD)
        RoleAssignment.objects.update_or_create(
            user=user, role=Role.STAFF, school=school, defaults={"function": function}
        )
        SafetyRoleHolder.objects.update_or_create(
            school=school, role=role, user=user, defaults={"valid_from": start, "availability": availability}
        )
        logins.append(DemoLogin(role.value, email, DEMO_PASSWORD, _demo_totp(user)))
    SafetyRoleHolder.objects.update_or_create(
        school=school,
        role=SafetyRole.EXTERNAL_CONFIDANT,
        name=EXTERNAL_CONFIDANT["name"],
        defaults={**EXTERNAL_CONFIDANT, "valid_from": start},
    )
    SafetyRoleHolder.objects.update_or_create(
        school=school, role=SafetyRole.BOARD_CONTACT, user=board, defaults={"valid_from": start}
    )
    return logins


@transaction.atomic
def seed() -> list[DemoLogin]:
    schools = [
        School.objects.update_or_create(
            brin=brin, defaults={"name": name, "email": f"info@{brin.lower()}.demo.skow.nl"}
        )[0]
        for name, brin in SCHOOLS
    ]
    year = current_school_year()
    logins: list[DemoLogin] = []
    people: dict[str, User] = {}
    for role, school_index, email, first, last, function in PEOPLE:
        user = _user(email, first, last, DEMO_PASSWORD)
        school = schools[school_index] if school_index is not None else None
        RoleAssignment.objects.update_or_create(user=user, role=role, school=school, defaults={"function": function})
        if role == Role.SCHOOL_LEADER:  # a leader is also staff of the school
            RoleAssignment.objects.update_or_create(
                user=user, role=Role.STAFF, school=school, defaults={"function": function}
            )
        if role == Role.FUNCTIONAL_ADMIN:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        people[email] = user
        logins.append(DemoLogin(role.value, email, DEMO_PASSWORD, _demo_totp(user)))

    groups: dict[tuple[int, str], Group] = {}
    pupils: dict[str, Pupil] = {}
    for school_index, grade, group_name, number, first, infix, last, years, days in PUPILS:
        key = (school_index, group_name)
        if key not in groups:
            groups[key] = Group.objects.update_or_create(
                school=schools[school_index], school_year=year, name=group_name, defaults={"grade": grade}
            )[0]
        pupils[number] = Pupil.objects.update_or_create(
            school=schools[school_index],
            student_number=number,
            defaults={
                "group": groups[key],
                "first_name": first,
                "infix": infix,
                "last_name": last,
                "date_of_birth": _years_ago(years, days),
            },
        )[0]
    groups[(0, "5a")].teachers.add(people["leerkracht@demo.skow.nl"])
    # A role request waiting for the board (Beheer › Rollen): the functional admin asks to make the
    # teacher the school's leadership; log in as the board to approve or reject it.
    teacher = people["leerkracht@demo.skow.nl"]
    if not RoleRequest.objects.filter(user=teacher).exists():
        RoleRequest.objects.create(
            user=teacher,
            role=Role.SCHOOL_LEADER,
            school=schools[0],
            change=RoleChange.GRANT,
            function="adjunct-directeur",
            reason="Joris wordt per 1 januari adjunct-directeur.",
            requested_by=people["beheer@demo.skow.nl"],
        )
    logins += _register(schools[0], board=people["bestuur@demo.skow.nl"])

    parent = _user("ouder@demo.skow.nl", "Karin", "Bakker", None)
    for number in ("1001", "1004"):
        Guardianship.objects.get_or_create(guardian=parent, pupil=pupils[number])
    second_parent = _user("ouder2@demo.skow.nl", "Tom", "Bakker", None)
    Guardianship.objects.get_or_create(guardian=second_parent, pupil=pupils["1001"])
    for number, address in (("1002", "fam.dejong@demo.skow.nl"), ("1006", "fam.vanderlinden@demo.skow.nl")):
        Guardianship.objects.get_or_create(guardian=_user(address, "", "", None), pupil=pupils[number])
    logins.append(DemoLogin("parent", parent.email, "-", "-"))
    # The second guardian of Noah: log in as both to see two guardians who disagree.
    logins.append(DemoLogin("parent", second_parent.email, "-", "-"))

    pupil_user = _user("sophie.vanderlinden@demo.skow.nl", "Sophie", "van der Linden", None)
    pupil = pupils["1006"]
    pupil.user = pupil_user
    pupil.save(update_fields=["user"])
    logins.append(DemoLogin("pupil", pupil_user.email, "-", "-"))
    return logins

"""The routing table (protocol A.9; WPO art. 4c): every category × about leadership × whom the reporter
chose → who is told, and nobody else."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.constants import SafetyRole
from accounts.models import SafetyRoleHolder
from accounts.tests.factories import UserFactory
from reports.access import recipients_for
from reports.constants import Category, Recipient, SubjectFinding
from reports.names import leadership_named_in, names_email, names_full_name
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

LEADERS, BOARD = "leaders", "board"
# The role register (accounts.SafetyRoleHolder): the aanspreekpunt pesten with the coördinator in copy,
# and the two vertrouwenspersonen.
ANTI_BULLYING, INTERNAL, EXTERNAL = "anti_bullying", "internal_confidant", "external_confidant"
BOARD_TOO = {Category.RADICALISATION, Category.THREATS, Category.SEXTING}
# A.6, B.2, B.5 and C.1–C.4: only staff can break them, so the board is told as well.
STAFF_RULES = {
    Category.BEFRIENDING_PUPILS,
    Category.ARGUING_ONLINE,
    Category.ROLE_NOT_STATED,
    Category.OFF_DUTY_PERSONAL_DATA,
    Category.OFF_DUTY_CONTRARY_VIEWS,
    Category.OFF_DUTY_EMPLOYMENT_NOT_STATED,
    Category.DISCLAIMER_MISSING,
    Category.STAFF_RULE_OTHER,
    Category.STAFF_SEXUAL_CONDUCT,
}


def expected(
    category: str, about_leadership: bool, involves_staff: bool, recipient: str = Recipient.SCHOOL
) -> set[str]:
    if category == Category.STAFF_SEXUAL_CONDUCT:
        return {BOARD}  # WPO art. 4a: the board, whatever the reporter chose
    if recipient == Recipient.INTERNAL_CONFIDANT:
        return {INTERNAL}  # theirs alone until handed on
    if recipient == Recipient.EXTERNAL_CONFIDANT:
        return {EXTERNAL}
    if recipient == Recipient.BOARD:
        return {BOARD}
    if about_leadership:
        return {BOARD}
    told = {LEADERS}
    if category in BOARD_TOO or category in STAFF_RULES or involves_staff:
        told.add(BOARD)
    if category == Category.BULLYING or recipient == Recipient.ANTI_BULLYING:
        told.add(ANTI_BULLYING)  # WPO art. 4c, next to the leadership
    return told


TABLE = [
    (
        category,
        about_leadership,
        involves_staff,
        recipient,
        expected(category, about_leadership, involves_staff, recipient),
    )
    for category in Category
    for about_leadership in (False, True)
    for involves_staff in (False, True)
    for recipient in Recipient
]


@pytest.fixture
def people(school, other_school):
    leader = UserFactory(roles=[("school_leader", school), ("staff", school)])
    second_leader = UserFactory(roles=[("school_leader", school)])
    UserFactory(roles=[("school_leader", other_school)])  # never told about another school
    UserFactory(roles=[("staff", school)])  # staff are not handlers
    UserFactory(roles=[("council_secretary", None)])
    board = UserFactory(roles=[("board", None)])
    today = timezone.localdate()
    register = {}
    for role in SafetyRole:
        holder = UserFactory(roles=[("staff", school)])
        SafetyRoleHolder.objects.create(school=school, role=role, user=holder, valid_from=today)
        register[role] = holder.pk
        # A holder whose term ended yesterday is gone from routing; one of another school never routes here.
        expired = UserFactory(roles=[("staff", school)])
        SafetyRoleHolder.objects.create(
            school=school,
            role=role,
            user=expired,
            valid_from=today - datetime.timedelta(days=400),
            valid_to=today - datetime.timedelta(days=1),
        )
        SafetyRoleHolder.objects.create(
            school=other_school, role=role, user=UserFactory(roles=[("staff", other_school)]), valid_from=today
        )
    return {
        LEADERS: {leader.pk, second_leader.pk},
        BOARD: {board.pk},
        ANTI_BULLYING: {register[SafetyRole.ANTI_BULLYING_CONTACT], register[SafetyRole.ANTI_BULLYING_COORDINATOR]},
        INTERNAL: {register[SafetyRole.INTERNAL_CONFIDANT]},
        EXTERNAL: {register[SafetyRole.EXTERNAL_CONFIDANT]},
    }


@pytest.mark.parametrize(("category", "about_leadership", "involves_staff", "recipient", "told"), TABLE)
def test_routing_table(people, school, category, about_leadership, involves_staff, recipient, told):
    report = ReportFactory(
        school=school,
        category=category,
        is_about_leadership=about_leadership,
        involved_roles=["pupil", "staff"] if involves_staff else ["pupil"],
        recipient=recipient,
    )
    expected_ids = set().union(*(people[group] for group in told))
    assert {user.pk for user in recipients_for(report)} == expected_ids


def test_a_school_without_leadership_on_record_goes_to_the_board(other_school, board_member):
    report = ReportFactory(school=other_school, category=Category.BULLYING)
    assert recipients_for(report) == [board_member]


def test_inactive_leaders_are_not_told(school, board_member):
    leader = UserFactory(roles=[("school_leader", school)])
    leader.is_active = False
    leader.save()
    report = ReportFactory(school=school, category=Category.BULLYING)
    assert recipients_for(report) == [board_member]


def test_a_leader_whose_access_was_withdrawn_is_no_longer_told(school, school_leader, board_member):
    from reports.services import case_access_withdraw

    colleague = UserFactory(roles=[("school_leader", school)])
    report = ReportFactory(school=school)
    case_access_withdraw(case=report.case, user=school_leader, by=board_member, reason="Familie van de leerling.")
    assert recipients_for(report) == [colleague]


# Who a report names: a table of texts that do and do not name a leader -------------------------------
# (person's first name, last name) -> text -> named? The rules and their reasons: reports/names.py.

ANNA = ("Anna", "de Vries")
NAMES = [
    # The full name, however it is typed.
    (ANNA, "Anna de Vries stuurde de leerling berichten via Instagram.", True),
    (ANNA, "ANNA DE VRIES", True),
    (ANNA, "anna de  vries", True),
    (ANNA, "Het ging om (Anna de Vries).", True),
    (ANNA, "mevrouw Anna de Vries, de directeur", True),
    (ANNA, "Anna De\nVries", False),  # a new line ends a name
    (ANNA, "Anna Vries", True),  # the tussenvoegsel left out
    (ANNA, "De Vries, Anna", True),  # surname first, as in a list
    (ANNA, "Vries, Anna de", True),
    (ANNA, "Betrokken: De Vries, Anna; Piet Jansen", True),
    (("Özlem", "van 't Hof"), "Ozlem van t Hof", True),  # accents and apostrophes
    (("Özlem", "van 't Hof"), "özlem van het hof", True),
    (("Ozlem", "van 't Hof"), "Özlem Hof", True),
    (("Jan-Willem", "van der Berg"), "Jan-Willem van den Berg", True),  # another tussenvoegsel
    (("Jan-Willem", "van der Berg"), "jan-willem vd berg", True),
    (("Jan-Willem", "van der Berg"), "Jan-Willem v/d Berg", True),
    (("Jan-Willem", "van der Berg"), "Jan-Willem v.d. Berg heeft", True),
    (("Anna Maria", "de Vries"), "Anna de Vries", True),  # the first of several given names
    (("Anna Maria", "de Vries"), "Anna Maria de Vries", True),
    (("Sanne", "Jansen-de Vries"), "Sanne Jansen-de Vries", True),
    (("René", "Dijkstra"), "rene dijkstra", True),
    # A first name or a surname alone names nobody.
    (ANNA, "juf Anna was er ook bij", False),
    (ANNA, "mevrouw De Vries heeft het gezien", False),
    (ANNA, "De Vries", False),
    (ANNA, "A. de Vries", False),  # initials
    (ANNA, "Anna en mevrouw de Vries", False),
    # Word boundaries: another person, another word.
    (ANNA, "Anna de Vriesland", False),
    (ANNA, "Johanna de Vries", False),
    (ANNA, "Marie-Anna de Vries", False),  # a hyphenated name is one name
    (ANNA, "Annabel de Vries", False),
    (ANNA, "Piet de Vries, Anna Jansen", False),  # a list, not "surname, first name"
    (ANNA, "De Vries, Anna heeft het gezien", False),
    (ANNA, "Ik sprak met De Vries. Anna zei niets.", False),  # a full stop ends a name
    (("Jan-Willem", "van der Berg"), "Jan van der Berg", False),
    (("Sanne", "Jansen-de Vries"), "Sanne de Vries", False),
    (("Sanne", "Jansen-de Vries"), "Sanne Jansen", False),
    (("", "de Vries"), "Anna de Vries", False),  # no first name on record: only the e-mail address counts
]


@pytest.mark.parametrize(("person", "text", "named"), NAMES, ids=[f"{p[0]} {p[1]}: {t!r}" for p, t, _n in NAMES])
def test_a_text_names_a_person_only_by_full_name(person, text, named):
    first_name, last_name = person
    assert names_full_name(text, first_name=first_name, last_name=last_name) is named


EMAILS = [
    ("Mail van anna.devries@skow.nl kwam binnen", True),
    ("ANNA.DEVRIES@SKOW.NL.", True),
    ("<anna.devries@skow.nl>", True),
    ("xanna.devries@skow.nl", False),
    ("anna.devries@skow.nl.example.com", False),
    ("anna.devries@skow.nlx", False),
    ("anna.devries", False),
]


@pytest.mark.parametrize(("text", "named"), EMAILS, ids=[text for text, _n in EMAILS])
def test_a_text_names_a_person_by_the_whole_email_address(text, named):
    assert names_email(text, email="anna.devries@skow.nl") is named


def test_only_active_leaders_of_the_school_and_board_members_are_looked_for(school, other_school):
    director = UserFactory(first_name="Anna", last_name="de Vries", roles=[("school_leader", school)])
    member = UserFactory(first_name="Kees", last_name="Bos", email="k.bos@skow.nl", roles=[("board", None)])
    UserFactory(first_name="Piet", last_name="Smit", roles=[("school_leader", other_school)])
    UserFactory(first_name="Joke", last_name="Kok", roles=[("staff", school)])
    retired = UserFactory(first_name="Ria", last_name="Mol", roles=[("school_leader", school)])
    retired.is_active = False
    retired.save()
    text = "Anna de Vries, Piet Smit, Joke Kok en Ria Mol; zie ook de mail aan k.bos@skow.nl."
    named = leadership_named_in(school_id=school.pk, texts=[text])
    assert [(person.user, person.found_by) for person in named] == [
        (director, SubjectFinding.BY_NAME),
        (member, SubjectFinding.BY_EMAIL),
    ]
    # A leader who reports and signs with her own name is not what her report is about.
    assert [p.user for p in leadership_named_in(school_id=school.pk, texts=[text], reporter=director)] == [member]

"""The main menu per role: related pages in drop-downs, a group of one page as a plain link."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

# role → the menu as (entry, [its pages]); a new page in the menu is a change in this table.
MENUS = {
    "visitor": [("Protocol", ["Protocol"]), ("Melden", ["Melden"])],
    "parent": [
        ("Protocol", ["Protocol"]),
        ("Melden", ["Melden"]),
        ("Toestemming", ["Toestemming"]),
        ("Klachten", ["Klachten"]),
    ],
    "teacher": [
        ("Protocol", ["Protocol", "Protocol bevestigen"]),
        ("Melden", ["Melden", "Vermoeden van een misstand"]),
        ("Toestemming", ["Toestemming", "Fotocheck", "Opnames in de klas"]),
        ("Overleggen", ["Overleggen"]),
        # The meldcode: a teacher signals (step 1) and sees whether the signal was taken up.
        ("Meldingen", ["Meldcode"]),
        ("Klachten", ["Klachten"]),
    ],
    "school_leader": [
        ("Protocol", ["Protocol", "Protocol bevestigen", "Leesbevestigingen"]),
        ("Melden", ["Melden", "Vermoeden van een misstand"]),
        (
            "Toestemming",
            [
                "Toestemming",
                "Fotocheck",
                "Opnames in de klas",
                "Campagnes",
                "Leerlingen van 16+",
                "Publicaties",
                "Verwijdertaken",
            ],
        ),
        ("Overleggen", ["Overleggen"]),
        ("Meldingen", ["Meldingen", "Persoonsdossiers", "Meldcode", "Jaaroverzicht"]),
        ("Klachten", ["Klachten", "Klachten behandelen"]),
    ],
    "board_member": [
        ("Protocol", ["Protocol", "Leesbevestigingen", "Concepten protocol"]),
        ("Melden", ["Melden"]),
        (
            "Toestemming",
            [
                "Fotocheck",
                "Opnames in de klas",
                "Campagnes",
                "Leerlingen van 16+",
                "Publicaties",
                "Verwijdertaken",
                "Formulierteksten",
                "Nieuwe formulierversie",
            ],
        ),
        ("Overleggen", ["Overleggen"]),
        (
            "Meldingen",
            [
                "Meldingen",
                "Persoonsdossiers",
                "Meldcode",
                "Goedkeuringen",
                "Jaaroverzicht",
                "Bewaartermijn",
                "Misstanden",
                "Meldkanaal misstanden",
            ],
        ),
        ("Klachten", ["Klachten", "Klachten behandelen"]),
        ("Beheer", ["Accounts opschonen", "Bewaartermijnen", "Rollen"]),
    ],
    "functional_admin": [
        ("Protocol", ["Protocol", "Concepten protocol"]),
        ("Melden", ["Melden"]),
        ("Toestemming", ["Formulierteksten", "Nieuwe formulierversie"]),
        ("Klachten", ["Klachten"]),
        ("Beheer", ["Beheer", "Accounts opschonen", "Rollen"]),
    ],
    "council_secretary": [
        ("Protocol", ["Protocol", "Concepten protocol"]),
        ("Melden", ["Melden"]),
        ("Klachten", ["Klachten"]),
    ],
}


@pytest.mark.parametrize("role", MENUS)
def test_each_role_sees_its_own_menu(client, request, role, logged_in):
    if role != "visitor":
        logged_in(request.getfixturevalue(role))
    menu = client.get("/").context["nav_items"]
    assert [(str(group.label), [str(link.label) for link in group.links]) for group in menu] == MENUS[role]


def test_a_drop_down_is_a_link_to_its_first_page_without_javascript(client, board_member, logged_in):
    logged_in(board_member)
    html = client.get("/").content.decode()
    toggles = {
        label: href
        for href, label in re.findall(r'<a class="nav-link dropdown-toggle" href="([^"]+)"[^>]*>([^<]+)</a>', html)
    }
    assert toggles == {
        "Protocol": "/protocol/",
        "Toestemming": "/consent/groups/",
        "Meldingen": "/cases/",
        "Beheer": "/accounts/hygiene/",
        "Klachten": "/complaints/",
    }
    assert '<a class="nav-link" href="/report/">Melden</a>' in html


def test_the_board_finds_its_ernstig_incident_tasks_in_the_menu_only_while_switched_on(
    client, board_member, logged_in, settings
):
    logged_in(board_member)
    settings.SERIOUS_INCIDENT_TASKS = True
    cases = next(group for group in client.get("/").context["nav_items"] if str(group.label) == "Meldingen")
    assert "Ernstige incidenten" in [str(link.label) for link in cases.links]

"""The main menu per role: related pages in drop-downs, a group of one page as a plain link."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

# role → the menu as (entry, [its pages]); a new page in the menu is a change in this table.
MENUS = {
    "visitor": [("Protocol", ["Protocol"]), ("Melden", ["Melden"])],
    "parent": [("Protocol", ["Protocol"]), ("Melden", ["Melden"]), ("Toestemming", ["Toestemming"])],
    "teacher": [
        ("Protocol", ["Protocol", "Protocol bevestigen"]),
        ("Melden", ["Melden"]),
        ("Toestemming", ["Toestemming", "Fotocheck"]),
        # The meldcode: a teacher signals (step 1) and sees whether the signal was taken up.
        ("Meldingen", ["Meldcode"]),
    ],
    "school_leader": [
        ("Protocol", ["Protocol", "Protocol bevestigen", "Leesbevestigingen"]),
        ("Melden", ["Melden"]),
        (
            "Toestemming",
            ["Toestemming", "Fotocheck", "Campagnes", "Leerlingen van 16+", "Publicaties", "Verwijdertaken"],
        ),
        ("Meldingen", ["Meldingen", "Persoonsdossiers", "Meldcode"]),
    ],
    "board_member": [
        ("Protocol", ["Protocol", "Leesbevestigingen", "Concepten protocol"]),
        ("Melden", ["Melden"]),
        (
            "Toestemming",
            ["Fotocheck", "Campagnes", "Leerlingen van 16+", "Publicaties", "Verwijdertaken", "Formulierteksten"],
        ),
        ("Meldingen", ["Meldingen", "Persoonsdossiers", "Meldcode", "Goedkeuringen", "Bewaartermijn"]),
        ("Beheer", ["Accounts opschonen"]),
    ],
    "functional_admin": [
        ("Protocol", ["Protocol", "Concepten protocol"]),
        ("Melden", ["Melden"]),
        ("Toestemming", ["Formulierteksten"]),
        ("Beheer", ["Beheer", "Accounts opschonen"]),
    ],
    "council_secretary": [("Protocol", ["Protocol", "Concepten protocol"]), ("Melden", ["Melden"])],
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
    assert toggles == {"Protocol": "/protocol/", "Toestemming": "/consent/groups/", "Meldingen": "/cases/"}
    assert '<a class="nav-link" href="/accounts/hygiene/">Accounts opschonen</a>' in html
    assert '<a class="nav-link" href="/report/">Melden</a>' in html

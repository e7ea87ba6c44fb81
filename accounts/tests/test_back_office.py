"""The back office (Django's admin) cannot make itself the board: guarded roles are read-only there,
no password is set for another person (only a link is sent), no TOTP key is shown."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RoleAssignment, User
from accounts.tests.factories import confirmed_totp

pytestmark = pytest.mark.django_db


class _FormFields(HTMLParser):
    """The values a browser would send for the admin's change form, as the page renders them."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, object] = {}
        self._select: str | None = None
        self._multi: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _change_form(client, url) -> dict:
    parser = _FormFields()
    parser.feed(client.get(url).content.decode())
    return parser.data


def test_the_admin_gives_no_leader_board_or_admin_role(logged_in, functional_admin, teacher, school):
    client = logged_in(functional_admin)
    add = reverse("admin:accounts_roleassignment_add")
    html = client.get(add).content.decode()
    assert 'value="staff"' in html and 'value="council_secretary"' in html
    assert (
        'value="board"' not in html and 'value="school_leader"' not in html and 'value="functional_admin"' not in html
    )

    for role, where in (("board", ""), ("functional_admin", ""), ("school_leader", school.pk)):
        response = client.post(add, {"user": teacher.pk, "role": role, "school": where, "function": ""})
        assert response.status_code == 200  # the form again, with the error
    assert list(teacher.role_assignments.values_list("role", flat=True)) == ["staff"]


def test_the_admin_neither_changes_nor_deletes_a_guarded_role(logged_in, functional_admin, board_member):
    client = logged_in(functional_admin)
    seat = board_member.role_assignments.get(role="board")
    url = reverse("admin:accounts_roleassignment_change", args=[seat.pk])
    html = client.get(url).content.decode()
    assert 'name="role"' not in html and 'name="user"' not in html and 'name="ends_on"' in html
    # Only the end of the term is kept here (the hygiene report lists the holder once it passed).
    response = client.post(url, {"role": "staff", "user": board_member.pk, "ends_on": "2027-07-31"})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert (seat.role, seat.user, str(seat.ends_on)) == ("board", board_member, "2027-07-31")
    response = client.post(reverse("admin:accounts_roleassignment_delete", args=[seat.pk]), {"post": "yes"})
    assert response.status_code == 403
    response = client.post(
        reverse("admin:accounts_roleassignment_changelist"),
        {"action": "delete_selected", "_selected_action": [seat.pk], "post": "yes"},
    )
    # Deleting the board member's account would take the seat with it: refused too.
    response = client.post(reverse("admin:accounts_user_delete", args=[board_member.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert RoleAssignment.objects.filter(pk=seat.pk).exists()


def test_the_user_page_grants_no_back_office_and_keeps_a_board_members_address(
    logged_in, functional_admin, board_member, teacher
):
    client = logged_in(functional_admin)
    for person in (teacher, board_member):
        url = reverse("admin:accounts_user_change", args=[person.pk])
        data = _change_form(client, url)
        data.update({"is_staff": "on", "is_superuser": "on", "email": "overgenomen@example.nl", "first_name": "X"})
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        person.refresh_from_db()
        assert person.first_name == "X"
        assert not (person.is_staff or person.is_superuser)
    assert teacher.email == "overgenomen@example.nl"  # staff: the back office keeps addresses
    assert board_member.email == "bestuur@example.nl"  # the password link goes where the board member reads


def test_nobody_sets_another_persons_password_only_a_link_is_sent(
    logged_in, functional_admin, teacher, mailoutbox, django_capture_on_commit_callbacks
):
    client = logged_in(functional_admin)
    old_hash = User.objects.get(pk=teacher.pk).password
    url = reverse("admin:auth_user_password_change", args=[teacher.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"password1": "Overgenomen-2026!", "password2": "Overgenomen-2026!"}).status_code == 404
    assert "/password/" not in client.get(reverse("admin:accounts_user_change", args=[teacher.pk])).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "send_password_link", "_selected_action": [teacher.pk]},
        )
    assert [m.to for m in mailoutbox] == [[teacher.email]]
    assert "/accounts/password/set/" in mailoutbox[0].body
    assert User.objects.get(pk=teacher.pk).password == old_hash


def test_a_new_account_from_the_admin_has_no_password_even_when_one_is_posted(logged_in, functional_admin):
    client = logged_in(functional_admin)
    data = _change_form(client, reverse("admin:accounts_user_add"))
    assert "password1" not in data
    data.update(
        {
            "email": "nieuw@example.nl",
            "first_name": "Nieuw",
            "last_name": "Persoon",
            "usable_password": "true",
            "password1": "Gekozen-Door-Beheer-1",
            "password2": "Gekozen-Door-Beheer-1",
        }
    )
    response = client.post(reverse("admin:accounts_user_add"), data)
    assert response.status_code == 302
    assert not User.objects.get(email="nieuw@example.nl").has_usable_password()


def test_the_admin_shows_no_totp_key_and_adds_no_device(logged_in, functional_admin, teacher):
    device = confirmed_totp(teacher)
    client = logged_in(functional_admin)
    for url in (
        reverse("admin:otp_totp_totpdevice_changelist"),
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
    ):
        html = client.get(url).content.decode()
        assert device.key not in html and "qrcode" not in html.lower()
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code in (302, 404)
    # Removing a device stays possible: the person links a new app at the next login.
    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert response.status_code == 302 and not TOTPDevice.objects.filter(pk=device.pk).exists()

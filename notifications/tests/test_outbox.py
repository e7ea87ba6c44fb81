"""The outbox in-process: written with the event, delivered once, retried with backoff, swept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from notifications.constants import Channel, Status
from notifications.models import Notification
from notifications.services import notification_deliver, notification_send, notification_sweep

pytestmark = pytest.mark.django_db

TEMPLATE = "accounts/email/password_login_reminder"


class BrokenBackend:
    """An e-mail backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


def test_rows_are_written_in_the_callers_transaction_and_vanish_with_its_rollback():
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        notification_send(template=TEMPLATE, recipient=user, link="/")
        raise RuntimeError("the event failed")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_email_is_delivered_after_commit_with_text_and_html(django_capture_on_commit_callbacks):
    user = UserFactory(email="collega@example.nl")
    with django_capture_on_commit_callbacks(execute=True):
        email_row, inapp_row = notification_send(template=TEMPLATE, recipient=user, link="/accounts/login/")
    (message,) = mail.outbox
    assert message.to == ["collega@example.nl"]
    assert message.subject == "Inloggen op de SKOW Portal"
    assert "http://127.0.0.1:8000/accounts/login/" in message.body
    assert message.alternatives[0][1] == "text/html"
    email_row.refresh_from_db()
    assert email_row.status == Status.SENT and email_row.sent_at is not None
    assert inapp_row.channel == Channel.IN_APP and inapp_row.status == Status.SENT


def test_redelivery_of_a_sent_row_sends_nothing(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = notification_send(template=TEMPLATE, recipient=user, channels=("email",))
    assert notification_deliver(notification_id=row.pk) == "skipped"
    assert notification_deliver(notification_id=row.pk + 1000) == "skipped"
    assert len(mail.outbox) == 1


@override_settings(EMAIL_BACKEND="notifications.tests.test_outbox.BrokenBackend", NOTIFICATION_MAX_ATTEMPTS=3)
def test_failed_sends_back_off_and_end_as_failed_after_the_last_attempt():
    (row,) = notification_send(template=TEMPLATE, recipient=UserFactory(), channels=("email",))
    delays = []
    for expected in ("retry", "retry", "failed"):
        before = timezone.now()
        assert notification_deliver(notification_id=row.pk) == expected
        row.refresh_from_db()
        delays.append(row.next_attempt_at - before)
    assert row.status == Status.FAILED
    assert row.attempts == 3
    assert "SMTP server down" in row.last_error
    assert delays[1] > delays[0]  # backoff grows


def test_sweep_requeues_only_rows_pending_well_past_their_time(django_capture_on_commit_callbacks):
    user = UserFactory()
    (stale,) = notification_send(template=TEMPLATE, recipient=user, channels=("email",))  # never committed
    (fresh,) = notification_send(template=TEMPLATE, recipient=user, channels=("email",))
    Notification.objects.filter(pk=stale.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=10))
    assert notification_sweep() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == Status.SENT
    assert fresh.status == Status.PENDING
    assert notification_sweep() == 0


def test_admin_sees_failed_rows_and_sends_them_again(
    client, django_capture_on_commit_callbacks, logged_in, functional_admin
):
    (row,) = notification_send(template=TEMPLATE, recipient=UserFactory(), channels=("email",))
    Notification.objects.filter(pk=row.pk).update(status=Status.FAILED, attempts=6, last_error="boom")
    logged_in(functional_admin)
    page = client.get(reverse("admin:notifications_notification_changelist") + "?status__exact=failed")
    assert "Inloggen op de SKOW Portal" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:notifications_notification_changelist"),
            {"action": "retry_failed", "_selected_action": [row.pk]},
        )
    row.refresh_from_db()
    assert row.status == Status.SENT


def test_inbox_lists_own_messages_and_opening_marks_them_read(client):
    user = UserFactory(password="")
    (mine,) = notification_send(template=TEMPLATE, recipient=user, link="/consent/", channels=("in_app",))
    (theirs,) = notification_send(template=TEMPLATE, recipient=UserFactory(), link="/", channels=("in_app",))
    client.force_login(user)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Inloggen op de SKOW Portal" in page and "nieuw" in page
    response = client.post(reverse("notifications:open", args=[mine.pk]))
    assert response["Location"] == "/consent/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404


@pytest.mark.parametrize("count", [5, 100])
def test_inbox_query_count_does_not_grow(client, count, django_assert_num_queries):
    user = UserFactory(password="")
    for _ in range(count):
        notification_send(template=TEMPLATE, recipient=user, channels=("in_app",))
    client.force_login(user)
    with django_assert_num_queries(9):  # + the menu: integrity officer? (cached after)
        assert client.get(reverse("notifications:inbox")).status_code == 200


@pytest.mark.parametrize("size", [5, 300])
def test_bulk_send_queues_every_message_in_a_few_inserts(
    size, django_assert_max_num_queries, django_capture_on_commit_callbacks, mailoutbox
):
    from notifications.services import notification_send_bulk

    people = UserFactory.create_batch(size)
    messages = [
        (p, {"school": "De Springplank", "closes": "01-02-2027"}, f"/consent/x{n}/") for n, p in enumerate(people)
    ]
    # A few multi-row INSERTs (SQLite caps the rows per statement), never a query per message.
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(8), transaction.atomic():
        assert notification_send_bulk(template="consent/email/invitation", messages=messages) == size
    assert Notification.objects.filter(status=Status.SENT, channel=Channel.EMAIL).count() == size
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people)
    assert "/consent/x0/" in next(m.body for m in mailoutbox if m.to == [people[0].email])


def test_plain_text_part_and_subject_are_not_html_escaped_but_the_html_part_is(django_capture_on_commit_callbacks):
    """A pupil called "van 't Riet" reads as such in the text part and the subject, not as &#x27;."""
    parent = UserFactory(email="ouder@example.nl")
    context = {
        "subject_name": "Daan van 't Riet <Jr>",
        "given": [{"purpose": "Website", "media": ["Foto"]}],
        "not_given": [],
        "decided_at": "29-11-2026 10:00",
        "form_version": 1,
        "text_sha256": "a" * 64,
        "text_language": "Nederlands",
        "is_withdrawal": False,
    }
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(template="consent/email/receipt", context=context, recipient=parent, link="/consent/")
    (message,) = mail.outbox
    assert "Daan van 't Riet <Jr>" in message.body
    assert "&#x27;" not in message.body and "&lt;" not in message.body
    html = message.alternatives[0][0]
    assert "van &#x27;t Riet &lt;Jr&gt;" in html


def test_a_subject_with_a_value_is_not_html_escaped(django_capture_on_commit_callbacks):
    secretary = UserFactory(email="gmr@example.nl")
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            template="policy/email/submitted", context={"version": "concept 'A & B'"}, recipient=secretary, link="/"
        )
    (message,) = mail.outbox
    assert message.subject == "Protocol Sociale Media: concept 'A & B' ligt voor bij de (G)MR"

"""The notification outbox: write a message with the event, deliver it through Celery, exactly once."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .constants import Channel, Status
from .models import Notification

# Subjects and plain-text parts are rendered without HTML escaping (settings.TEMPLATES, "plain_text").
PLAIN_TEXT_ENGINE = "plain_text"

logger = logging.getLogger(__name__)


class DeliveryOutcome:
    SENT = "sent"
    SKIPPED = "skipped"  # gone, already sent or failed: a redelivered task sends nothing twice
    RETRY = "retry"
    FAILED = "failed"


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.PORTAL_BASE_URL}{path}"


def recipient_language(recipient) -> str:
    """The language a message to ``recipient`` is written in: the one stored on the user model
    (``language``, accounts.User.language), else the portal's own. Read again by the worker at
    delivery, so a message follows the reader's choice."""
    language = getattr(recipient, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def message_id_for(notification: Notification) -> str:
    """The e-mail's Message-ID, in the portal's own domain (PORTAL_BASE_URL's host) rather than
    the server's host name (often "localhost", which spam filters count against a message). The
    same for every attempt at one outbox row (RFC 5322 3.6.4: one message, one id), so a receiver
    can tell a resend after a lost answer from a new message."""
    domain = urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"
    return f"<skow.{notification.pk}.{notification.created_at:%Y%m%d%H%M%S%f}@{domain}>"


def _render_subject(template: str, context: dict[str, Any], *, language: str = settings.LANGUAGE_CODE) -> str:
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context, using=PLAIN_TEXT_ENGINE)
    return " ".join(subject.split())[:200]


def notification_send(
    *,
    template: str,
    context: dict[str, Any] | None = None,
    recipient=None,
    email: str = "",
    link: str = "",
    channels: Iterable[str] = (Channel.EMAIL, Channel.IN_APP),
    bulk: bool = False,
    data_key: str = "",
) -> list[Notification]:
    """Write outbox rows for one message; call inside the transaction of the event it announces.

    ``template`` names three templates: ``<template>_subject.txt``, ``<template>.txt`` and
    ``<template>.html``. ``context`` must be JSON-serialisable and must not hold case content:
    e-mails only say that there is something, and link to it. E-mail rows are handed to Celery
    once the transaction commits; an in-app row is delivered by being written.

    ``bulk=True`` for one of many messages that nobody is waiting for (reminders sent to everyone
    who has not yet done something): it then goes with the mass mail, and never delays mail one
    person waits for, which is the default (a report, a reply, a deadline alert, a login link).

    ``data_key``: the data key (common/vault.py) that seals ``email``, for an address that is case
    content (a reporter's): it is erased with the case.
    """
    context = dict(context or {})
    subject = _render_subject(template, {**context, "link": absolute_url(link)}, language=recipient_language(recipient))
    now = timezone.now()
    rows: list[Notification] = []
    for channel in channels:
        if channel == Channel.IN_APP:
            if recipient is None:
                continue
            rows.append(
                Notification(
                    recipient=recipient,
                    channel=channel,
                    template=template,
                    subject=subject,
                    link=link,
                    status=Status.SENT,
                    sent_at=now,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
        elif channel == Channel.EMAIL:
            address = email or (recipient.email if recipient is not None else "")
            if not address:
                continue
            rows.append(
                Notification(
                    recipient=recipient,
                    email=address,
                    data_key=data_key if email else "",
                    channel=channel,
                    template=template,
                    context=context,
                    subject=subject,
                    link=link,
                    is_bulk=bulk,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
    for row in rows:
        row.save()
        if row.channel == Channel.EMAIL:
            transaction.on_commit(lambda pk=row.pk: notification_enqueue(notification_ids=[pk], bulk=bulk))
    return rows


def notification_send_bulk(*, template: str, messages: Iterable[tuple[Any, dict[str, Any], str]]) -> int:
    """E-mail many people the same kind of message: (recipient, context, link) each; returns the count.

    For campaigns: one INSERT for all rows and one on_commit hook, and the subject rendered once per
    distinct context, so thousands of invitations are queued in seconds. They are mass mail
    (``bulk``): delivered in batches over one SMTP connection each, never ahead of mail one person
    waits for. Same contract as notification_send: call inside the transaction of the event; no
    case content in the context.
    """
    now = timezone.now()
    subjects: dict[str, str] = {}
    rows = []
    for recipient, context, link in messages:
        if not recipient.email:
            continue
        language = recipient_language(recipient)
        key = json.dumps([language, context], sort_keys=True)
        if key not in subjects:
            subjects[key] = _render_subject(template, context, language=language)
        rows.append(
            Notification(
                recipient=recipient,
                email=recipient.email,
                channel=Channel.EMAIL,
                template=template,
                context=context,
                subject=subjects[key],
                link=link,
                is_bulk=True,
                created_at=now,
                next_attempt_at=now,
            )
        )
    Notification.objects.bulk_create(rows, batch_size=500)
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: notification_enqueue(notification_ids=ids, bulk=True))
    return len(rows)


BULK_BATCH_SIZE = 250


def notification_enqueue(*, notification_ids: list[int], bulk: bool) -> None:
    """Hand pending e-mail rows to Celery; the one place that decides which queue a message waits in.

    Mail one person waits for goes one message per row to the urgent queue, which a worker of its
    own serves (Procfile), so a report's e-mail never waits behind a campaign. Mass mail goes to
    the bulk queue in batches of BULK_BATCH_SIZE, each sent over one SMTP connection (a broker
    round trip and an SMTP connection per row cost more than the row). The queues are those of
    the tasks in settings.CELERY_TASK_ROUTES. A broker that is down loses nothing: the rows stay
    pending and the sweep queues them.
    """
    from .tasks import notification_deliver_many_task, notification_deliver_task

    try:
        if bulk:
            for start in range(0, len(notification_ids), BULK_BATCH_SIZE):
                notification_deliver_many_task.delay(notification_ids[start : start + BULK_BATCH_SIZE])
        else:
            for notification_id in notification_ids:
                notification_deliver_task.delay(notification_id)
    except Exception:  # noqa: BLE001 — any broker failure; the rows stay pending for the sweep
        logger.warning("Broker unavailable; %s notifications stay pending for the sweep.", len(notification_ids))


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _build_email(notification: Notification, *, connection: BaseEmailBackend | None) -> EmailMultiAlternatives:
    context = {
        **notification.context,
        "subject": notification.subject,
        "link": absolute_url(notification.link),
        "portal_url": settings.PORTAL_BASE_URL,
        "recipient": notification.recipient,
    }
    with translation.override(recipient_language(notification.recipient)):
        text = render_to_string(f"{notification.template}.txt", context, using=PLAIN_TEXT_ENGINE)
        html = render_to_string(f"{notification.template}.html", context)
        # The text part's sign-off, as email_base.html closes the HTML part: one for every e-mail.
        signoff = render_to_string("notifications/email_signoff.txt", context, using=PLAIN_TEXT_ENGINE)
        text = f"{text.rstrip()}\n\n{signoff}"
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=text,
        to=[notification.email],
        headers={
            "Message-ID": message_id_for(notification),
            "X-SKOW-Notification": str(notification.pk),
            "Auto-Submitted": "auto-generated",
        },
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


def notification_deliver(*, notification_id: int, connection: BaseEmailBackend | None = None) -> str:
    """Send one e-mail row; idempotent. Holds a row lock so two workers never both send it.

    ``connection``: the mail connection a batch shares (notification_deliver_many); opened here
    when it is not open yet, and closed after a failure so that the next row starts afresh.
    Without it the e-mail gets a connection of its own.
    """
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status != Status.PENDING or notification.channel != Channel.EMAIL:
            return DeliveryOutcome.SKIPPED
        now = timezone.now()
        notification.attempts += 1
        try:
            if connection is not None:
                connection.open()  # once per batch, or again after a failure; the batch closes it
            _build_email(notification, connection=connection).send()
        except Exception as exc:  # noqa: BLE001 — SMTP and template errors alike are retried
            if connection is not None:
                _close_quietly(connection)
            notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
                notification.status = Status.FAILED
                logger.error("Notification %s failed after %s attempts.", notification.pk, notification.attempts)
            else:
                notification.next_attempt_at = now + _backoff(notification.attempts)
            notification.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return DeliveryOutcome.FAILED if notification.status == Status.FAILED else DeliveryOutcome.RETRY
        notification.status = Status.SENT
        notification.sent_at = now
        notification.last_error = ""
        # Store the least: the context and an e-mail's link may have held a login or invitation token.
        notification.context = {}
        notification.link = ""
        notification.save(update_fields=["attempts", "status", "sent_at", "last_error", "context", "link"])
        return DeliveryOutcome.SENT


def notification_deliver_many(*, notification_ids: list[int]) -> dict[int, str]:
    """Send a batch of mass-mail rows over one SMTP connection; each row's outcome by id.

    Each row is handled as notification_deliver handles it: locked, sent at most once (a
    redelivered batch sends nothing twice), and on failure retried with backoff or marked failed
    by itself; only the connection is shared.
    """
    connection = get_connection()
    try:
        return {pk: notification_deliver(notification_id=pk, connection=connection) for pk in notification_ids}
    finally:
        _close_quietly(connection)


def _close_quietly(connection: BaseEmailBackend) -> None:
    """Close a mail connection that may already be broken; the rows it carried are recorded."""
    try:
        connection.close()
    except Exception:  # a server that hung up cannot be told goodbye
        logger.info("Mail connection closed uncleanly.", exc_info=True)


def notification_retry_delay(*, notification_id: int) -> int:
    """Seconds until the next attempt of a row that is to be retried."""
    notification = Notification.objects.only("next_attempt_at").get(pk=notification_id)
    return max(int((notification.next_attempt_at - timezone.now()).total_seconds()), 1)


def notification_sweep(*, now: datetime | None = None, limit: int = 500) -> int:
    """Re-queue e-mail rows still pending well after they were due (the broker was down, a worker
    died), each on its own queue, mail one person waits for first. Called by Celery beat; returns
    how many rows were handed to the queues."""
    now = now or timezone.now()
    stale = Notification.objects.filter(
        status=Status.PENDING, channel=Channel.EMAIL, next_attempt_at__lte=now - settings.NOTIFICATION_SWEEP_AFTER
    ).order_by("next_attempt_at")
    urgent = list(stale.filter(is_bulk=False).values_list("pk", flat=True)[:limit])
    bulk = list(stale.filter(is_bulk=True).values_list("pk", flat=True)[: limit - len(urgent)])
    if not urgent and not bulk:
        return 0
    # Not again until another sweep interval has passed, however long the queue is.
    Notification.objects.filter(pk__in=urgent + bulk, status=Status.PENDING).update(next_attempt_at=now)
    notification_enqueue(notification_ids=urgent, bulk=False)
    notification_enqueue(notification_ids=bulk, bulk=True)
    return len(urgent) + len(bulk)


def notification_retry_failed(*, notification: Notification) -> None:
    """Back office: give a failed row a fresh set of attempts."""
    with transaction.atomic():
        updated = Notification.objects.filter(pk=notification.pk, status=Status.FAILED).update(
            status=Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        if updated:
            transaction.on_commit(
                lambda: notification_enqueue(notification_ids=[notification.pk], bulk=notification.is_bulk)
            )


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def inbox_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, channel=Channel.IN_APP, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_purge(*, now: datetime | None = None) -> int:
    """Delete outbox rows older than NOTIFICATION_RETENTION_DAYS (SECURITY.md); returns how many.

    Never a pending e-mail, however old: an undelivered message is never lost to housekeeping.
    """
    now = now or timezone.now()
    old = Notification.objects.filter(created_at__lt=now - timedelta(days=settings.NOTIFICATION_RETENTION_DAYS))
    return old.exclude(status=Status.PENDING).delete()[0]

"""People, roles and login: single-use login links and TOTP second factors."""

from __future__ import annotations

import hashlib
import logging
import secrets
from base64 import b32encode
from binascii import unhexlify
from datetime import datetime, timedelta
from importlib import import_module

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.refusals import ActionRefused
from notifications.services import notification_send

from .constants import LinkPurpose
from .models import LinkRequest, LoginLink, User
from .selectors import user_by_email
from .throttle import spent_check_exists, spent_check_record, throttle_purge

logger = logging.getLogger(__name__)

# Link requests a worker never answered (it was down for a day) are dropped with the login traces.
LINK_REQUEST_MAX_AGE = timedelta(days=1)
# Links of one kind asked for one typed address per hour, however often (and by whom): beyond it the
# page refuses and says when to try again (accounts.views._link_request_page), for any address alike.
LINKS_PER_RECIPIENT_PER_HOUR = 3


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_request_submit(*, email: str, purpose: str) -> None:
    """What the "inloglink" and "wachtwoord vergeten" pages do with a typed address: the same work
    whether or not it belongs to anyone.

    One INSERT and, once committed, one message to the queue carrying only the row's id; the worker
    (``link_request_answer``) looks the address up and sends what it is owed. So neither the answer
    nor the time it takes tells whether an address has an account (OWASP: account enumeration).
    """
    link_request = LinkRequest.objects.create(email=email.strip(), purpose=purpose)
    transaction.on_commit(lambda: link_request_enqueue(link_request_id=link_request.pk))


def link_request_enqueue(*, link_request_id: int) -> None:
    """Hand a link request to a worker; with the broker down, answer it here: a parent still gets the link."""
    from .tasks import link_request_answer_task

    try:
        link_request_answer_task.delay(link_request_id)
    except Exception:  # noqa: BLE001 — any broker failure; answering in the request loses nothing
        logger.warning("Broker unavailable; link request %s is answered in the request.", link_request_id)
        link_request_answer(link_request_id=link_request_id)


def link_request_answer(*, link_request_id: int) -> None:
    """The address-dependent half of a link request: a login link, a password link or nothing.

    Idempotent: the row is deleted in the transaction that writes the e-mail, so a redelivered task
    finds nothing left to do.
    """
    with transaction.atomic():
        link_request = LinkRequest.objects.select_for_update().filter(pk=link_request_id).first()
        if link_request is None:
            return
        link_request.delete()
        if link_request.purpose == LinkPurpose.LOGIN:
            login_link_request(email=link_request.email)
            return
        if link_request.purpose == LinkPurpose.UNLOCK:
            login_unlock_link_send(email=link_request.email)
            return
        user = user_by_email(email=link_request.email)
        if user is not None:
            password_set_link_send(user=user)


def login_link_request(*, email: str) -> None:
    """Send a single-use login link to a parent or pupil with this address.

    Run by a worker (``link_request_answer``): the page answers the same whatever happens here, so
    nobody learns whether an address is known. Staff and above log in with a password and get a
    reminder of that instead.
    """
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    with transaction.atomic():
        if user.logs_in_with_password:
            notification_send(
                template="accounts/email/password_login_reminder",
                recipient=user,
                link=reverse("accounts:login"),
                channels=("email",),
            )
            return
        token = secrets.token_urlsafe(32)
        LoginLink.objects.create(
            user=user, token_hash=_hash_token(token), expires_at=timezone.now() + settings.LOGIN_LINK_VALIDITY
        )
        notification_send(
            template="accounts/email/login_link",
            recipient=user,
            context={"minutes": int(settings.LOGIN_LINK_VALIDITY.total_seconds() // 60)},
            link=reverse("accounts:link_login", kwargs={"token": token}),
            channels=("email",),
        )


def pupil_login_create(*, pupil, email: str) -> User:
    """Give a pupil (16 or older, who decides about their own consent) a login of their own: an
    account with this address that logs in by e-mailed link, never a password. The pupil's own
    login, if there is one, is returned as it is.

    ActionRefused when the address already belongs to an account: it would tie the pupil to someone
    else (often a parent, whose address the school has) and let that person decide for the pupil.
    """
    if pupil.user_id is not None:
        return pupil.user
    email = email.strip().lower()
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise ActionRefused(
                _(
                    "Dit e-mailadres hoort al bij een ander account, bijvoorbeeld van een ouder. "
                    "Vul het eigen e-mailadres van de leerling in."
                )
            )
        user = User.objects.create_user(email, first_name=pupil.first_name, last_name=pupil.last_name)
        pupil.user = user
        pupil.save(update_fields=["user"])
    return user


def login_link_get(*, token: str) -> LoginLink | None:
    """The usable link for this token, or None (unknown, used or expired)."""
    link = LoginLink.objects.select_related("user").filter(token_hash=_hash_token(token)).first()
    if link is None or not link.is_usable() or not link.user.is_active:
        return None
    return link


def login_link_use(*, token: str) -> User | None:
    """Spend the link: returns its user once, None ever after."""
    with transaction.atomic():
        link = (
            LoginLink.objects.select_for_update().select_related("user").filter(token_hash=_hash_token(token)).first()
        )
        if link is None or not link.is_usable() or not link.user.is_active:
            return None
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
        # Older unused links of this person go too: one way in at a time.
        LoginLink.objects.filter(user=link.user, used_at__isnull=True).update(used_at=link.used_at)
        return link.user


def totp_device_for(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for the setup page; confirmed once its first code is right."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=False)
    return device


def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def totp_secret_base32(device: TOTPDevice) -> str:
    """The shared secret as authenticator apps take it (base32, no padding)."""
    return b32encode(unhexlify(device.key)).decode().rstrip("=")


def password_set_link_send(*, user: User, welcome: bool = False) -> None:
    """E-mail a link to choose a (new) password: "Wachtwoord vergeten?" and the welcome of new staff.

    The link is Django's password-reset token: it works until the password changes or
    PASSWORD_RESET_TIMEOUT passes. Parents and pupils have no password and get nothing here.
    """
    if not user.is_active or not user.logs_in_with_password:
        return
    token = default_token_generator.make_token(user)
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    notification_send(
        template="accounts/email/password_set",
        recipient=user,
        context={"welcome": welcome, "days": max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1)},
        link=reverse("accounts:password_reset_confirm", kwargs={"uidb64": uidb64, "token": token}),
        channels=("email",),
    )


UNLOCK_SALT = "accounts.unlock"


def login_unlock_link_send(*, email: str) -> None:
    """E-mail a link that lifts a login lockout to the person whose login name this is.

    The caller answers the same whatever happens here. Parents and pupils log in by link and are
    never locked out; unknown addresses get nothing.
    """
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None or not user.logs_in_with_password:
        return
    token = signing.dumps({"u": user.pk, "n": secrets.token_hex(16)}, salt=UNLOCK_SALT)
    notification_send(
        template="accounts/email/unlock",
        recipient=user,
        context={"minutes": int(settings.LOGIN_LINK_VALIDITY.total_seconds() // 60)},
        link=reverse("accounts:unlock_link", kwargs={"token": token}),
        channels=("email",),
    )


def login_unlock_link_user(*, token: str) -> User | None:
    """The person an unexpired, unused unlock link is for, or None."""
    try:
        payload = signing.loads(token, salt=UNLOCK_SALT, max_age=settings.LOGIN_LINK_VALIDITY)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or spent_check_exists(key=f"unlock:{payload.get('n')}"):
        return None
    return User.objects.filter(pk=payload.get("u"), is_active=True).first()


def login_unlock(*, token: str) -> User | None:
    """Spend an unlock link: the lockout of that login name is lifted everywhere; returns the person once."""
    user = login_unlock_link_user(token=token)
    if user is None:
        return None
    payload = signing.loads(token, salt=UNLOCK_SALT, max_age=settings.LOGIN_LINK_VALIDITY)
    if not spent_check_record(key=f"unlock:{payload.get('n')}", valid_for=settings.LOGIN_LINK_VALIDITY):
        return None
    axes_reset(username=user.email)
    return user


def login_traces_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Delete what logging in leaves behind once its term is over (SECURITY.md, processing register).

    Rate-limit counts and spent checks once they cannot matter (accounts.throttle); login links after
    LOGIN_LINK_RETENTION_DAYS; link requests no worker answered within a day (the typed address was
    waiting in them); expired sessions (as ``clearsessions`` does, for
    whichever session engine is set); failed logins after AXES_FAILURE_LOG_RETENTION_DAYS and the
    access log after AXES_ACCESS_LOG_RETENTION_DAYS (through axes' own handler, as its
    ``axes_reset_*`` commands do). A lockout still running is axes' own business. Returns row counts.
    """
    from axes.handlers.proxy import AxesProxyHandler

    now = now or timezone.now()
    links = LoginLink.objects.filter(created_at__lt=now - timedelta(days=settings.LOGIN_LINK_RETENTION_DAYS))
    removed = {"login_links": links.delete()[0]}
    removed["link_requests"] = LinkRequest.objects.filter(created_at__lt=now - LINK_REQUEST_MAX_AGE).delete()[0]
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    removed["failed_logins"] = AxesProxyHandler.reset_failure_logs(age_days=settings.AXES_FAILURE_LOG_RETENTION_DAYS)
    removed["access_log"] = AxesProxyHandler.reset_logs(age_days=settings.AXES_ACCESS_LOG_RETENTION_DAYS)
    removed["rate_limit_counts"] = throttle_purge(now=now)
    return removed


def user_language_set(*, user: User, language: str) -> None:
    """Remember the language ``user`` reads (the switch, or the language consent was decided in).

    The worker writes this person's e-mails in it, and a browser where no language was picked shows
    the portal in it. An unknown code is ignored: only the portal's languages are kept.
    """
    if language not in dict(settings.LANGUAGES) or user.pk is None or user.language == language:
        return
    user.language = language
    User.objects.filter(pk=user.pk).update(language=language)

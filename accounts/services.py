"""People, roles and login: single-use login links, TOTP second factors, single sign-on, account hygiene
and role requests (the two-person rule for leader, board and functional-admin roles)."""

from __future__ import annotations

import hashlib
import logging
import secrets
from base64 import b32encode
from binascii import unhexlify
from datetime import datetime, timedelta
from http import HTTPStatus
from importlib import import_module

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.refusals import ActionRefused
from notifications.services import notification_send, recipient_language

from . import sso
from .access import may_request_roles, may_see_account_hygiene, role_request_decision_refusal
from .constants import (
    GUARDED_ROLES,
    SCHOOL_ROLES,
    HygieneReason,
    LinkPurpose,
    Role,
    RoleChange,
    RoleRequestState,
    SignInRefusal,
)
from .models import (
    AccountDisabling,
    LinkRequest,
    LoginLink,
    ProviderIdentity,
    ProviderMultiFactor,
    ProviderSession,
    RoleAssignment,
    RoleRequest,
    School,
    SignInRefused,
    User,
)
from .selectors import hygiene_candidates, user_by_email
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
    removed["refused_sign_ins"] = SignInRefused.objects.filter(
        at__lt=now - timedelta(days=settings.SIGN_IN_REFUSAL_RETENTION_DAYS)
    ).delete()[0]
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


# Single sign-on (accounts/sso.py: the providers and what their tokens must say) ---------------------


def sign_in_refusal_record(*, provider: str, reason: str, email: str = "") -> None:
    """Keep a refused sign-in for the functional admin (the hygiene report and the admin)."""
    SignInRefused.objects.create(provider=provider, reason=reason, email=email[:254])
    logger.info("Sign-in through %s refused: %s", provider, reason)


def sso_sign_in(*, config: sso.ProviderConfig, claims: dict, refresh_token: str = "") -> tuple[User, ProviderIdentity]:
    """Match a validated ID token to a portal account: never create one (the board's staff come from
    the staff import or the admin; roles stay the portal's).

    1. The board's rules on the token (``sso.sign_in_address``): tenant or Workspace domain, verified
       address of the board's domain.
    2. The subject id (``sso.subject_of``) stored at an earlier match; else an active account with
       that address, once.
    3. Staff and above only: parents and pupils keep their e-mailed link.

    A refusal is recorded (``SignInRefused``) and raised as ``sso.SignInRefusedError``.
    """
    try:
        email = sso.sign_in_address(config, claims)
        with transaction.atomic():
            identity, user = _sso_match(config=config, subject=sso.subject_of(config, claims), email=email)
            now = timezone.now()
            identity.last_sign_in_at = now
            if sso.multi_factor_claimed(claims):
                identity.last_multi_factor_at = now
            if refresh_token:
                identity.refresh_token_sealed = sso.refresh_token_seal(refresh_token)
                identity.checked_at = now
            identity.save()
    except sso.SignInRefusedError as refusal:
        sign_in_refusal_record(provider=config.name, reason=refusal.reason, email=refusal.email)
        raise
    return user, identity


def _sso_match(*, config: sso.ProviderConfig, subject: str, email: str) -> tuple[ProviderIdentity, User]:
    def refuse(reason: str):
        raise sso.SignInRefusedError(reason, sso.refusal_message(reason, config=config, email=email), email=email)

    if not subject:
        refuse(SignInRefusal.OTHER_ORGANISATION)
    identity = (
        ProviderIdentity.objects.select_for_update()
        .select_related("user")
        .filter(provider=config.name, subject=subject)
        .first()
    )
    if identity is None:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            refuse(SignInRefusal.UNKNOWN_ACCOUNT)
        if ProviderIdentity.objects.filter(user=user, provider=config.name).exists():
            # The address now belongs to someone else at the provider: the portal keeps its first match.
            refuse(SignInRefusal.IDENTITY_CONFLICT)
        if user.is_active and user.logs_in_with_password:
            try:
                with transaction.atomic():
                    identity = ProviderIdentity.objects.create(
                        user=user, provider=config.name, subject=subject, email_at_match=email
                    )
            except IntegrityError:
                # The same first sign-in twice at once (two tabs): the other request matched it.
                identity = ProviderIdentity.objects.filter(provider=config.name, subject=subject, user=user).first()
                if identity is None:
                    refuse(SignInRefusal.IDENTITY_CONFLICT)
            logger.info("Account %s matched to its %s identity", user.pk, config.name)
    else:
        user = identity.user
    if not user.is_active:
        refuse(SignInRefusal.ACCOUNT_DISABLED)
    if not user.logs_in_with_password:
        refuse(SignInRefusal.NOT_STAFF)
    return identity, user


def sso_multi_factor_device(*, user: User) -> ProviderMultiFactor:
    """The device that stands for "the provider vouched for a second factor"."""
    device, _created = ProviderMultiFactor.objects.get_or_create(user=user, defaults={"name": "provider"})
    return device


def sso_session_start(*, identity: ProviderIdentity, session_key: str) -> None:
    """Remember that this portal session came through the provider, so the re-check can end it."""
    ProviderSession.objects.update_or_create(session_key=session_key, defaults={"identity": identity})


def sso_session_forget(*, session_key: str | None) -> None:
    if session_key:
        ProviderSession.objects.filter(session_key=session_key).delete()


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _sessions_end(identity: ProviderIdentity) -> int:
    store = _session_store()
    keys = list(identity.sessions.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    identity.sessions.all().delete()
    return len(keys)


def sso_identity_recheck(*, identity_id: int, now: datetime | None = None) -> str:
    """Ask the provider whether the account behind ``identity_id`` is still enabled, and end its
    portal sessions when it says no.

    Sessions that have ended by themselves are forgotten first; an identity without live sessions
    costs no call. When the provider does not answer, nothing is concluded: the sessions keep
    running (to the session lifetime at most) and the next run asks again. Returns what happened.
    """
    now = now or timezone.now()
    identity = ProviderIdentity.objects.filter(pk=identity_id).first()
    if identity is None:
        return "gone"
    store = _session_store()
    for key in list(identity.sessions.values_list("session_key", flat=True)):
        if not store(session_key=key).load():
            ProviderSession.objects.filter(session_key=key).delete()
    if not identity.sessions.exists():
        return "idle"
    config = sso.provider_config(identity.provider)
    refresh_token = sso.refresh_token_unseal(identity.refresh_token_sealed)
    if config is None:
        # The board switched the provider off: its sessions end with it.
        ended = _sessions_end(identity)
        logger.info("Sessions of identity %s ended: its provider is no longer configured (%s)", identity.pk, ended)
        return "ended"
    if not refresh_token:
        # Nothing to ask with (the provider gave no refresh token): the session ends at its fixed
        # expiry, SESSION_COOKIE_AGE after the sign-in (accounts.views.sso_callback), not later.
        return "unverifiable"
    try:
        new_refresh_token = sso.provider_refresh(config, refresh_token)
    except sso.ProviderSaysNo as answer:
        ended = _sessions_end(identity)
        ProviderIdentity.objects.filter(pk=identity.pk).update(refresh_token_sealed="", checked_at=now)
        sign_in_refusal_record(
            provider=identity.provider, reason=SignInRefusal.DISABLED_AT_PROVIDER, email=identity.user.email
        )
        logger.info("Provider refused identity %s (%s): %s session(s) ended", identity.pk, answer, ended)
        return "ended"
    except sso.ProviderUnreachable as problem:
        logger.warning("Re-check of identity %s not possible: %s", identity.pk, problem)
        return "unreachable"
    ProviderIdentity.objects.filter(pk=identity.pk).update(
        refresh_token_sealed=sso.refresh_token_seal(new_refresh_token), checked_at=now
    )
    return "enabled"


def sso_sessions_recheck(*, now: datetime | None = None) -> dict[str, int]:
    """Re-check every identity with a portal session (``sso_identity_recheck``); beat runs this every
    SSO_RECHECK_MINUTES, so a session of an account disabled at the provider ends within that time."""
    counts: dict[str, int] = {}
    identity_ids = ProviderSession.objects.values_list("identity_id", flat=True).distinct()
    for identity_id in list(identity_ids):
        outcome = sso_identity_recheck(identity_id=identity_id, now=now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


# Account hygiene -----------------------------------------------------------------------------------


def _other_functional_admins(user: User):
    return (
        User.objects.filter(is_active=True)
        .exclude(pk=user.pk)
        .filter(Q(is_superuser=True) | Q(role_assignments__role=Role.FUNCTIONAL_ADMIN))
    )


def account_disable(*, user_id: int, reason: str, by: User) -> User:
    """Disable an account listed on the hygiene report, for ``reason``, and log who did it.

    Only what the report lists for that reason, now (a stale page or a forged form disables nothing
    else); never one's own account, nor the last functional admin (nobody could re-enable anyone).
    The account's sessions end: Django refuses an inactive user on the next request, and the
    sessions opened through a provider are deleted at once. Twice at once: the second finds the
    account already disabled and refuses.
    """
    if not may_see_account_hygiene(by):
        raise ActionRefused(_("Alleen de functioneel beheerder en het bestuur schakelen accounts uit."))
    if reason not in HygieneReason.values:
        raise ActionRefused(_("Onbekende reden."))
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None or not user.is_active:
            raise ActionRefused(_("Dit account is al uitgeschakeld."))
        if user.pk == by.pk:
            raise ActionRefused(_("U kunt uw eigen account niet uitschakelen."))
        if not hygiene_candidates(reason=reason).filter(pk=user.pk).exists():
            raise ActionRefused(_("Dit account staat niet (meer) op deze lijst; er is niets uitgeschakeld."))
        if user.is_functional_admin and not _other_functional_admins(user).exists():
            raise ActionRefused(
                _("Dit is het laatste account van functioneel beheer. Wijs eerst iemand anders aan in Beheer.")
            )
        user.is_active = False
        user.save(update_fields=["is_active"])
        AccountDisabling.objects.create(user=user, disabled_by=by, reason=reason)
        for identity in user.provider_identities.all():
            _sessions_end(identity)
            identity.refresh_token_sealed = ""
            identity.save(update_fields=["refresh_token_sealed"])
    logger.info("Account %s disabled by %s from the hygiene report (%s)", user.pk, by.pk, reason)
    return user


# Role requests: the back office cannot make itself the board ---------------------------------------


def _board() -> list[User]:
    return list(User.objects.filter(is_active=True, role_assignments__role=Role.BOARD).distinct())


def _role_request_mail(*, role_request: RoleRequest, template: str, board: list[User] | None = None) -> None:
    """Tell every active board member, in their own language: who, which role, asked and decided by
    whom. Names and a role only, never anything of a case (SECURITY.md)."""
    for member in board if board is not None else _board():
        with translation.override(recipient_language(member)):
            role = str(Role(role_request.role).label)
            context = {
                "change": role_request.change,
                "role": f"{role} ({role_request.school.name})" if role_request.school_id else role,
                "person": str(role_request.user),
                "requested_by": str(role_request.requested_by) if role_request.requested_by_id else _("de import"),
                "decided_by": str(role_request.decided_by) if role_request.decided_by_id else "",
                "state": role_request.state,
            }
        notification_send(
            template=template,
            recipient=member,
            context=context,
            link=f"{reverse('accounts:roles')}#aanvraag-{role_request.pk}",
        )


def _holds_role(*, user: User, role: str, school: School | None) -> bool:
    return RoleAssignment.objects.filter(user=user, role=role, school=school).exists()


def _pending_role_request(*, user: User, role: str, school: School | None, change: str) -> bool:
    return RoleRequest.objects.filter(
        user=user, role=role, school=school, change=change, state=RoleRequestState.PENDING
    ).exists()


def role_request_file(
    *,
    user: User,
    role: str,
    change: str,
    school: School | None = None,
    function: str = "",
    reason: str = "",
    by: User | None,
) -> RoleRequest:
    """Ask for a leader, board or functional-admin role to be given to ``user`` or taken away.

    Nothing changes yet: the request waits for a board member other than ``by`` and ``user``
    (``role_request_decide``). ``by`` is the functional admin or a board member; None only for the
    staff import on the command line. Logged in the request's row and mailed to the board.
    """
    if by is not None and not may_request_roles(by):
        raise ActionRefused(_("Alleen de functioneel beheerder en het bestuur vragen een rolwijziging aan."))
    if role not in GUARDED_ROLES or change not in RoleChange.values:
        raise ActionRefused(_("Voor deze rol is geen aanvraag nodig; wijzig hem in Beheer."))
    if role in SCHOOL_ROLES and school is None:
        raise ActionRefused(_("Kies de school waarvan deze persoon schoolleiding is."))
    if role not in SCHOOL_ROLES:
        school = None
    if not user.is_active:
        raise ActionRefused(_("Dit account is uitgeschakeld; zet het eerst weer aan."))
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one request at a time per person
        if _pending_role_request(user=user, role=role, school=school, change=change):
            raise ActionRefused(_("Er wacht al een aanvraag voor precies deze wijziging op het bestuur."))
        holds = _holds_role(user=user, role=role, school=school)
        if change == RoleChange.GRANT and holds:
            raise ActionRefused(_("%(person)s heeft deze rol al.") % {"person": user})
        if change == RoleChange.REMOVE and not holds:
            raise ActionRefused(_("%(person)s heeft deze rol niet.") % {"person": user})
        role_request = RoleRequest.objects.create(
            user=user,
            role=role,
            school=school,
            change=change,
            function=function[:100],
            reason=reason[:300],
            requested_by=by,
        )
        _role_request_mail(role_request=role_request, template="accounts/email/role_requested")
    logger.info(
        "Role request %s filed by %s: %s %s for user %s",
        role_request.pk,
        by.pk if by else "import",
        change,
        role,
        user.pk,
    )
    return role_request


def _role_apply(role_request: RoleRequest) -> None:
    user = role_request.user
    holds = _holds_role(user=user, role=role_request.role, school=role_request.school)
    if role_request.change == RoleChange.GRANT:
        if holds:
            raise ActionRefused(_("%(person)s heeft deze rol inmiddels al; wijs de aanvraag af.") % {"person": user})
        RoleAssignment.objects.create(
            user=user, role=role_request.role, school=role_request.school, function=role_request.function
        )
        if role_request.role == Role.FUNCTIONAL_ADMIN:
            # The functional admin works in Django's admin: its access comes with the role, never apart.
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
    else:
        if not holds:
            raise ActionRefused(_("%(person)s heeft deze rol al niet meer; wijs de aanvraag af.") % {"person": user})
        RoleAssignment.objects.filter(user=user, role=role_request.role, school=role_request.school).delete()
        if role_request.role == Role.FUNCTIONAL_ADMIN:
            user.is_staff = user.is_superuser = False
            user.save(update_fields=["is_staff", "is_superuser"])


def role_request_decide(*, role_request_id: int, approve: bool, by: User) -> RoleRequest:
    """A board member approves (the role changes now) or rejects a pending role request.

    Refused for anyone but the board, for the requester and for the person concerned (the two-person
    rule, also a database constraint), and for a request already decided (twice at once: the second
    waits for the row and finds it decided). The decision is kept on the row and mailed to the board.
    """
    with transaction.atomic():
        role_request = (
            RoleRequest.objects.select_for_update(of=("self",))
            .select_related("user", "school", "requested_by")
            .filter(pk=role_request_id)
            .first()
        )
        if role_request is None:
            raise ActionRefused(_("Deze aanvraag bestaat niet."), status=HTTPStatus.NOT_FOUND)
        refusal = role_request_decision_refusal(by, role_request)
        if refusal:
            raise ActionRefused(refusal)
        board = _board()  # the board as it was: a removed member is told too, a new one below
        if approve:
            _role_apply(role_request)
            board += [member for member in _board() if member not in board]
        role_request.state = RoleRequestState.APPROVED if approve else RoleRequestState.REJECTED
        role_request.decided_by = by
        role_request.decided_at = timezone.now()
        role_request.save(update_fields=["state", "decided_by", "decided_at"])
        _role_request_mail(role_request=role_request, template="accounts/email/role_decided", board=board)
    logger.info("Role request %s %s by %s", role_request.pk, role_request.state, by.pk)
    return role_request


def board_first_member(*, email: str) -> User:
    """Installation only: make the first board member, from the server's shell (``manage.py
    role_first_board_member``). Refused once any active board member exists: from then on every
    leader, board and functional-admin role goes through a role request the board approves."""
    with transaction.atomic():
        if User.objects.filter(is_active=True, role_assignments__role=Role.BOARD).exists():
            raise ActionRefused(_("Er is al een lid van het bestuur: vraag de rol aan via Rollen in het portaal."))
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise ActionRefused(_("Er is geen actief account met dit e-mailadres."))
        RoleAssignment.objects.create(user=user, role=Role.BOARD)
    logger.info("First board member %s made from the shell", user.pk)
    return user

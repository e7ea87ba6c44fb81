"""Single sign-on for staff: the board's OpenID Connect providers and what their tokens must say.

The protocol is Authlib's (authorization code flow with PKCE, state and nonce, the ID token's
signature, issuer, audience and lifetime); this module adds the board's own rules on top:

| provider  | the token must come from                    | refused with a Dutch message otherwise      |
|-----------|---------------------------------------------|---------------------------------------------|
| Microsoft | the issuer of the board's tenant, ``tid`` = | consumer account (outlook.com: Microsoft's  |
|           | SSO_MICROSOFT_TENANT_ID                     | consumer tenant), another organisation      |
| Google    | accounts.google.com, ``hd`` =               | a gmail.com account (no ``hd``), another    |
|           | SSO_GOOGLE_DOMAIN, ``email_verified``       | Workspace domain, an unverified address     |
| both      | an address of SSO_EMAIL_DOMAINS             | an address of another domain                |

Who the person is, is the portal's business (``services.sso_sign_in``): never the provider's say-so alone.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils.translation import gettext as _
from joserfc.errors import JoseError

from common.refusals import ActionRefused

from .constants import MICROSOFT_CONSUMER_TENANT, SignInProvider, SignInRefusal

# Session keys (the portal's session, not the provider's).
SESSION_PROVIDER = "sso_provider"
SESSION_NEXT = "sso_next"

# How long a call to the provider may take before the portal gives up on it.
PROVIDER_TIMEOUT_SECONDS = 10

# What talking to a provider can raise: its refusal (Authlib's OAuthError: a cancelled sign-in, a
# foreign state), a token that does not verify (joserfc, Authlib), no answer or nonsense (requests,
# a discovery document without an endpoint: RuntimeError, KeyError, ValueError).
PROVIDER_ERRORS = (AuthlibBaseError, JoseError, requests.RequestException, RuntimeError, KeyError, ValueError)


@dataclass(frozen=True)
class ProviderConfig:
    """One configured provider, from settings (README, "Single sign-on for staff")."""

    name: str
    client_id: str
    client_secret: str = field(repr=False)
    authority: str
    scope: str
    tenant_id: str = ""
    domain: str = ""
    # Extra parameters of the authorization request (Google hands out a refresh token only offline).
    authorize_params: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return SignInProvider(self.name).label

    @property
    def metadata_url(self) -> str:
        return f"{self.authority.rstrip('/')}/.well-known/openid-configuration"


def configured_providers() -> list[ProviderConfig]:
    """The providers switched on by settings, Microsoft first; empty when none is."""
    providers = []
    if settings.SSO_MICROSOFT_CLIENT_ID and settings.SSO_MICROSOFT_TENANT_ID:
        providers.append(
            ProviderConfig(
                name=SignInProvider.MICROSOFT,
                client_id=settings.SSO_MICROSOFT_CLIENT_ID,
                client_secret=settings.SSO_MICROSOFT_CLIENT_SECRET,
                authority=settings.SSO_MICROSOFT_AUTHORITY,
                # offline_access: a refresh token, with which the re-check asks whether the account
                # is still enabled (services.sso_sessions_recheck).
                scope="openid email profile offline_access",
                tenant_id=settings.SSO_MICROSOFT_TENANT_ID,
            )
        )
    if settings.SSO_GOOGLE_CLIENT_ID and settings.SSO_GOOGLE_DOMAIN:
        providers.append(
            ProviderConfig(
                name=SignInProvider.GOOGLE,
                client_id=settings.SSO_GOOGLE_CLIENT_ID,
                client_secret=settings.SSO_GOOGLE_CLIENT_SECRET,
                authority=settings.SSO_GOOGLE_AUTHORITY,
                scope="openid email profile",
                domain=settings.SSO_GOOGLE_DOMAIN.lower(),
                # hd: Google's account chooser shows only the board's domain (a hint; the token is checked).
                authorize_params=(("access_type", "offline"), ("hd", settings.SSO_GOOGLE_DOMAIN.lower())),
            )
        )
    return providers


def provider_config(name: str) -> ProviderConfig | None:
    return next((config for config in configured_providers() if config.name == name), None)


@lru_cache(maxsize=8)
def oauth_client(config: ProviderConfig):
    """Authlib's client for one configuration; it keeps the provider's discovery document and keys."""
    oauth = OAuth()
    return oauth.register(
        name=config.name,
        client_id=config.client_id,
        client_secret=config.client_secret,
        server_metadata_url=config.metadata_url,
        authorize_params=dict(config.authorize_params),
        client_kwargs={"scope": config.scope, "code_challenge_method": "S256", "timeout": PROVIDER_TIMEOUT_SECONDS},
    )


# What the token must say --------------------------------------------------------------------------


class SignInRefusedError(ActionRefused):
    """A sign-in through a provider that the board's rules refuse; ``reason`` is a SignInRefusal."""

    def __init__(self, reason: str, message: str, *, email: str = ""):
        super().__init__(message)
        self.reason = reason
        self.email = email


def refusal_message(reason: str, *, config: ProviderConfig, email: str = "") -> str:
    values = {"provider": config.label, "email": email}
    messages = {
        SignInRefusal.CONSUMER_ACCOUNT: _(
            "U probeerde in te loggen met een persoonlijk %(provider)s-account. Dat kan niet: log in met "
            "het werkaccount dat u van het schoolbestuur heeft gekregen."
        ),
        SignInRefusal.OTHER_ORGANISATION: _(
            "Dit %(provider)s-account hoort bij een andere organisatie dan het schoolbestuur. Log in met "
            "het werkaccount dat u van het schoolbestuur heeft gekregen."
        ),
        SignInRefusal.OTHER_DOMAIN: _(
            "Het e-mailadres %(email)s hoort niet bij het schoolbestuur. Log in met uw werkaccount van het "
            "schoolbestuur."
        ),
        SignInRefusal.EMAIL_NOT_VERIFIED: _(
            "%(provider)s heeft uw e-mailadres niet bevestigd. Neem contact op met de ICT-beheerder van "
            "het schoolbestuur."
        ),
        SignInRefusal.UNKNOWN_ACCOUNT: _(
            "Er is in het portaal geen account voor %(email)s. Een account wordt niet vanzelf aangemaakt: "
            "vraag de functioneel beheerder u toe te voegen. Die ziet dat u het probeerde."
        ),
        SignInRefusal.NOT_STAFF: _(
            "Met %(provider)s loggen alleen medewerkers in. Ouders, verzorgers en leerlingen vragen een inloglink aan."
        ),
        SignInRefusal.ACCOUNT_DISABLED: _(
            "Uw account in het portaal is uitgeschakeld. Klopt dat niet? Neem contact op met de functioneel beheerder."
        ),
        SignInRefusal.IDENTITY_CONFLICT: _(
            "Uw account in het portaal is al gekoppeld aan een ander %(provider)s-account. Vraag de "
            "functioneel beheerder de koppeling na te kijken."
        ),
    }
    return messages.get(reason, _("Inloggen met %(provider)s is geweigerd.")) % values


def _refuse(reason: str, config: ProviderConfig, email: str = ""):
    raise SignInRefusedError(reason, refusal_message(reason, config=config, email=email), email=email)


def sign_in_address(config: ProviderConfig, claims: dict) -> str:
    """The verified address of the board's domain in a validated ID token, or SignInRefusedError.

    Authlib has already checked the signature, the issuer of the discovery document, the audience,
    the nonce and the lifetime; here the board's own rules (the table above).
    """
    email = str(claims.get("email") or claims.get("preferred_username") or "").strip().lower()
    if claims.get("iss") != config.authority.rstrip("/") and claims.get("iss") != config.authority:
        _refuse(SignInRefusal.OTHER_ORGANISATION, config, email)
    if config.name == SignInProvider.MICROSOFT:
        tenant = str(claims.get("tid") or "")
        if tenant == MICROSOFT_CONSUMER_TENANT:
            _refuse(SignInRefusal.CONSUMER_ACCOUNT, config, email)
        if tenant.lower() != config.tenant_id.lower():
            _refuse(SignInRefusal.OTHER_ORGANISATION, config, email)
        # In the board's own tenant the addresses are the board's to give out; a provider that says
        # otherwise (email_verified false) is believed.
        if claims.get("email_verified") is False:
            _refuse(SignInRefusal.EMAIL_NOT_VERIFIED, config, email)
    else:
        hosted_domain = str(claims.get("hd") or "").lower()
        if not hosted_domain:
            _refuse(SignInRefusal.CONSUMER_ACCOUNT, config, email)
        if hosted_domain != config.domain:
            _refuse(SignInRefusal.OTHER_ORGANISATION, config, email)
        if claims.get("email_verified") is not True:
            _refuse(SignInRefusal.EMAIL_NOT_VERIFIED, config, email)
    if "@" not in email or email.rsplit("@", 1)[1] not in settings.SSO_EMAIL_DOMAINS:
        _refuse(SignInRefusal.OTHER_DOMAIN, config, email)
    return email


def subject_of(config: ProviderConfig, claims: dict) -> str:
    """Who the person is at the provider, for good. Entra ID's ``sub`` differs per app registration
    (a new registration would orphan every match); its ``oid`` is the person's id in the tenant, the
    same for every app, so that is kept when the token has it. Google: ``sub``."""
    if config.name == SignInProvider.MICROSOFT and claims.get("oid"):
        return str(claims["oid"])
    return str(claims.get("sub") or "")


def multi_factor_claimed(claims: dict) -> bool:
    """Whether the token says more than one factor was used: an ``amr`` value of SSO_MFA_AMR_VALUES
    (RFC 8176, e.g. "mfa") or an ``acr`` of SSO_MFA_ACR_VALUES, as the board's provider sends them."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if any(value in settings.SSO_MFA_AMR_VALUES for value in amr):
        return True
    acr = claims.get("acr")
    return bool(acr) and acr in settings.SSO_MFA_ACR_VALUES


# The re-check: is the account still enabled at the provider? -----------------------------------------


class ProviderSaysNo(Exception):
    """The provider refused the refresh token: the account is disabled, deleted or its sessions revoked."""


class ProviderUnreachable(Exception):
    """The provider did not answer (or answered nonsense): nothing can be concluded about the account."""


def provider_refresh(config: ProviderConfig, refresh_token: str) -> str:
    """Ask the provider for new tokens with ``refresh_token``; return the refresh token to keep next
    (a rotated one, or the same). Raises ProviderSaysNo or ProviderUnreachable."""
    client = oauth_client(config)
    try:
        token = client.fetch_access_token(grant_type="refresh_token", refresh_token=refresh_token)
    except OAuthError as error:
        if error.error in {"invalid_grant", "unauthorized_client", "interaction_required"}:
            raise ProviderSaysNo(error.error) from error
        raise ProviderUnreachable(error.error) from error
    except PROVIDER_ERRORS as error:  # network, TLS, a broken discovery document: the provider is down, not the account
        raise ProviderUnreachable(type(error).__name__) from error
    return token.get("refresh_token") or refresh_token


def logout_url(config: ProviderConfig, *, post_logout_redirect_uri: str) -> str | None:
    """The provider's end-session address (RP-initiated logout), or None when it has none."""
    try:
        result = oauth_client(config).create_logout_url(
            post_logout_redirect_uri=post_logout_redirect_uri, client_id=config.client_id
        )
    except PROVIDER_ERRORS:  # no end_session_endpoint, or the discovery document is unreachable
        return None
    return result["url"]


# The refresh token at rest ---------------------------------------------------------------------------


def _fernet() -> Fernet:
    key = hashlib.sha256(f"accounts.sso.refresh-token:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def refresh_token_seal(token: str) -> str:
    return _fernet().encrypt(token.encode()).decode() if token else ""


def refresh_token_unseal(sealed: str) -> str:
    """The refresh token, or "" when there is none or it was sealed with another SECRET_KEY."""
    if not sealed:
        return ""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return ""

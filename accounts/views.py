from __future__ import annotations

import io
from datetime import timedelta

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from common.access import client_ip, personal_page, private_view, second_factor_redirect
from common.links import link_token, link_token_forget, link_token_keep
from common.refusals import refusal_as_message, refusal_on_form

from . import selectors, services, sso, throttle
from .access import login_failure_on_trusted_device, may_request_roles, may_see_account_hygiene, trusted_device_mark
from .constants import HygieneReason, LinkPurpose
from .forms import (
    AccountDisableForm,
    LoginLinkRequestForm,
    PasswordLoginForm,
    PortalFormHelper,
    RoleDecisionForm,
    RoleRequestForm,
    TokenForm,
)
from .models import RoleRequest


def _next_url(request, default: str = "home") -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    # A path of this site only: redirect() would take a bare word ("?next=0") for a URL name and fail.
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    ):
        return target
    return reverse(default)


class PasswordLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = PasswordLoginForm
    redirect_authenticated_user = False

    def form_valid(self, form):
        response = super().form_valid(form)
        # After the second factor, go on to where the user was going.
        response = second_factor_redirect(self.request, next_url=self.get_success_url()) or response
        # This browser is now trusted for this login name: other people's failures do not lock it out.
        return trusted_device_mark(response, username=form.get_user().email)

    def form_invalid(self, form):
        login_failure_on_trusted_device(self.request, username=self.request.POST.get("username", ""))
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["helper"] = PortalFormHelper(_("Inloggen"))
        context["sign_in_providers"] = sso.configured_providers()
        return context


@personal_page
@require_http_methods(["GET", "POST"])
def verify(request):
    """Second step of a password login: the code from the authenticator app."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if request.user.is_verified():
        return redirect(_next_url(request))
    device = services.totp_device_for(user=request.user)
    if device is None:
        return redirect(f"{reverse('accounts:totp_setup')}?{urlencode({REDIRECT_FIELD_NAME: _next_url(request)})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            # django-otp slows down guessing: every wrong code doubles the wait.
            form.add_error("token", _("Te veel verkeerde codes na elkaar. Wacht even en probeer het dan opnieuw."))
        elif device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(_next_url(request))
        else:
            form.add_error("token", _("Deze code klopt niet of is verlopen. Probeer de code die de app nu toont."))
    return render(
        request,
        "accounts/verify.html",
        {"form": form, "helper": PortalFormHelper(_("Controleren")), "next": _next_url(request)},
    )


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@personal_page
@require_http_methods(["GET", "POST"])
def totp_setup(request):
    """Link an authenticator app: scan the code (or type the key), then prove it with one code."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if services.totp_device_for(user=request.user) is not None and not request.user.is_verified():
        # Replacing a device needs the current one first.
        return redirect(f"{reverse('accounts:verify')}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}")
    device = services.totp_device_start(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, _("Uw authenticator-app is gekoppeld."))
            return redirect(_next_url(request))
        form.add_error("token", _("Deze code klopt niet. Controleer of de tijd op uw telefoon goed staat."))
    return render(
        request,
        "accounts/totp_setup.html",
        {
            "form": form,
            "helper": PortalFormHelper(_("Koppelen")),
            "qr_svg": _qr_svg(device.config_url),
            "secret": services.totp_secret_base32(device),
            "next": _next_url(request),
        },
    )


def _link_limit_refusal(*, purpose: str, email: str) -> str | None:
    """The plain sentence for a link request this typed address has had too many of this hour, or None.

    Counted per typed address, in the request, whether or not the address belongs to anyone: the
    answer is the same for a known and an unknown address, so it tells nothing about accounts
    (OWASP: account enumeration). What it does tell (that this address was asked for often in the
    last hour) the person who typed it mostly did themselves; saying so beats a page that says
    "kijk in uw e-mail" when nothing was sent. SECURITY.md, "Links by e-mail", weighs this.
    """
    count = throttle.throttle_hit(scope=f"link-to:{purpose}", client=email)
    if count <= services.LINKS_PER_RECIPIENT_PER_HOUR:
        return None
    retry = timezone.localtime(throttle.window_end())
    return _(
        "Er is nu geen e-mail verstuurd. Voor dit e-mailadres zijn het afgelopen uur al %(count)s links "
        "aangevraagd; meer sturen we niet, zodat niemands mailbox volloopt. Probeer het om %(time)s opnieuw. "
        "Kijk intussen ook bij ongewenste e-mail: een eerder verstuurde link werkt %(minutes)s minuten."
    ) % {
        "count": services.LINKS_PER_RECIPIENT_PER_HOUR,
        "time": date_format(retry, "H:i"),
        "minutes": int(settings.LOGIN_LINK_VALIDITY.total_seconds() // 60),
    }


def _link_request_page(request, *, scope: str, purpose: str, template: str, button: str, done: str, send):
    """Ask for a link by e-mail: the same answer whether or not the address is known.

    Two limits, each said in plain Dutch when it applies. Per typed address and hour
    (services.LINKS_PER_RECIPIENT_PER_HOUR): refused, with the time to try again. Per network and
    hour (settings.LINK_REQUESTS_FREE_PER_NETWORK_PER_HOUR, generous: a consent evening on the
    school's Wi-Fi is one address): beyond it nobody is refused, the browser does a short check
    first (accounts.throttle), so a whole school is never locked out.
    """
    form = LoginLinkRequestForm(request.POST or None)
    address = client_ip(request)
    free = settings.LINK_REQUESTS_FREE_PER_NETWORK_PER_HOUR
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        if not throttle.busy_admit(scope=scope, client=address, free=free, data=request.POST):
            form.add_error(
                None,
                _(
                    "Vanaf dit netwerk komen nu veel aanvragen binnen. "
                    "Doe de korte controle hieronder en verstuur opnieuw."
                ),
            )
            status = 429
        elif refusal := _link_limit_refusal(purpose=purpose, email=email):
            form.add_error(None, refusal)
            status = 429
        else:
            send(email)
            return redirect(done)
    context = {
        "form": form,
        "helper": PortalFormHelper(button),
        "challenge": throttle.busy_challenge(scope=scope, client=address, free=free),
    }
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def link_request(request):
    """Parents and pupils: ask for a login link by e-mail."""
    return _link_request_page(
        request,
        scope="login-link",
        purpose=LinkPurpose.LOGIN,
        template="accounts/link_request.html",
        button=_("Stuur mij een inloglink"),
        done="accounts:link_sent",
        send=lambda email: services.link_request_submit(email=email, purpose=LinkPurpose.LOGIN),
    )


def link_sent(request):
    return render(request, "accounts/link_sent.html")


LINK_COOKIE = "skow_login_link"


@require_GET
def link_login(request, token: str):
    """The e-mailed login link: its secret goes into a cookie for the next page, out of the URL."""
    return link_token_keep(token, cookie=LINK_COOKIE, to=reverse("accounts:link_open"))


@personal_page
@require_http_methods(["GET", "POST"])
def link_open(request):
    """GET only asks to confirm: mail scanners that follow links spend nothing. POST logs in."""
    token = link_token(request, LINK_COOKIE)
    if request.method == "POST":
        user = services.login_link_use(token=token)
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("U bent ingelogd."))
            return link_token_forget(redirect("home"), cookie=LINK_COOKIE, path=reverse("accounts:link_open"))
    else:
        link = services.login_link_get(token=token)
        if link is not None:
            return render(request, "accounts/link_login.html", {"email": link.user.email})
    return render(request, "accounts/link_invalid.html", status=410)


UNLOCK_COOKIE = "skow_unlock_link"


@require_http_methods(["GET", "POST"])
def unlock_request(request):
    """A locked-out login: the person asks for an e-mailed link that lifts the lockout."""
    return _link_request_page(
        request,
        scope="unlock-link",
        purpose=LinkPurpose.UNLOCK,
        template="accounts/unlock_request.html",
        button=_("Stuur mij een link om te ontgrendelen"),
        done="accounts:unlock_sent",
        send=lambda email: services.link_request_submit(email=email, purpose=LinkPurpose.UNLOCK),
    )


def unlock_sent(request):
    return render(request, "accounts/unlock_sent.html")


@require_GET
def unlock_link(request, token: str):
    return link_token_keep(token, cookie=UNLOCK_COOKIE, to=reverse("accounts:unlock_open"))


@personal_page
@require_http_methods(["GET", "POST"])
def unlock_open(request):
    """Lift the lockout (POST, so a mail scanner following the link lifts nothing) and trust this browser."""
    token = link_token(request, UNLOCK_COOKIE)
    if request.method == "POST":
        user = services.login_unlock(token=token)
        if user is not None:
            messages.success(request, _("De blokkade is opgeheven. U kunt weer inloggen."))
            response = redirect("accounts:login")
            trusted_device_mark(response, username=user.email)
            return link_token_forget(response, cookie=UNLOCK_COOKIE, path=reverse("accounts:unlock_open"))
    else:
        user = services.login_unlock_link_user(token=token)
        if user is not None:
            return render(request, "accounts/unlock_open.html", {"email": user.email})
    return render(request, "accounts/link_invalid.html", status=410)


@require_http_methods(["GET", "POST"])
def password_forgotten(request):
    """Staff and above: e-mail a link to choose a new password (also how imported staff start)."""
    return _link_request_page(
        request,
        scope="password-link",
        purpose=LinkPurpose.PASSWORD,
        template="accounts/password_forgotten.html",
        button=_("Stuur mij een link"),
        done="accounts:password_reset_sent",
        send=lambda email: services.link_request_submit(email=email, purpose=LinkPurpose.PASSWORD),
    )


def password_reset_sent(request):
    return render(request, "accounts/password_reset_sent.html")


class PasswordSetView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["helper"] = PortalFormHelper(_("Wachtwoord opslaan"))
        return context


class PasswordSetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_set_complete.html"


class PortalLogoutView(auth_views.LogoutView):
    """Ends the portal session. After a sign-in through a provider, the next page offers to sign out
    there too (on a shared school computer the provider's session would otherwise stay)."""

    next_page = "home"

    def post(self, request, *args, **kwargs):
        provider = request.session.get(sso.SESSION_PROVIDER)
        services.sso_session_forget(session_key=request.session.session_key)
        response = super().post(request, *args, **kwargs)
        if provider and sso.provider_config(provider) is not None:
            request.session[sso.SESSION_PROVIDER] = provider
            return redirect("accounts:signed_out")
        return response


@private_view
def school_detail(request, pk: int):
    overview = selectors.school_overview_for(user=request.user, school_id=pk)
    if overview is None:
        raise Http404
    return render(request, "accounts/school_detail.html", overview)


@private_view
def group_detail(request, pk: int):
    group = selectors.group_for(user=request.user, group_id=pk)
    if group is None:
        raise Http404
    return render(
        request, "accounts/group_detail.html", {"group": group, "pupils": selectors.group_pupils(group=group)}
    )


# Single sign-on ------------------------------------------------------------------------------------


PROVIDER_UNREACHABLE = gettext_noop(
    "%(provider)s is nu niet bereikbaar. Probeer het over een paar minuten opnieuw, of log in met uw wachtwoord."
)
SIGN_IN_FAILED = gettext_noop(
    "Inloggen met %(provider)s is niet gelukt of afgebroken. Probeer het opnieuw, of log in met uw wachtwoord."
)


def _sign_in_provider(name: str) -> sso.ProviderConfig:
    config = sso.provider_config(name)
    if config is None:
        raise Http404
    return config


def _sign_in_problem(request, config: sso.ProviderConfig, message: str, *, status: int):
    return render(request, "accounts/sign_in_refused.html", {"provider": config, "message": message}, status=status)


@personal_page
@require_GET
def sso_start(request, provider: str):
    """Off to the board's provider (a link, not a form: the CSP's form-action keeps forms on this site).

    Authlib keeps state, nonce and the PKCE verifier in this browser's session; ``next`` waits there too.
    """
    config = _sign_in_provider(provider)
    request.session[sso.SESSION_NEXT] = _next_url(request)
    redirect_uri = request.build_absolute_uri(reverse(f"accounts:sso_callback_{config.name}"))
    try:
        return sso.oauth_client(config).authorize_redirect(request, redirect_uri)
    except sso.PROVIDER_ERRORS:  # the provider's discovery document did not come
        return _sign_in_problem(
            request,
            config,
            _(PROVIDER_UNREACHABLE) % {"provider": config.label},
            status=503,
        )


@personal_page
@require_GET
def sso_callback(request, provider: str):
    """Back from the provider: tokens for the code, the board's rules, the portal's own account.

    Then the second factor: a leader, board member or admin whose token says multi-factor is verified
    as after a TOTP code; without that claim the portal's own code step follows, as after a password.
    """
    config = _sign_in_provider(provider)
    try:
        token = sso.oauth_client(config).authorize_access_token(request)
    except sso.PROVIDER_ERRORS:  # cancelled at the provider, a replayed or foreign state, a token that does not verify
        return _sign_in_problem(
            request,
            config,
            _(SIGN_IN_FAILED) % {"provider": config.label},
            status=400,
        )
    claims = dict(token.get("userinfo") or {})
    try:
        user, identity = services.sso_sign_in(
            config=config, claims=claims, refresh_token=token.get("refresh_token") or ""
        )
    except sso.SignInRefusedError as refusal:
        return _sign_in_problem(request, config, refusal.message, status=403)
    next_url = request.session.get(sso.SESSION_NEXT) or reverse("home")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[sso.SESSION_PROVIDER] = config.name
    # A fixed end, SESSION_COOKIE_AGE after signing in (not sliding with each change to the session):
    # even a session the provider cannot be asked about again ends within the session lifetime.
    request.session.set_expiry(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))
    multi_factor = sso.multi_factor_claimed(claims)
    if multi_factor:
        otp_login(request, services.sso_multi_factor_device(user=user))
    request.session.save()
    services.sso_session_start(identity=identity, session_key=request.session.session_key)
    if not multi_factor:
        # As after a password: the code step where one is due (a linked app, or a role that needs one).
        pending = second_factor_redirect(request, next_url=next_url)
        if pending is not None:
            return pending
    return HttpResponseRedirect(next_url)


@personal_page
@require_GET
def signed_out(request):
    """After logging out of a session that came through a provider: offer to sign out there too."""
    config = sso.provider_config(request.session.get(sso.SESSION_PROVIDER, ""))
    if config is None or request.user.is_authenticated:
        return redirect("home")
    provider_logout = sso.logout_url(config, post_logout_redirect_uri=request.build_absolute_uri(reverse("home")))
    return render(request, "accounts/signed_out.html", {"provider": config, "provider_logout": provider_logout})


# Account hygiene -----------------------------------------------------------------------------------


@private_view
@require_GET
def account_hygiene(request):
    report = selectors.account_hygiene_for(user=request.user)
    if report is None:
        raise Http404
    return render(request, "accounts/account_hygiene.html", report)


@private_view
@require_POST
def account_hygiene_disable(request):
    """One click on the report: disable that account, for the list's reason (logged by the service)."""
    if not may_see_account_hygiene(request.user):
        raise Http404
    form = AccountDisableForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Er is niets uitgeschakeld: het verzoek was onvolledig. Probeer het opnieuw."))
        report = selectors.account_hygiene_for(user=request.user)
        return render(request, "accounts/account_hygiene.html", report, status=400)
    with refusal_as_message(request):
        user = services.account_disable(
            user_id=form.cleaned_data["user"], reason=form.cleaned_data["reason"], by=request.user
        )
        messages.success(
            request,
            _("Het account van %(name)s is uitgeschakeld (%(reason)s).")
            % {"name": user, "reason": HygieneReason(form.cleaned_data["reason"]).label},
        )
    return redirect(f"{reverse('accounts:hygiene')}#{form.cleaned_data['reason']}")


# Role requests: the two-person rule for leader, board and functional-admin roles -------------------


def _role_requests_page(request, form: RoleRequestForm, *, status: int = 200):
    page = selectors.role_requests_for(user=request.user)
    if page is None:
        raise Http404
    return render(
        request,
        "accounts/role_requests.html",
        {**page, "form": form, "helper": PortalFormHelper(_("Aanvraag indienen"))},
        status=status,
    )


@private_view
@require_GET
def role_requests(request):
    """Ask for a leader, board or functional-admin role to be given or taken away; the board decides here."""
    return _role_requests_page(request, RoleRequestForm(initial={"change": "grant"}))


@private_view
@require_POST
def role_request_new(request):
    if not may_request_roles(request.user):
        raise Http404
    form = RoleRequestForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with refusal_on_form(form):
            role_request = services.role_request_file(
                user=data["email"],
                role=data["role"],
                change=data["change"],
                school=data["school"],
                function=data["function"],
                reason=data["reason"],
                by=request.user,
            )
            messages.success(
                request,
                _("De aanvraag is ingediend. Er verandert niets tot een ander lid van het bestuur hem goedkeurt."),
            )
            return redirect(f"{reverse('accounts:roles')}#aanvraag-{role_request.pk}")
    return _role_requests_page(request, form, status=400)


@private_view
@require_POST
def role_request_decide(request, pk: int):
    if not may_request_roles(request.user) or not RoleRequest.objects.filter(pk=pk).exists():
        raise Http404
    form = RoleDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Er is niets besloten: het verzoek was onvolledig. Probeer het opnieuw."))
        return _role_requests_page(request, RoleRequestForm(initial={"change": "grant"}), status=400)
    approve = form.cleaned_data["decision"] == "approve"
    with refusal_as_message(request):
        services.role_request_decide(role_request_id=pk, approve=approve, by=request.user)
        messages.success(
            request,
            _("Goedgekeurd: de rol is gewijzigd en het bestuur is gemaild.")
            if approve
            else _("Afgewezen: er is niets veranderd en het bestuur is gemaild."),
        )
    return redirect(f"{reverse('accounts:roles')}#aanvraag-{pk}")

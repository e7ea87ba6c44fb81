from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from . import selectors, services
from .access import client_ip, personal_page, private_view, second_factor_redirect
from .constants import LinkPurpose
from .forms import LoginLinkRequestForm, PasswordLoginForm, PortalFormHelper, TokenForm

# Link requests per address per hour: enough for a parent, too few to flood someone's inbox.
LINK_REQUESTS_PER_HOUR = 5


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
        return second_factor_redirect(self.request, next_url=self.get_success_url()) or response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["helper"] = PortalFormHelper(_("Inloggen"))
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


@require_http_methods(["GET", "POST"])
def link_request(request):
    """Parents and pupils: ask for a login link by e-mail."""
    form = LoginLinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key = f"login-link:{client_ip(request)}"
        cache.add(key, 0, timeout=3600)
        if cache.incr(key) <= LINK_REQUESTS_PER_HOUR:
            services.link_request_submit(email=form.cleaned_data["email"], purpose=LinkPurpose.LOGIN)
        # The same answer, and the same work, whether or not the address is known (and when over the limit).
        return redirect("accounts:link_sent")
    return render(
        request, "accounts/link_request.html", {"form": form, "helper": PortalFormHelper(_("Stuur mij een inloglink"))}
    )


def link_sent(request):
    return render(request, "accounts/link_sent.html")


@personal_page
@require_http_methods(["GET", "POST"])
def link_login(request, token: str):
    """Open an e-mailed link. GET only asks to confirm: mail scanners that follow links spend nothing."""
    if request.method == "POST":
        user = services.login_link_use(token=token)
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("U bent ingelogd."))
            return redirect("home")
    else:
        link = services.login_link_get(token=token)
        if link is not None:
            return render(request, "accounts/link_login.html", {"email": link.user.email})
    return render(request, "accounts/link_invalid.html", status=410)


@require_http_methods(["GET", "POST"])
def password_forgotten(request):
    """Staff and above: e-mail a link to choose a new password (also how imported staff start)."""
    form = LoginLinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key = f"password-link:{client_ip(request)}"
        cache.add(key, 0, timeout=3600)
        if cache.incr(key) <= LINK_REQUESTS_PER_HOUR:
            services.link_request_submit(email=form.cleaned_data["email"], purpose=LinkPurpose.PASSWORD)
        # The same answer, and the same work, whether or not the address is known.
        return redirect("accounts:password_reset_sent")
    return render(
        request,
        "accounts/password_forgotten.html",
        {"form": form, "helper": PortalFormHelper(_("Stuur mij een link"))},
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
    next_page = "home"


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

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class PortalFormHelper(FormHelper):
    def __init__(self, submit_label, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_tag = False
        self.add_input(Submit("submit", submit_label))


class PasswordLoginForm(AuthenticationForm):
    """E-mail address and password, for staff and everyone above."""

    username = forms.EmailField(
        label=_("E-mailadres"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"})
    )
    error_messages = {
        "invalid_login": _("Dit e-mailadres en wachtwoord horen niet bij elkaar. Let op hoofdletters."),
        "inactive": _("Dit account is uitgeschakeld. Neem contact op met de school."),
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code uit uw authenticator-app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}", "autofocus": True}
        ),
        help_text=_("De zes cijfers die de app nu toont."),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError(_("Vul de zes cijfers in die de app toont."))
        return token


class LoginLinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        help_text=_("Het adres dat de school van u heeft."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

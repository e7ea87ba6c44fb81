from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .constants import HygieneReason


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


class CsvImportForm(forms.Form):
    """A CSV export from the school administration; its content is checked by accounts.imports."""

    file = forms.FileField(
        label=_("CSV-bestand"),
        help_text=_("Een export uit de leerlingadministratie, met puntkomma of komma tussen de kolommen."),
    )
    dry_run = forms.BooleanField(label=_("Alleen controleren, nog niets opslaan"), required=False, initial=False)

    def clean_file(self):
        from .imports import MAX_FILE_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 5 MB."))
        return upload


class PupilImportForm(CsvImportForm):
    school_year = forms.RegexField(
        label=_("Schooljaar"),
        regex=r"^\d{4}-\d{4}$",
        error_messages={"invalid": _("Schrijf het schooljaar als 2026-2027.")},
    )

    def clean_school_year(self):
        value = self.cleaned_data["school_year"]
        if int(value[5:]) != int(value[:4]) + 1:
            raise forms.ValidationError(_("Schrijf het schooljaar als 2026-2027."))
        return value


class StaffImportForm(CsvImportForm):
    invite_new = forms.BooleanField(
        label=_("Nieuwe medewerkers een welkomstmail sturen met een link om een wachtwoord te kiezen"),
        required=False,
        initial=True,
    )


class AccountDisableForm(forms.Form):
    """The hygiene report's one-click button: which account, from which list."""

    user = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    reason = forms.ChoiceField(choices=HygieneReason.choices, widget=forms.HiddenInput)

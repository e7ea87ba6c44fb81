from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .constants import GUARDED_ROLES, SCHOOL_ROLES, HygieneReason, RoleChange
from .models import School, User


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


class RoleRequestForm(forms.Form):
    """Ask for a leader, board or functional-admin role to be given or taken away (a board member approves)."""

    email = forms.EmailField(
        label=_("E-mailadres van de persoon"),
        help_text=_("Het account moet al bestaan (Beheer of de import maakt het aan)."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    change = forms.ChoiceField(label=_("Wijziging"), choices=RoleChange.choices, widget=forms.RadioSelect)
    role = forms.ChoiceField(label=_("Rol"), choices=[(role.value, role.label) for role in GUARDED_ROLES])
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.all(),
        required=False,
        empty_label=_("— geen (bestuur, functioneel beheer) —"),
        help_text=_("Alleen bij schoolleiding."),
    )
    function = forms.CharField(
        label=_("Functie"), max_length=100, required=False, help_text=_("Bijvoorbeeld directeur; mag leeg blijven.")
    )
    reason = forms.CharField(
        label=_("Toelichting voor het bestuur"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Waarom deze wijziging? Geen gegevens uit meldingen."),
    )

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("Er is geen account met dit e-mailadres. Maak het eerst aan in Beheer."))
        return user

    def clean(self):
        cleaned = super().clean()
        role, school = cleaned.get("role"), cleaned.get("school")
        if role in SCHOOL_ROLES and school is None:
            self.add_error("school", _("Kies de school waarvan deze persoon schoolleiding is."))
        if role and role not in SCHOOL_ROLES and school is not None:
            self.add_error("school", _("Deze rol geldt voor alle scholen; laat de school leeg."))
        return cleaned


class RoleDecisionForm(forms.Form):
    """A board member's button on a pending role request."""

    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")], widget=forms.HiddenInput)

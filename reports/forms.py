"""What a reporter and a handler type, validated; no side effects (files are checked, not stored)."""

from __future__ import annotations

import secrets

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import School

from .constants import BEHAVIOUR_CATEGORIES, RULE_CATEGORIES, Category, PartyRole, Platform, ReporterRole
from .evidence import evidence_check

CATEGORY_CHOICES = [
    ("", _("Kies wat er is gebeurd")),
    (_("Grensoverschrijdend gedrag (protocol A.8)"), [(c.value, c.label) for c in BEHAVIOUR_CATEGORIES]),
    (_("Regels van het protocol overtreden"), [(c.value, c.label) for c in RULE_CATEGORIES]),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files in one input; each is checked by content in ``evidence_check``."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if len(uploads) > settings.EVIDENCE_MAX_FILES:
            raise ValidationError(
                _("U kunt hoogstens %(max)s bestanden meesturen; u koos er %(count)s. Kies ze opnieuw.")
                % {"max": settings.EVIDENCE_MAX_FILES, "count": len(uploads)}
            )
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(evidence_check(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            if len(uploads) > 1:
                errors.append(_("Kies de bestanden die wel goed waren opnieuw; de rest van het formulier is bewaard."))
            raise ValidationError(errors)
        return checked


def _evidence_help() -> str:
    return _("Schermafbeeldingen (PNG, JPEG), PDF of tekst; hoogstens %(count)s bestanden van %(size)s MB.") % {
        "count": settings.EVIDENCE_MAX_FILES,
        "size": settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
    }


class ReportForm(forms.Form):
    school = forms.ModelChoiceField(
        label=_("Over welke school gaat het?"), queryset=School.objects.all(), empty_label=_("Kies een school")
    )
    category = forms.ChoiceField(label=_("Wat is er gebeurd?"), choices=CATEGORY_CHOICES)
    platform = forms.ChoiceField(
        label=_("Waar gebeurde het?"), choices=[("", _("Kies een platform")), *Platform.choices]
    )
    happened_on = forms.DateField(
        label=_("Wanneer gebeurde het?"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Weet u de precieze dag niet? Kies ongeveer de dag."),
    )
    description = forms.CharField(
        label=_("Beschrijf wat er is gebeurd"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        help_text=_("Wat is er gezegd, gestuurd of gedeeld, en door wie? Schrijf het in uw eigen woorden."),
    )
    involved_roles = forms.MultipleChoiceField(
        label=_("Betrokken zijn (kies wat past)"),
        choices=PartyRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    involved_names = forms.CharField(label=_("Namen van betrokkenen (niet verplicht)"), max_length=500, required=False)
    is_about_leadership = forms.BooleanField(
        label=_("De melding gaat over de schoolleiding (directie) van deze school"),
        help_text=_("Dan gaat uw melding alleen naar het bestuur, niet naar de schoolleiding."),
        required=False,
    )
    evidence = EvidenceField(label=_("Bewijs (niet verplicht)"))
    reporter_role = forms.ChoiceField(label=_("Ik ben"), choices=ReporterRole.choices, widget=forms.RadioSelect)
    is_anonymous = forms.BooleanField(
        label=_("Ik meld anoniem"),
        help_text=_("Wij bewaren dan geen naam, e-mailadres of IP-adres. Volgen kan met uw ontvangstcode."),
        required=False,
    )
    reporter_name = forms.CharField(label=_("Uw naam"), max_length=200, required=False)
    reporter_email = forms.EmailField(label=_("Uw e-mailadres"), required=False)
    reporter_phone = forms.CharField(label=_("Uw telefoonnummer (niet verplicht)"), max_length=30, required=False)
    # Honeypot: people do not see or fill it; simple bots do (no CAPTCHA service is reachable).
    website = forms.CharField(
        label=_("Laat dit veld leeg"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    # A key per form shown: the same key twice (a double click) makes one report.
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _evidence_help()
        if not self.is_bound:
            self.initial["submission_key"] = secrets.token_urlsafe(32)
            if user is not None and user.is_authenticated:
                self.initial.setdefault("reporter_name", user.get_full_name())
                self.initial.setdefault("reporter_email", user.email)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("Wat is er gebeurd?"),
                "school",
                "category",
                HTML('{% include "reports/_sexting_warning.html" %}'),
                "platform",
                "happened_on",
                "description",
            ),
            Fieldset(_("Wie zijn erbij betrokken?"), "involved_roles", "involved_names", "is_about_leadership"),
            Fieldset(_("Bewijs"), "evidence"),
            Fieldset(_("Over u"), "reporter_role", "is_anonymous", "reporter_name", "reporter_email", "reporter_phone"),
            HTML('<div class="offscreen" aria-hidden="true">'),  # a honeypot: people never see it
            "website",
            HTML("</div>"),
            "submission_key",
            Submit("submit", _("Melding versturen"), css_class="btn-lg w-100"),
        )

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise ValidationError(_("Deze datum ligt in de toekomst."))
        return day

    def clean(self):
        data = super().clean()
        # Possessing or forwarding sexual images of minors is an offence (Sr art. 240b): no files.
        if data.get("category") == Category.SEXTING and data.get("evidence"):
            self.add_error(
                "evidence",
                _("Bij sexting nemen we geen bestanden aan. Stuur geen beelden door; beschrijf wat u zag."),
            )
        if not data.get("is_anonymous"):
            if not data.get("reporter_name"):
                self.add_error("reporter_name", _("Vul uw naam in, of kies 'Ik meld anoniem'."))
            if not data.get("reporter_email") and not data.get("reporter_phone"):
                self.add_error(
                    "reporter_email", _("Vul een e-mailadres of telefoonnummer in, of kies 'Ik meld anoniem'.")
                )
        return data


class ReceiptCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Uw ontvangstcode"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        help_text=_("De code die u kreeg na het melden, bijvoorbeeld ABCD-EFGH-JKMN-PQRS-TVWX."),
    )


class ReporterReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Uw bericht of aanvulling"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000
    )
    evidence = EvidenceField(label=_("Bestanden toevoegen (niet verplicht)"))

    def __init__(self, *args, category: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        self.fields["evidence"].help_text = _evidence_help()

    def clean(self):
        data = super().clean()
        if self.category == Category.SEXTING and data.get("evidence"):
            self.add_error(
                "evidence",
                _("Bij sexting nemen we geen bestanden aan. Stuur geen beelden door; beschrijf wat u zag."),
            )
        return data


class HandlerMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Bericht aan de melder"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        help_text=_("De melder leest dit met de ontvangstcode. Een anonieme melder blijft anoniem."),
    )

"""What a reporter and a handler type, validated; no side effects (files are checked, not stored)."""

from __future__ import annotations

import secrets

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import School

from .access import case_recipient_for, recipient_is_reachable
from .constants import (
    BEHAVIOUR_CATEGORIES,
    HANDWRITTEN_KINDS,
    RULE_CATEGORIES,
    CaseState,
    Category,
    ClosingReason,
    MessageKind,
    PartyRole,
    Platform,
    Recipient,
    ReporterRole,
    TimelineKind,
)
from .evidence import evidence_check
from .lifecycle import HANDLER, NEEDS_REASON, may_transition, next_states
from .selectors import CASE_SORTS, case_pk_from_number

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
                ngettext(
                    "U kunt hoogstens %(max)s bestand meesturen; u koos er %(count)s. Kies opnieuw.",
                    "U kunt hoogstens %(max)s bestanden meesturen; u koos er %(count)s. Kies ze opnieuw.",
                    settings.EVIDENCE_MAX_FILES,
                )
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
    return ngettext(
        "Schermafbeeldingen of foto's (PNG, JPEG, GIF, WebP, BMP), PDF of platte tekst (.txt); "
        "hoogstens %(count)s bestand van %(size)s MB.",
        "Schermafbeeldingen of foto's (PNG, JPEG, GIF, WebP, BMP), PDF of platte tekst (.txt); "
        "hoogstens %(count)s bestanden van %(size)s MB.",
        settings.EVIDENCE_MAX_FILES,
    ) % {
        "count": settings.EVIDENCE_MAX_FILES,
        "size": settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
    }


# What an anonymous reporter may have typed (or the browser filled in) that is never kept.
ANONYMOUS_DROPS = ("reporter_name", "reporter_email", "reporter_phone")


class ReportForm(forms.Form):
    school = forms.ModelChoiceField(
        label=_("Over welke school gaat het?"), queryset=School.objects.all(), empty_label=_("Kies een school")
    )
    category = forms.ChoiceField(
        label=_("Wat is er gebeurd?"),
        choices=CATEGORY_CHOICES,
        help_text=_(
            "Bij een regel van het protocol staat het artikel, bijvoorbeeld (C.2); de tekst van elk artikel staat "
            "op de pagina Protocol."
        ),
    )
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
    # WPO art. 4c: a pupil or parent may turn to someone other than the head.
    recipient = forms.ChoiceField(
        label=_("Wie krijgt uw melding?"),
        choices=Recipient.choices,
        initial=Recipient.SCHOOL,
        # Not chosen: the default, the school (as the form shows it checked).
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Een vertrouwenspersoon houdt uw melding voor zich en geeft haar alleen met een reden door "
            "(met uw instemming als u uw naam geeft)."
        ),
    )
    evidence = EvidenceField(label=_("Bewijs (niet verplicht)"))
    reporter_role = forms.ChoiceField(label=_("Ik ben"), choices=ReporterRole.choices, widget=forms.RadioSelect)
    is_anonymous = forms.BooleanField(
        label=_("Ik meld anoniem"),
        help_text=_("Wij bewaren dan geen naam, e-mailadres of IP-adres. Volgen kan met uw ontvangstcode."),
        required=False,
        # static/js/forms.js hides and disables the contact fields while this is ticked.
        widget=forms.CheckboxInput(attrs={"aria-controls": "reporter-contact"}),
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
    # A key per form shown: the same key twice (a double click) makes one report. It also opens the
    # receipt code on the thank-you page (in a cookie), so it holds only URL- and cookie-safe letters.
    submission_key = forms.CharField(
        widget=forms.HiddenInput,
        min_length=16,
        max_length=64,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$")],
        error_messages={"required": _("Het formulier is verlopen. Verstuur het opnieuw.")},
    )

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
        self.helper.template = "reports/_form_fields.html"  # the page shows form-wide errors itself
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
            Fieldset(
                _("Naar wie gaat uw melding?"),
                "recipient",
                HTML(
                    format_html(
                        '<p class="form-text mt-0"><a href="{}">{}</a></p>',
                        reverse("reports:contacts"),
                        _("Bij wie kan ik terecht? De namen per school"),
                    )
                ),
            ),
            Fieldset(_("Bewijs"), "evidence"),
            Fieldset(
                _("Over u"),
                "reporter_role",
                "is_anonymous",
                # Without JavaScript the fields stay visible, so the note says what happens to them.
                Div(
                    HTML(
                        format_html(
                            '<p class="form-text mt-0" id="reporter-contact-note">{}</p>',
                            _("Meldt u anoniem? Dan wordt wat u hieronder invult niet verstuurd en niet bewaard."),
                        )
                    ),
                    "reporter_name",
                    "reporter_email",
                    "reporter_phone",
                    css_id="reporter-contact",
                    data_hidden_when_checked="id_is_anonymous",
                ),
            ),
            HTML('<div class="offscreen" aria-hidden="true">'),  # a honeypot: people never see it
            "website",
            HTML("</div>"),
            "submission_key",
            Submit("submit", _("Melding versturen"), css_class="btn-lg w-100"),
        )

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def clean_recipient(self):
        return self.cleaned_data.get("recipient") or Recipient.SCHOOL

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
        school, recipient = data.get("school"), data.get("recipient")
        if recipient and data.get("category"):
            recipient = case_recipient_for(category=data["category"], chosen=recipient)
        if school and recipient and not recipient_is_reachable(school_id=school.pk, recipient=recipient):
            self.add_error(
                "recipient",
                _(
                    "Bij %(school)s ontvangt op dit moment niemand meldingen als “%(recipient)s”. "
                    "Kies een andere ontvanger; op de pagina “Bij wie kan ik terecht?” staat hoe u "
                    "iemand rechtstreeks bereikt."
                )
                % {"school": school.name, "recipient": Recipient(recipient).label.lower()},
            )
        if data.get("is_anonymous"):
            # Nothing typed here goes with an anonymous report, so nothing typed here can stop it.
            for name in ANONYMOUS_DROPS:
                self._errors.pop(name, None)
                data[name] = ""
        else:
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
    """A message to the reporter; the handler says whether it is the feedback the reporter is owed."""

    body = forms.CharField(
        label=_("Bericht aan de melder"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        help_text=_("De melder leest dit met de ontvangstcode. Een anonieme melder blijft anoniem."),
    )
    # Not feedback unless the handler says so: a question must not stop the 3-month clock.
    kind = forms.ChoiceField(
        label=_("Soort bericht"),
        choices=[
            (MessageKind.MESSAGE.value, _("Een vraag of ander bericht")),
            (MessageKind.FEEDBACK.value, _("Terugkoppeling: wat er met uw melding is gedaan")),
        ],
        initial=MessageKind.MESSAGE.value,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Alleen een terugkoppeling telt als de terugkoppeling die de melder binnen 3 maanden krijgt; "
            "een vraag niet."
        ),
    )

    await_reply = forms.BooleanField(
        label=_("Ik wacht op antwoord: zet het dossier op “Wacht op de melder”"),
        help_text=_("Als de melder antwoordt, gaat het dossier vanzelf terug naar “Onderzoek”."),
        required=False,
    )

    def __init__(self, *args, case_state: str, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered where the case can wait (reports/lifecycle.py); a case waiting already keeps waiting.
        self.case_state = case_state
        if not may_transition(actor=HANDLER, from_state=case_state, to_state=CaseState.WAITING_FOR_REPORTER):
            del self.fields["await_reply"]

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or MessageKind.MESSAGE

    def clean(self):
        data = super().clean()
        # Ticked on a page opened before the case moved on (another tab, a colleague): say so, send nothing.
        waiting_already = self.case_state == CaseState.WAITING_FOR_REPORTER
        if self.data.get("await_reply") and "await_reply" not in self.fields and not waiting_already:
            self.add_error(
                None,
                _(
                    "Het dossier staat nu op “%(state)s” en kan niet meer op “Wacht op de melder”. Uw bericht is "
                    "nog niet verstuurd; verstuur het zonder dat vinkje."
                )
                % {"state": CaseState(self.case_state).label},
            )
        return data


class DeclareAboutSelfForm(forms.Form):
    """The confirmation step of "deze melding gaat over mij": the button posts ``confirm``."""

    confirm = forms.BooleanField(widget=forms.HiddenInput, error_messages={"required": _("Bevestig eerst.")})


# The case file ----------------------------------------------------------------------------------


class CaseTransitionForm(forms.Form):
    """Move the case on; the choices are the moves reports/lifecycle.py allows from its state."""

    to_state = forms.ChoiceField(label=_("Nieuwe status"))
    closing_reason = forms.ChoiceField(
        label=_("Reden van sluiten"), choices=[("", "—"), *ClosingReason.choices], required=False
    )
    reason = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5_000,
        help_text=_("Verplicht bij heropenen."),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_state"].choices = [(state, CaseState(state).label) for state in next_states(case.state)]
        self.case = case

    def clean(self):
        data = super().clean()
        if data.get("to_state") == CaseState.CLOSED and not data.get("closing_reason"):
            self.add_error("closing_reason", _("Kies een reden van sluiten."))
        if (self.case.state, data.get("to_state")) in NEEDS_REASON and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Geef een reden op."))
        return data


class TimelineEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=[(k.value, k.label) for k in HANDWRITTEN_KINDS])
    with_whom = forms.CharField(label=_("Met wie (bij een gesprek)"), required=False, max_length=300)
    summary = forms.CharField(label=_("Samenvatting"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000)

    def clean(self):
        data = super().clean()
        if data.get("kind") == TimelineKind.CONVERSATION and not (data.get("with_whom") or "").strip():
            self.add_error("with_whom", _("Vul in met wie het gesprek was."))
        return data


class CorrectionForm(forms.Form):
    summary = forms.CharField(label=_("Correctie"), widget=forms.Textarea(attrs={"rows": 2}), max_length=10_000)


class HandlerForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("Behandelaar"), queryset=None)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = candidates


class AccessWithdrawForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Schoolleider"), queryset=None)
    reason = forms.CharField(label=_("Reden (belangenverstrengeling)"), max_length=2_000)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates


class HandOnForm(forms.Form):
    """A vertrouwenspersoon hands a case that is theirs alone on to the school."""

    reason = forms.CharField(
        label=_("Waarom geeft u dit dossier door?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2_000
    )
    has_reporter_consent = forms.BooleanField(
        label=_("De melder stemt ermee in dat de school de melding krijgt"),
        help_text=_("Nodig als de melder zijn of haar naam heeft gegeven."),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        # Ids of its own: the case page has other forms with a "reason" field.
        kwargs.setdefault("auto_id", "id_hand_on_%s")
        super().__init__(*args, **kwargs)


class MergeForm(forms.Form):
    other = forms.CharField(
        label=_("Dossiernummer om hierin op te nemen"),
        max_length=20,
        help_text=_("Bijvoorbeeld 2026-00012. De meldingen van dat dossier komen in dit dossier."),
    )

    def clean_other(self):
        value = self.cleaned_data["other"].strip()
        pk = case_pk_from_number(value)
        if pk is None:
            raise ValidationError(_("Vul een dossiernummer in zoals 2026-00012."))
        return pk


class CaseFilterForm(forms.Form):
    """The filters of /cases/; every field optional, bad values are ignored with a message."""

    # Number and school only: what a report says is sealed (common/vault.py); the page says so.
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=200)
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none(), required=False)
    state = forms.ChoiceField(label=_("Status"), choices=[("", _("Alle")), *CaseState.choices], required=False)
    category = forms.ChoiceField(label=_("Categorie"), choices=[("", _("Alle")), *Category.choices], required=False)
    handler = forms.ChoiceField(label=_("Behandelaar"), required=False)
    overdue = forms.BooleanField(label=_("Alleen over tijd"), required=False)
    sort = forms.ChoiceField(label=_("Sorteren"), choices=CASE_SORTS, required=False)

    def __init__(self, *args, schools, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["school"].empty_label = _("Alle")
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"
            else:
                field.widget.attrs["class"] = "form-control"
        self.fields["handler"].choices = [
            ("", _("Iedereen")),
            ("me", _("Ikzelf")),
            ("none", _("Nog niemand")),
            *[(str(user.pk), str(user)) for user in handlers],
        ]

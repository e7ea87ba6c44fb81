from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Pupil, School, User, current_school_year

from .models import ConsentForm


def field_name(purpose: str, medium: str) -> str:
    return f"{purpose}__{medium}"


class ConsentAnswersForm(forms.Form):
    """One checkbox per purpose × medium of a form version. Never pre-ticked by default (opt-in)."""

    def __init__(self, *args, consent_form: ConsentForm, current: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_form = consent_form
        current = current or {}
        for purpose in consent_form.purposes:
            for medium in consent_form.media:
                name = field_name(purpose["code"], medium["code"])
                self.fields[name] = forms.BooleanField(
                    label=f"{purpose['label']}: {medium['label']}",
                    required=False,
                    initial=bool(current.get(purpose["code"], {}).get(medium["code"], False)),
                )

    # (purpose, medium) codes where the reader's own yes does not count (another guardian said no).
    overruled: set[tuple[str, str]] = frozenset()

    def rows(self):
        """Purposes with their bound checkboxes, for a grid in the template."""
        for purpose in self.consent_form.purposes:
            yield purpose, [self[field_name(purpose["code"], medium["code"])] for medium in self.consent_form.media]

    def cells(self):
        """Like rows(), each checkbox with whether the reader's saved yes there is overruled."""
        for purpose in self.consent_form.purposes:
            yield (
                purpose,
                [
                    (
                        self[field_name(purpose["code"], medium["code"])],
                        (purpose["code"], medium["code"]) in self.overruled,
                    )
                    for medium in self.consent_form.media
                ],
            )

    def answers(self) -> dict[str, dict[str, bool]]:
        return {
            p["code"]: {m["code"]: self.cleaned_data[field_name(p["code"], m["code"])] for m in self.consent_form.media}
            for p in self.consent_form.purposes
        }


class PupilInviteForm(forms.Form):
    """The pupil's own e-mail address, for a pupil of 16+ without a login (the school invites them)."""

    email = forms.EmailField(
        label=_("E-mailadres van de leerling zelf"),
        required=False,
        max_length=254,
        help_text=_("Niet het adres van een ouder: de leerling beslist zelf."),
        error_messages={"invalid": _("Vul een geldig e-mailadres in, zoals naam@example.nl.")},
    )


class CampaignStartForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none(), empty_label=None)
    school_year = forms.RegexField(
        label=_("Schooljaar"),
        regex=r"^\d{4}-\d{4}$",
        initial=current_school_year,
        error_messages={"invalid": _("Vul het schooljaar in als 2026-2027.")},
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools

    def clean_school_year(self) -> str:
        year = self.cleaned_data["school_year"]
        start, end = (int(part) for part in year.split("-"))
        if end != start + 1:
            raise forms.ValidationError(_("Een schooljaar loopt over twee opeenvolgende jaren, zoals 2026-2027."))
        return year


class PersonChoiceField(forms.ModelMultipleChoiceField):
    """Checkboxes of people; an id no database can hold is refused before it reaches the query."""

    def _check_values(self, value):
        for pk in value or ():
            text = str(pk)
            if not text.isascii() or not text.isdigit() or int(text) > 2**63 - 1:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class PeopleCheckboxes(forms.CheckboxSelectMultiple):
    """A list of people to tick, as Bootstrap's form-check rows, with a line when there is nobody.

    One template for the whole list: Django's own renders four nested templates per option, which
    for a group of a thousand pupils cost more than the photo check itself.
    """

    template_name = "consent/widgets/people_checkboxes.html"

    def __init__(self, *, empty_text: str = "", **kwargs):
        super().__init__(attrs={"class": "form-check-input"}, **kwargs)
        self.empty_text = empty_text

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["empty_text"] = self.empty_text
        return context


class PhotoCheckForm(forms.Form):
    """Who is in the picture, and where would it go?"""

    pupils = PersonChoiceField(
        label=_("Welke leerlingen staan erop?"),
        queryset=Pupil.objects.none(),
        widget=PeopleCheckboxes(empty_text=_("Geen leerlingen in deze groep.")),
        required=False,
    )
    staff = PersonChoiceField(
        label=_("Welke medewerkers staan erop?"),
        queryset=User.objects.none(),
        widget=PeopleCheckboxes(),
        required=False,
    )
    purpose = forms.ChoiceField(label=_("Waar komt het?"))
    medium = forms.ChoiceField(label=_("Wat is het?"))
    description = forms.CharField(
        label=_("Korte omschrijving (voor het publicatieoverzicht)"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: sportdag groep 5, foto op Instagram."),
    )

    def __init__(self, *args, group, consent_form: ConsentForm, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupils"].queryset = group.pupils.order_by("last_name", "first_name")
        self.fields["pupils"].label_from_instance = lambda pupil: pupil.full_name
        from .selectors import staff_of_school

        self.fields["staff"].queryset = staff_of_school(school=group.school)
        self.fields["purpose"].choices = [(p["code"], p["label"]) for p in consent_form.purposes]
        self.fields["medium"].choices = [(m["code"], m["label"]) for m in consent_form.media]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("pupils") and not cleaned.get("staff"):
            raise forms.ValidationError(_("Kies wie er op de foto, film of opname staan."))
        return cleaned


class PaperConsentForm(ConsentAnswersForm):
    """A signed paper form typed over by staff, with its scan (the proof of what was signed)."""

    signed_by = forms.TypedChoiceField(label=_("Ondertekend door"), coerce=int)
    signed_on = forms.DateField(
        label=_("Datum op het formulier"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"invalid": _("Vul een datum in, zoals 25-11-2026.")},
    )
    scan = forms.FileField(
        label=_("Scan van het ondertekende formulier"),
        help_text=_("Pdf, jpg of png, hoogstens 10 MB."),
        error_messages={"required": _("Voeg de scan van het ondertekende formulier toe.")},
    )

    def __init__(self, *args, signers: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_by"].choices = [("", _("Kies wie tekende")), *signers]
        # The signer and date first, the scan last: the order of the paper.
        order = ["signed_by", "signed_on"] + [n for n in self.fields if n not in {"signed_by", "signed_on", "scan"}]
        self.order_fields([*order, "scan"])

    def clean_scan(self):
        from .scans import scan_check

        upload = self.cleaned_data["scan"]
        scan_check(upload)  # raises a Dutch ValidationError for what is no scan
        return upload

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RetentionRuleForm(forms.Form):
    """One kind's term, in days, prefixed with the kind's key (one form per kind on the page). The
    legal minimum is the service's check (retention_rule_set)."""

    days = forms.IntegerField(
        label=_("Bewaartermijn in dagen"),
        min_value=0,
        max_value=36500,
        error_messages={
            "required": _("Vul een aantal dagen in."),
            "invalid": _("Vul een heel aantal dagen in, bijvoorbeeld 730."),
            "min_value": _("Een bewaartermijn kan niet negatief zijn."),
            "max_value": _("Een bewaartermijn van meer dan honderd jaar is niet nodig."),
        },
    )

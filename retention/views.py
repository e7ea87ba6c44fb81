"""The board's page of retention terms: the rules with their legal source, the deletion log and
what goes next month. Nothing of a record's content is shown: kinds, terms, counts and dates."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.access import private_view
from common.refusals import refusal_on_form

from . import access, services
from .forms import RetentionRuleForm
from .registry import record_kinds


@private_view
@require_http_methods(["GET", "POST"])
def retention_rules(request):
    if not access.may_set_retention(request.user):
        raise Http404
    refused: RetentionRuleForm | None = None
    refused_key = ""
    if request.method == "POST":
        refused_key = request.POST.get("kind", "")
        if record_kinds.get(refused_key) is None:
            raise Http404
        form = RetentionRuleForm(request.POST, prefix=refused_key)
        if form.is_valid():
            with refusal_on_form(form, field="days"):
                services.retention_rule_set(user=request.user, key=refused_key, days=form.cleaned_data["days"])
                messages.success(request, _("De bewaartermijn is vastgesteld."))
                return redirect("retention:rules")
        refused = form
    rows = services.retention_overview()
    for row in rows:
        key = row["kind"].key
        if refused is not None and key == refused_key:
            row["form"] = refused
        else:
            row["form"] = RetentionRuleForm(prefix=key, initial={"days": row["days"]})
    context = {
        "rows": rows,
        "log": services.deletion_log(),
        "forecast_days": services.FORECAST_DAYS,
        "refused": refused,
    }
    return render(request, "retention/rules.html", context, status=400 if refused is not None else 200)

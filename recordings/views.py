"""Thin views: a teacher's or leader's groups, a group's recording permissions, a case pointing to one."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from common.access import private_view
from common.refusals import refusal_as_message, refusal_on_form
from reports.selectors import case_for

from . import access, selectors, services
from .forms import RecordingPermissionForm, WithdrawalForm
from .models import RecordingPermission


@private_view
@never_cache
def group_list(request):
    if not access.may_use_recordings(user=request.user):
        raise Http404
    return render(request, "recordings/group_list.html", {"groups": selectors.group_list_for(user=request.user)})


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def group_detail(request, pk: int):
    group = selectors.group_for(user=request.user, pk=pk)
    if group is None:
        raise Http404
    form = RecordingPermissionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with refusal_on_form(form):
                services.recording_permission_record(by=request.user, group=group, **form.cleaned_data)
                messages.success(request, _("De toestemming is vastgelegd."))
                return redirect("recordings:group_detail", pk=group.pk)
    permissions = selectors.permissions_of_group(group=group)
    withdrawable = access.withdrawable_ids(
        user=request.user, group=group, permissions=permissions["in_force"] + permissions["coming"]
    )
    context = {"group": group, "form": form, "withdrawable_ids": withdrawable, **permissions}
    return render(request, "recordings/group_detail.html", context, status=status)


@private_view
@never_cache
@require_http_methods(["GET", "POST"])
def permission_withdraw(request, pk: int):
    """Withdraw a permission early, with a reason: who gave it, or the school's leadership."""
    permission = selectors.permission_for(user=request.user, pk=pk)
    if permission is None or not access.may_withdraw_permission(user=request.user, permission=permission):
        raise Http404
    form = WithdrawalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with refusal_on_form(form, field="reason"):
                services.recording_permission_withdraw(
                    permission=permission, by=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("De toestemming is ingetrokken."))
                return redirect("recordings:group_detail", pk=permission.group_id)
    return render(
        request, "recordings/permission_withdraw.html", {"permission": permission, "form": form}, status=status
    )


@private_view
@require_POST
def case_link(request, case_pk: int):
    case = case_for(user=request.user, pk=case_pk)  # 404: whether the case exists is not revealed
    chosen = request.POST.get("permission", "")
    if not chosen.isdigit():
        return HttpResponseBadRequest(_("Kies een toestemming."))
    permission = get_object_or_404(RecordingPermission.objects.select_related("group"), pk=int(chosen))
    with refusal_as_message(request):
        services.recording_permission_link(case=case, permission=permission, by=request.user)
        messages.success(request, _("De toestemming is aan het dossier gekoppeld."))
    return redirect("reports:case_detail", pk=case.pk)

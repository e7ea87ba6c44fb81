"""Pages of the complaints track: filing, one's own complaints, the handlers' list and a complaint's page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.access import private_view
from common.refusals import refusal_on_form

from . import selectors, services
from .constants import COMPLAINT_TERM_DAYS, INFORMAL_STEPS, Step
from .forms import AdviceForm, ComplaintForm, DecisionForm, StepForm


@private_view
def mine(request):
    """One's own complaints, and the way to file one."""
    complaints = selectors.complaint_list_for_complainant(user=request.user)
    context = {"complaints": complaints, "may_handle": selectors.may_handle_complaints(request.user)}
    return render(request, "complaints/mine.html", context)


@private_view
@require_http_methods(["GET", "POST"])
def new(request):
    form = ComplaintForm(request.POST or None)
    status = 200
    late = False
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            late = services.is_after_the_term(data["event_on"])
            if late and not data["accept_late"]:
                # A warning, not a refusal: the complaint is taken in once the complainant confirms.
                form.add_error(
                    "accept_late",
                    _(
                        "Dit is meer dan een jaar geleden. Een klacht wordt in de regel binnen een jaar ingediend; "
                        "de klachtencommissie kan haar daarom niet-ontvankelijk verklaren. Vink het vakje aan om "
                        "haar toch in te dienen."
                    ),
                )
            else:
                with refusal_on_form(form):
                    complaint = services.complaint_file(
                        complainant=request.user,
                        school=data["school"],
                        subject=data["subject"],
                        description=data["description"],
                        event_on=data["event_on"],
                        is_about_leadership=data["is_about_leadership"],
                    )
                    messages.success(request, _("Uw klacht is ingediend."))
                    return redirect("complaints:detail", pk=complaint.pk)
        status = 400
    context = {"form": form, "late": late, "term_days": COMPLAINT_TERM_DAYS}
    return render(request, "complaints/new.html", context, status=status)


@private_view
def handle(request):
    if not selectors.may_handle_complaints(request.user):
        raise Http404
    complaints = selectors.complaint_list_for_handler(user=request.user)
    return render(request, "complaints/handle.html", {"complaints": complaints})


ACTIONS = {"step": StepForm, "advice": AdviceForm, "decide": DecisionForm}


@private_view
@require_http_methods(["GET", "POST"])
def detail(request, pk: int):
    """The complainant reads the steps and the decision; the handlers take the steps."""
    complaint = get_object_or_404(
        selectors.complaints_visible_to(request.user).select_related("school", "complainant"), pk=pk
    )
    handles = selectors.may_handle(request.user, complaint)
    decides = handles and selectors.may_decide(request.user)
    forms = {
        "step": StepForm(prefix="step", current=complaint.step),
        "advice": AdviceForm(prefix="advice"),
        "decide": DecisionForm(prefix="decide"),
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if not handles or action not in ACTIONS:
            raise Http404
        kwargs = {"current": complaint.step} if action == "step" else {}
        form = forms[action] = ACTIONS[action](request.POST, prefix=action, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            with refusal_on_form(form):
                if action == "step":
                    services.complaint_step(
                        complaint=complaint, by=request.user, to_step=data["to_step"], note=data["note"], on=data["on"]
                    )
                elif action == "advice":
                    services.complaint_record_advice(complaint=complaint, by=request.user, advice_on=data["advice_on"])
                else:
                    services.complaint_decide(
                        complaint=complaint, by=request.user, decided_on=data["decided_on"], decision=data["decision"]
                    )
                messages.success(request, _("Vastgelegd."))
                return redirect("complaints:detail", pk=complaint.pk)
        status = 400
    context = {
        "complaint": complaint,
        "history": selectors.complaint_history(complaint=complaint),
        "handles": handles,
        "may_step": handles and complaint.step in INFORMAL_STEPS,
        "may_advise": decides and complaint.step == Step.COMMITTEE,
        "may_decide": decides and complaint.step == Step.ADVISED,
        "forms": forms,
    }
    return render(request, "complaints/detail.html", context, status=status)

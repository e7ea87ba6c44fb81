from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from common.access import private_view

from . import selectors, services


@private_view
def inbox(request):
    page = Paginator(selectors.inbox_for(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@private_view
@require_POST
def open_notification(request, pk: int):
    notification = get_object_or_404(selectors.inbox_for(user=request.user), pk=pk)
    services.notification_mark_read(notification=notification)
    return redirect(notification.link or "notifications:inbox")


@private_view
@require_POST
def mark_all_read(request):
    services.inbox_mark_all_read(user=request.user)
    return redirect("notifications:inbox")

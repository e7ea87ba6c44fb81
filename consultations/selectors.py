"""Reads of questions to one's leader, scoped to the asking user (consultations/access.py)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from accounts.models import User

from .access import consultations_visible_to
from .models import Consultation

__all__ = ["consultation_for", "consultation_list_for", "consultations_visible_to"]


def consultation_for(*, user: User, pk: int) -> Consultation | None:
    """The thread when ``user`` is its asker or their leader, else None (the view answers 404)."""
    return (
        consultations_visible_to(user=user)
        .select_related("asker", "school", "case", "converted_by")
        .filter(pk=pk)
        .first()
    )


def consultation_list_for(*, user: User) -> dict[str, QuerySet[Consultation]]:
    """``mine``: the questions ``user`` asked; ``for_me``: those for ``user`` as leader; each with ``message_count``."""
    visible = (
        consultations_visible_to(user=user).select_related("asker", "school").annotate(message_count=Count("messages"))
    )
    return {"mine": visible.filter(asker=user), "for_me": visible.exclude(asker=user)}

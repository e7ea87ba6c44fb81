"""Who may see and set the retention terms: the board, which answers for them (AVG art. 5(2), 24)."""

from __future__ import annotations

from accounts.models import User


def may_set_retention(user: User) -> bool:
    """The board alone sees the terms, sets them, and reads the deletion log and the forecast."""
    return user.is_authenticated and user.is_board_member

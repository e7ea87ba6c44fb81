"""The triage of a case file: one table of allowed transitions and who may make them.

``new → acknowledged → investigating (⇄ waiting for the reporter) → measures decided → closed``,
and a closed case may be reopened with a reason. A handler who asks the reporter something puts
the case on "waiting for the reporter" in the same step, from new, acknowledged or investigating
(services.report_message_to_reporter); the reporter's answer puts it back under investigation.
``reports.services.case_transition`` is the one place that changes a case's state; it checks this
table, locks the row and writes the timeline.
Who may see and handle a case at all is reports/access.py.
"""

from __future__ import annotations

from .constants import CaseState

S = CaseState

HANDLER = "handler"  # a school leader or board member who may see the case
SYSTEM = "system"  # the portal itself: the first opening of the case file, the reporter's answer
# A measure about someone took effect (sanctions, through services.case_measure_in_effect): from
# any open state the case then has measures decided. A closed case is not moved: reopen it first.
MEASURE = "measure"

# (from, to) -> who may make the move. Change the table, and the service and its tests follow.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.NEW, S.ACKNOWLEDGED): frozenset({HANDLER, SYSTEM}),
    (S.ACKNOWLEDGED, S.INVESTIGATING): frozenset({HANDLER}),
    # A question to the reporter, from whichever open state the handler asks it in.
    (S.NEW, S.WAITING_FOR_REPORTER): frozenset({HANDLER}),
    (S.ACKNOWLEDGED, S.WAITING_FOR_REPORTER): frozenset({HANDLER}),
    (S.INVESTIGATING, S.WAITING_FOR_REPORTER): frozenset({HANDLER}),
    # The handler goes on without an answer, or the reporter answered (the portal moves it back).
    (S.WAITING_FOR_REPORTER, S.INVESTIGATING): frozenset({HANDLER, SYSTEM}),
    (S.NEW, S.MEASURES_DECIDED): frozenset({MEASURE}),
    (S.ACKNOWLEDGED, S.MEASURES_DECIDED): frozenset({MEASURE}),
    (S.INVESTIGATING, S.MEASURES_DECIDED): frozenset({HANDLER, MEASURE}),
    (S.WAITING_FOR_REPORTER, S.MEASURES_DECIDED): frozenset({HANDLER, MEASURE}),
    (S.ACKNOWLEDGED, S.CLOSED): frozenset({HANDLER}),
    (S.INVESTIGATING, S.CLOSED): frozenset({HANDLER}),
    (S.WAITING_FOR_REPORTER, S.CLOSED): frozenset({HANDLER}),
    (S.MEASURES_DECIDED, S.CLOSED): frozenset({HANDLER}),
    # Reopening: back to the investigation, always with a reason.
    (S.CLOSED, S.INVESTIGATING): frozenset({HANDLER}),
}

# Moves that need a written reason (closing also needs a closing reason).
NEEDS_REASON = frozenset({(S.CLOSED, S.INVESTIGATING)})


def may_transition(*, actor: str, from_state: str, to_state: str) -> bool:
    return actor in TRANSITIONS.get((from_state, to_state), frozenset())


def next_states(from_state: str) -> list[str]:
    """The states a handler can move a case to from ``from_state``, in the order of CaseState."""
    return [state for state in CaseState if may_transition(actor=HANDLER, from_state=from_state, to_state=state)]

"""reports owns reports and case files: every write a user (or beat) can cause, one module per part.

- ``receipts``: receipt codes (only a keyed hash is stored), the sealed hand-over to the thank-you page.
- ``intake``: a report and its evidence, the case it opens, who is told; the reporter–handler thread.
- ``case_file``: the timeline, the one state transition, opening, whom a case is about, handler,
  access, merge, legal hold.
- ``deadlines``: reminders and alerts before and after the acknowledge and feedback deadlines.
- ``retention``: closed cases anonymised after the retention period.

Contract for apps that build on reports (sanctions); see also docs/architecture.md:

- ``case_timeline_add(case=, kind=, author=, summary=, data=)`` appends to a case's timeline
  (kinds: ``reports.constants.TimelineKind``, e.g. MEASURE, ESCALATION). Nothing is ever edited.
- ``case_transition(case=, to_state=, by=, reason=)`` is the only way a case changes state; it
  raises ``common.refusals.ActionRefused`` with a Dutch message. Closing asks every close check
  registered in ``reports.extensions.case_extensions``; a returned message refuses it.
- ``case_measure_in_effect(case=, by=)``: a measure took effect, the case has "maatregelen besloten".
- ``case_person_record(case=, by=, subject_kind=, ...)``: whom a case is about (``CasePerson``).
- ``reports.selectors.case_for(user=, pk=)`` returns a case the user may see, or raises Http404.
- Who may see, handle and be told of a case: ``reports/access.py``. Every refusal ("you may not",
  "not now") is ``ActionRefused``; a ValidationError means a typed value is missing or wrong.
"""

from .case_file import (
    case_access_restore,
    case_access_withdraw,
    case_declare_about_self,
    case_entry_add,
    case_entry_correct,
    case_hand_on,
    case_handler_assign,
    case_legal_hold_set,
    case_link,
    case_measure_in_effect,
    case_merge,
    case_open,
    case_person_record,
    case_timeline_add,
    case_transition,
    case_view_record,
)
from .deadlines import case_deadlines_check
from .intake import report_message_to_reporter, report_reply_by_reporter, report_submit
from .receipts import (
    DuplicateSubmission,
    receipt_code_digest,
    receipt_code_new,
    receipt_code_normalise,
    receipt_handover_purge,
    receipt_handover_take,
    report_exists_for,
    report_for_code,
    submission_digest,
)
from .retention import case_anonymise, case_retention_purge

__all__ = [
    "DuplicateSubmission",
    "case_access_restore",
    "case_access_withdraw",
    "case_anonymise",
    "case_deadlines_check",
    "case_declare_about_self",
    "case_entry_add",
    "case_entry_correct",
    "case_hand_on",
    "case_handler_assign",
    "case_legal_hold_set",
    "case_link",
    "case_measure_in_effect",
    "case_merge",
    "case_open",
    "case_person_record",
    "case_retention_purge",
    "case_timeline_add",
    "case_transition",
    "case_view_record",
    "receipt_code_digest",
    "receipt_code_new",
    "receipt_code_normalise",
    "receipt_handover_purge",
    "receipt_handover_take",
    "report_exists_for",
    "report_for_code",
    "report_message_to_reporter",
    "report_reply_by_reporter",
    "report_submit",
    "submission_digest",
]

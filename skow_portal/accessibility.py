"""The accessibility statement's reporting line: a barrier someone meets reaches the functional admin.

Modelled on the statement of digitoegankelijk.nl, which asks for a way to report a barrier and an
answer within a stated time. A report is mail (and an inbox message) to every functional admin
through the notification queue; nothing is kept beyond the outbox, whose e-mail rows lose their
content once sent. Past a free allowance per address the sender first passes the same check as the
reporting channel (accounts.throttle), so the form cannot be used to flood the admins' mailboxes.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping

from django.core.cache import cache
from django.db import transaction

from accounts.selectors import functional_admins
from accounts.throttle import Challenge, busy_admit, busy_challenge
from notifications.services import notification_send

SCOPE = "accessibility-report"
FREE_PER_HOUR = 5  # a person reports one barrier, maybe a few; more from one address is a flood
ANSWER_WITHIN_DAYS = 5  # working days, as promised on the statement
# The day the statement was last drawn up; change it with the statement (the model asks for the date).
STATEMENT_DATE = datetime.date(2026, 11, 29)
REPEAT_SECONDS = 10 * 60  # the same report again within this time (a double click, a reload) is sent once


def accessibility_report_challenge(address: str) -> Challenge | None:
    return busy_challenge(scope=SCOPE, client=address, free=FREE_PER_HOUR)


def accessibility_report_admit(address: str, data: Mapping[str, str]) -> bool:
    return busy_admit(scope=SCOPE, client=address, free=FREE_PER_HOUR, data=data)


@transaction.atomic
def accessibility_problem_report(*, page: str, problem: str, assistive_technology: str, name: str, email: str) -> int:
    """Tell every functional admin about a barrier; returns how many were told (0: nobody to tell).

    The same report sent twice in a short time (a double click, two tabs) is mailed once. The
    sender's name and address are only in the e-mail, for the answer; the inbox message says only
    that there is a report and links to the statement the admin keeps up to date.
    """
    context = {
        "page": page,
        "problem": problem,
        "assistive_technology": assistive_technology,
        "name": name,
        "email": email,
        "answer_within_days": ANSWER_WITHIN_DAYS,
    }
    admins = list(functional_admins())
    if not admins:
        return 0
    digest = hashlib.sha256("\x00".join((page, problem, email)).encode()).hexdigest()
    if not cache.add(f"{SCOPE}:{digest}", True, timeout=REPEAT_SECONDS):
        return len(admins)  # sent a moment ago: the admins have it once
    for admin in admins:
        notification_send(
            template="accessibility/email/problem_reported",
            context=context,
            recipient=admin,
            link="/accessibility/",
        )
    return len(admins)

"""Rate limits that hold without Redis, and a check that slows a flooder instead of closing a door.

Counting: one row per (what, keyed hash of the client, hour) in the database, raised by one atomic
statement that returns the new count, so two requests at once can never both slip under a limit
and several web workers count together. No address is stored, only an HMAC under the secret key,
and only the hour, not the moment (SECURITY.md: nothing joins a row to a log line or a report).

A busy client is not refused: it is asked to pass a *challenge* first. In a browser with
JavaScript the page solves a small proof of work by itself (static/js/challenge-worker.js: find a nonce so
that SHA-256 of the challenge and the nonce starts with ``bits`` zero bits), which costs a person a
second or two once and a flooder that much for every request. Without JavaScript the same form asks
a simple question in words instead; those answers are counted too, so that route cannot be flooded.
A challenge is signed, expires, and is spent on use.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .models import SpentChallenge, ThrottleCount

WINDOW = timedelta(hours=1)
CHALLENGE_SALT = "accounts.throttle.challenge"
CHALLENGE_MAX_AGE = timedelta(hours=2)
# Step-up answers accepted per client and hour (the route without JavaScript), per scope.
STEP_UP_SUFFIX = ":step-up"


def client_digest(value: str) -> str:
    """A keyed hash of an address (or any client key): equal for equal input, useless without the key."""
    return salted_hmac("accounts.throttle.client", value, secret=settings.SECRET_KEY).hexdigest()[:32]


def _window_start(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0)


def window_end(now: datetime | None = None) -> datetime:
    """When the current counting window ends: a client over a limit may try again from then."""
    return _window_start(now or timezone.now()) + WINDOW


def throttle_hit(*, scope: str, client: str, now: datetime | None = None) -> int:
    """Count one more for ``client`` in this hour and return the new count, atomically.

    One INSERT … ON CONFLICT DO UPDATE … RETURNING (PostgreSQL, SQLite ≥ 3.35): concurrent callers
    each get a different count, so a limit of N lets exactly N through.
    """
    window_start = _window_start(now or timezone.now())
    table = connection.ops.quote_name(ThrottleCount._meta.db_table)
    sql = (
        f"INSERT INTO {table} (scope, client_digest, window_start, hits) VALUES (%s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT (scope, client_digest, window_start) DO UPDATE SET hits = {table}.hits + 1 "
        "RETURNING hits"
    )
    params = [scope, client_digest(client), connection.ops.adapt_datetimefield_value(window_start), 1]
    with connection.cursor() as cursor:  # one statement: atomic on its own
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def throttle_undo(*, scope: str, client: str, now: datetime | None = None) -> None:
    """Take back one count of this hour (what was counted turned out not to count, e.g. a right code)."""
    window_start = _window_start(now or timezone.now())
    ThrottleCount.objects.filter(
        scope=scope, client_digest=client_digest(client), window_start=window_start, hits__gt=0
    ).update(hits=F("hits") - 1)


def throttle_count(*, scope: str, client: str, now: datetime | None = None) -> int:
    """How many ``client`` has this hour (0 when none)."""
    window_start = _window_start(now or timezone.now())
    row = (
        ThrottleCount.objects.filter(scope=scope, client_digest=client_digest(client), window_start=window_start)
        .values_list("hits", flat=True)
        .first()
    )
    return row or 0


def throttle_purge(*, now: datetime | None = None) -> int:
    """Delete counts and spent challenges that can no longer matter; returns how many rows went."""
    now = now or timezone.now()
    counts = ThrottleCount.objects.filter(window_start__lt=_window_start(now) - WINDOW).delete()[0]
    spent = SpentChallenge.objects.filter(expires_at__lt=now).delete()[0]
    return counts + spent


# Challenges -----------------------------------------------------------------------------------------

# The step-up question's numbers, in words (so a question is not a bare sum for a script to read).
NUMBER_WORDS = [
    gettext_noop("nul"), gettext_noop("een"), gettext_noop("twee"), gettext_noop("drie"), gettext_noop("vier"),
    gettext_noop("vijf"), gettext_noop("zes"), gettext_noop("zeven"), gettext_noop("acht"), gettext_noop("negen"),
    gettext_noop("tien"),
]  # fmt: skip


@dataclass(frozen=True)
class Challenge:
    """What a busy client must pass: a signed token, its proof-of-work difficulty and a question."""

    token: str
    bits: int
    question: str


def challenge_bits(*, busy_by: int) -> int:
    """The proof-of-work difficulty for a client ``busy_by`` requests over its free allowance."""
    low, high = settings.CHALLENGE_BITS_MIN, min(settings.CHALLENGE_BITS_MAX, 32)
    return min(high, low + max(0, busy_by) // 5)


def challenge_new(*, scope: str, bits: int) -> Challenge:
    a, b = secrets.randbelow(9) + 2, secrets.randbelow(9) + 2
    payload = {"s": scope, "n": secrets.token_hex(16), "b": bits, "a": a, "c": b}
    token = signing.dumps(payload, salt=CHALLENGE_SALT, compress=False)
    question = _("Hoeveel is %(a)s plus %(b)s? (in cijfers)") % {"a": _(NUMBER_WORDS[a]), "b": _(NUMBER_WORDS[b])}
    return Challenge(token=token, bits=bits, question=question)


def _leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def _proof_of_work_digest(token: str, nonce: str) -> bytes:
    # SHA-256 of (the first 32 hex digits of SHA-256 of the token) ":" nonce: one 64-byte block per
    # try, so the browser's work (static/js/challenge-worker.js) is the same hash the server checks.
    prefix = hashlib.sha256(token.encode()).hexdigest()[:32]
    return hashlib.sha256(f"{prefix}:{nonce}".encode()).digest()


def proof_of_work_solve(token: str, bits: int) -> str:
    """The nonce a browser would find (for the tests; the browser does this in JavaScript)."""
    prefix = hashlib.sha256(token.encode()).hexdigest()[:32]
    counter = 0
    while True:
        nonce = format(counter, "x")
        if _leading_zero_bits(hashlib.sha256(f"{prefix}:{nonce}".encode()).digest()) >= bits:
            return nonce
        counter += 1


def spent_check_record(*, key: str, valid_for: timedelta) -> bool:
    """Mark a single-use check (a challenge, an unlock link) used; False when it was used before.

    Only a hash of ``key`` is kept, until the check would have expired anyway.
    """
    digest = hashlib.sha256(key.encode()).hexdigest()
    try:
        with transaction.atomic():
            SpentChallenge.objects.create(digest=digest, expires_at=timezone.now() + valid_for)
    except IntegrityError:
        return False
    return True


def spent_check_exists(*, key: str) -> bool:
    return SpentChallenge.objects.filter(digest=hashlib.sha256(key.encode()).hexdigest()).exists()


def _spend(nonce: str) -> bool:
    """Mark a challenge used; False when it was used before (a replay, or the same form twice at once)."""
    return spent_check_record(key=f"challenge:{nonce}", valid_for=CHALLENGE_MAX_AGE)


def challenge_passed(*, scope: str, client: str, token: str, solution: str, answer: str, min_bits: int) -> bool:
    """True once for a valid, unexpired, unspent challenge of ``scope`` that was passed.

    Passed means a proof of work of at least ``min_bits`` (and of its own difficulty), or the right
    answer to its question while this client has step-up answers left this hour.
    """
    try:
        payload = signing.loads(token, salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE)
    except signing.BadSignature:
        return False
    if not isinstance(payload, dict) or payload.get("s") != scope:
        return False
    # Spent before it is judged: one try per challenge, also for two requests at the same moment.
    if not _spend(str(payload.get("n", ""))):
        return False
    solution = (solution or "").strip()[:16]
    answer = (answer or "").strip()[:8]
    if solution:
        bits = int(payload.get("b", 0))
        digest = _proof_of_work_digest(token, solution)
        return bits >= min_bits and _leading_zero_bits(digest) >= bits
    if answer:
        if throttle_hit(scope=scope + STEP_UP_SUFFIX, client=client) > settings.CHALLENGE_STEP_UPS_PER_HOUR:
            return False
        return constant_time_compare(answer, str(int(payload.get("a", 0)) + int(payload.get("c", 0))))
    return False


# The pattern every limited form uses ----------------------------------------------------------------


def busy_challenge(*, scope: str, client: str, free: int) -> Challenge | None:
    """The check a request of ``scope`` from ``client`` must pass now, or None while it is quiet."""
    over = throttle_count(scope=scope, client=client) - free
    return challenge_new(scope=scope, bits=challenge_bits(busy_by=over)) if over >= 0 else None


def busy_admit(*, scope: str, client: str, free: int, data: Mapping[str, str]) -> bool:
    """Count one request; True when it may go on (within ``free`` this hour, or its check passed).

    ``data`` is the submitted form (the fields of accounts/_challenge.html).
    """
    count = throttle_hit(scope=scope, client=client)
    if count <= free:
        return True
    # A check fetched while the client was quieter is worth a little less now (not nothing).
    min_bits = max(settings.CHALLENGE_BITS_MIN, challenge_bits(busy_by=count - free - 1) - 1)
    return challenge_passed(
        scope=scope,
        client=client,
        token=data.get("challenge_token", ""),
        solution=data.get("challenge_solution", ""),
        answer=data.get("challenge_answer", ""),
        min_bits=min_bits,
    )

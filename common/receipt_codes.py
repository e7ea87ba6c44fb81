"""Receipt codes: a high-entropy code to follow a report without an account, stored only as a keyed hash.

Generic: the reporting channel (``reports``) and the staff channel for misstanden (``integrity``)
both hand a code to a reporter who may stay anonymous, and look the report up by its digest.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

# Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper is not misread.
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_CODE_LENGTH = 20  # 100 bits
READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def receipt_code_new() -> str:
    """A fresh receipt code, grouped by four for reading aloud: ``7K3M-...``."""
    raw = "".join(secrets.choice(CROCKFORD) for _ in range(RECEIPT_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECEIPT_CODE_LENGTH, 4))


def receipt_code_normalise(code: str) -> str:
    return "".join(ch for ch in code.upper().translate(READ_AS) if ch in CROCKFORD)


def receipt_code_is_well_formed(code: str) -> bool:
    """Whether ``code``, read leniently, has the length of a receipt code (worth a lookup)."""
    return len(receipt_code_normalise(code)) == RECEIPT_CODE_LENGTH


def receipt_code_digest(code: str, *, purpose: str = "") -> str:
    """The keyed hash stored instead of the code; the same code typed in any grouping matches.

    ``purpose`` separates channels: a code of one channel never finds a report of another.
    The reporting channel keeps the empty purpose, so its stored digests stay valid.
    """
    key = settings.RECEIPT_CODE_KEY.encode()
    message = (f"{purpose}:" if purpose else "") + receipt_code_normalise(code)
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()

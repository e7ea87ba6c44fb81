"""The model text a document starts from when it has no adopted version yet (policy/seed/).

The protocol has its version 1 (policy/version_1.py); the regeling of the staff channel for
misstanden starts as a draft of this model text, which the board edits, the (G)MR consents to and
the board adopts like any version. Nothing here is adopted or in force by itself.
"""

from __future__ import annotations

from pathlib import Path

from .constants import Document

SEED = Path(__file__).resolve().parent / "seed"
FIRST_DRAFT_FILES = {Document.WHISTLEBLOWING: "whistleblowing_first_draft.md"}


def first_draft_text(document: str) -> str:
    name = FIRST_DRAFT_FILES.get(document)
    return (SEED / name).read_text(encoding="utf-8") if name else ""

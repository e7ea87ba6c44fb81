"""Protocol A.5 is the article consent is asked under: when the board adopts a version whose A.5
reads differently, consent offers every school a new round that asks the families again.

``policy`` and ``consent`` do not know each other; the project package, which knows both, connects
them through policy's adoption registry (policy/extensions.py) in ``PortalConfig.ready()``.
"""

from __future__ import annotations

from consent.constants import TextChangeKind
from consent.services import consent_text_change_record
from policy.articles import parse, plain_text
from policy.models import ProtocolVersion

CONSENT_ARTICLE = "A.5"


def consent_article_of(version: ProtocolVersion) -> str:
    """The text of A.5 in ``version`` as a reader sees it (Markdown removed); "" when it has none."""
    for section in parse(version.body):
        for article in section.articles:
            if article.label == CONSENT_ARTICLE:
                return plain_text(article.markdown).strip()
    return ""


def _same(first: str, second: str) -> bool:
    """Equal but for line wraps and spacing, which change nothing a parent reads."""
    return " ".join(first.split()) == " ".join(second.split())


def version_reference(version: ProtocolVersion) -> str:
    return f"{version.title}, versie {version.number}, artikel {CONSENT_ARTICLE}"


def consent_round_after_adoption(*, version: ProtocolVersion, previous: ProtocolVersion | None) -> None:
    """A newly adopted version changed A.5: record it, so every school is offered a new round."""
    if previous is None:
        return
    new, old = consent_article_of(version), consent_article_of(previous)
    if _same(new, old):
        return
    consent_text_change_record(
        kind=TextChangeKind.PROTOCOL_ARTICLE,
        reference=version_reference(version),
        text=new,
        previous_reference=version_reference(previous),
        previous_text=old,
    )

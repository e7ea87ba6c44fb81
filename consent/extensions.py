"""What other apps add to consent's group pages, registered here from their ``AppConfig.ready()``.

``consent`` never imports the apps built on it (.importlinter); it asks this registry instead.
Recordings registers a link from a group's consent overview to the group's recording permissions
(protocol A.1, A.7: what may be recorded in class sits beside who may not be on a picture).

- ``GroupLink``: a link on the group overview (``consent:group_overview``); ``url(user, group)``
  returns the address, or None when this user may not follow it (then the link is not shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from accounts.models import Group, User


class GroupLinkUrl(Protocol):
    def __call__(self, user: User, group: Group, /) -> str | None: ...


@dataclass(frozen=True)
class GroupLink:
    name: str
    label: str  # lazily translated
    url: GroupLinkUrl


class GroupExtensions:
    """The registry: links in the order they were registered; one per name."""

    def __init__(self) -> None:
        self._registered: dict[str, GroupLink] = {}

    def register(self, link: GroupLink) -> None:
        """Add ``link``; one of the same name is replaced (``ready()`` may run twice in tests)."""
        if not isinstance(link, GroupLink):
            raise TypeError(f"Not a group link: {link!r}")
        self._registered[link.name] = link

    def unregister(self, name: str) -> None:
        del self._registered[name]

    def links_for(self, *, user: User, group: Group) -> list[tuple[str, str]]:
        """(label, address) of each link ``user`` may follow from ``group``'s page."""
        found = ((link.label, link.url(user, group)) for link in self._registered.values())
        return [(str(label), url) for label, url in found if url]


group_extensions = GroupExtensions()

"""Which pages exist and which roles may open them (the navigation shows only those)."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.models import Role


@dataclass(frozen=True)
class PageEntry:
    path: str
    label: str
    roles: frozenset[Role]


ALL_ROLES = frozenset(Role)

PAGES: tuple[PageEntry, ...] = (PageEntry("/", "Accueil", ALL_ROLES),)


def pages_for(role: Role) -> list[PageEntry]:
    return [page for page in PAGES if role in page.roles]

"""Which pages exist and which roles may open them (the navigation shows only those).

`PAGES` is the single list: layouts/__init__.py registers each page from its
module (layouts/<module>.py, with callbacks/<module>.py) and refuses, on the
server, a page to a role it does not list.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.models import Role


@dataclass(frozen=True)
class PageEntry:
    module: str
    path: str
    label: str
    roles: frozenset[Role]


ALL_ROLES = frozenset(Role)

PAGES: tuple[PageEntry, ...] = (
    PageEntry("home", "/", "Accueil", ALL_ROLES),
    PageEntry("copil", "/copil", "COPIL", frozenset({Role.COPIL, Role.NATIONAL, Role.ADMIN})),
    PageEntry("comop", "/comop", "COMOP", frozenset({Role.COMOP, Role.ADMIN})),
    PageEntry(
        "projet",
        "/projet",
        "Feuille de route",
        frozenset({Role.PROJET, Role.ADMIN, Role.COPIL}),
    ),
    PageEntry("imports", "/imports", "Imports et qualité", frozenset({Role.ADMIN})),
    PageEntry("admin", "/admin", "Administration", frozenset({Role.ADMIN})),
)


def pages_for(role: Role) -> list[PageEntry]:
    return [page for page in PAGES if role in page.roles]


def page_roles(module: str) -> frozenset[Role]:
    for page in PAGES:
        if page.module == module:
            return page.roles
    raise KeyError(f"No page module {module!r} in layouts.navigation.PAGES.")

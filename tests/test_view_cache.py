"""The view cache (callbacks/view_cache.py): bounded LRU, keys, and the COPIL callbacks on it.

Security test plan line 6, "cache isolation": a user of territory A is never
served an output cached for territory B, nor for another role or threshold.
The page tests post the COPIL callbacks on one demo database (SQLite): Redon
(150 people) and 75-PETIT (20 people, counts under the threshold).
"""

# The fixtures imported from test_copil_page are parameters of the tests below, which ruff
# reads as redefinitions.
# ruff: noqa: F811

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import replace
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, select

from callbacks.view_cache import CACHE_KEY, ViewCache, frozen, view_key
from dashboard.models import DataSource, IndicatorTarget, RoadmapAction, Territory
from dashboard.state import EXTENSION_KEY
from layouts.filters import PageFilters

# The COPIL page tests' demo (Redon 150 people, 75-PETIT 20) and their callback posts.
from tests.test_copil_page import SMALL, demo_app, demo_settings, logged_in, overview  # noqa: F401

# --- ViewCache and view_key, no app -------------------------------------------------------


def test_a_hit_returns_the_same_object_without_building_again():
    cache = ViewCache(size=4)
    calls = []
    first = cache.get("k", lambda: calls.append(1) or ["built"])
    second = cache.get("k", lambda: calls.append(1) or ["other"])
    assert second is first and first == ["built"]
    assert calls == [1] and cache.builds == 1


def test_the_cache_is_bounded_least_recently_used_out_first():
    cache = ViewCache(size=2)
    cache.get("a", lambda: 1)
    cache.get("b", lambda: 2)
    cache.get("a", lambda: 0)  # "a" used again: "b" is now the oldest
    cache.get("c", lambda: 3)
    assert len(cache) == 2
    assert cache.get("a", lambda: -1) == 1  # kept
    assert cache.get("b", lambda: -2) == -2  # dropped, built again
    with pytest.raises(ValueError):
        ViewCache(size=0)


def test_a_failed_build_keeps_nothing():
    cache = ViewCache()

    def fail():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        cache.get("k", fail)
    assert len(cache) == 0 and cache.get("k", lambda: "ok") == "ok"


def test_threads_sharing_the_cache_all_get_a_value():
    cache = ViewCache(size=8)
    results: list[int] = []

    def work(n: int) -> None:
        for step in range(200):
            results.append(cache.get(step % 16, lambda step=step: step % 16))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 4 threads x 200 reads, each value its own key (key k -> k): never another key's value.
    assert len(results) == 800 and len(cache) <= 8
    assert all(cache.get(key, lambda: -1) in (key, -1) for key in range(16))


def _ctx(territory=1, version=(1, 1), role="copil", threshold=11, month="2024-01"):
    facts = SimpleNamespace(territory_id=territory, version=version)
    filters = PageFilters(None, "mois", month, month, month)
    return SimpleNamespace(
        facts=facts,
        user=SimpleNamespace(role=role),
        threshold=threshold,
        as_of=dt.date(2024, 12, 31),
        filters=filters,
    )


def test_the_key_holds_everything_the_output_depends_on():
    base = view_key(_ctx(), "copil.splits", ("stock",))
    assert view_key(_ctx(), "copil.splits", ("stock",)) == base
    changed = [
        view_key(_ctx(territory=2), "copil.splits", ("stock",)),
        view_key(_ctx(version=(2, 1)), "copil.splits", ("stock",)),
        view_key(_ctx(role="admin"), "copil.splits", ("stock",)),
        view_key(_ctx(threshold=None), "copil.splits", ("stock",)),
        view_key(_ctx(month="2024-02"), "copil.splits", ("stock",)),
        view_key(_ctx(), "copil.splits", ("flux",)),
        view_key(_ctx(), "copil.breakdown", ("stock",)),
    ]
    assert all(key != base for key in changed)
    assert len(set(changed)) == len(changed)


def test_inputs_become_hashable():
    assert frozen([1, [2, 3], {"b": 1, "a": [4]}]) == (1, (2, 3), (("a", (4,)), ("b", 1)))
    hash(view_key(_ctx(), "comop.list", (["site-1", "site-2"], {"tab": "x"})))


# --- the COPIL callbacks on the cache -------------------------------------------------------


@pytest.fixture
def cache(demo_app) -> ViewCache:
    found = demo_app.server.extensions.setdefault(CACHE_KEY, ViewCache())
    found.clear()
    return found


def text(node: object) -> str:
    return json.dumps(node, ensure_ascii=False)


REDON_NAME = "Pays de Redon et Vallons de Vilaine (35-REDON)"
SMALL_NAME = f"Territoire de démonstration {SMALL} ({SMALL})"


@pytest.mark.slow
def test_a_second_call_is_a_hit_with_the_same_output(logged_in, cache):
    client = logged_in("demo.copil")
    first = overview(client, "?periode=2024")
    builds = cache.builds
    assert overview(client, "?periode=2024") == first
    assert cache.builds == builds  # nothing built again
    overview(client, "?periode=2024-T3")
    assert cache.builds == builds + 1  # another period, another entry


@pytest.mark.slow
def test_cache_isolation_a_user_of_a_never_gets_b_output(logged_in, cache, demo_app, monkeypatch):
    # Both territories' facts get one version, so only the territory keeps the entries apart.
    facts_cache = demo_app.server.extensions[EXTENSION_KEY].facts_cache
    read = facts_cache.get
    monkeypatch.setattr(
        facts_cache, "get", lambda db, territory: replace(read(db, territory), version=(0,))
    )
    # B's output is cached first, for the same address A will post.
    small = overview(logged_in(f"demo.copil.{SMALL.lower()}"), "?periode=2024")
    assert SMALL_NAME in text(small["copil-heading"])
    redon_client = logged_in("demo.copil")
    redon = overview(redon_client, "?periode=2024")
    assert REDON_NAME in text(redon["copil-heading"]) and SMALL not in text(redon)
    # A forging B's code gets the refusal, not B's cached output.
    forged = overview(redon_client, f"?territoire={SMALL}&periode=2024")
    assert "Territoire inconnu ou hors de votre périmètre." in text(forged)
    assert SMALL not in text(forged)
    assert len(cache) == 2  # one entry per territory; the refusal is never cached


@pytest.mark.slow
def test_roles_and_thresholds_never_share_an_entry(logged_in, cache):
    # 75-PETIT's 15-day orientation rate is hidden for copil (threshold 11), exact for admin.
    copil = overview(logged_in(f"demo.copil.{SMALL.lower()}"), "?periode=2024")
    admin = overview(logged_in(f"demo.admin.{SMALL.lower()}"), "?periode=2024")
    assert len(cache) == 2
    assert "secret statistique (< 11)" in text(copil["copil-cards"])
    assert "secret statistique (< 11)" not in text(admin["copil-cards"])
    # A national user (threshold too, another role) reading 75-PETIT gets an entry of its own.
    overview(logged_in("demo.national"), f"?territoire={SMALL}&periode=2024")
    assert len(cache) == 3


def _territory_id(demo_app, code: str) -> int:
    state = demo_app.server.extensions[EXTENSION_KEY]
    with state.sessions() as db:
        return db.scalar(select(Territory.id).where(Territory.code == code))


@pytest.mark.slow
def test_a_roadmap_edit_shows_at_once(logged_in, cache, demo_app):
    client = logged_in("demo.copil")
    before = overview(client, "?periode=2024")
    assert "Axe ajouté par le test" not in text(before["copil-roadmap"])
    builds = cache.builds
    state = demo_app.server.extensions[EXTENSION_KEY]
    with state.sessions() as db:
        db.add(
            RoadmapAction(
                territory_id=_territory_id(demo_app, "35-REDON"),
                axis="Axe ajouté par le test",
                operational_target="Cible",
                action="Action ajoutée",
                source=DataSource.MANUAL,
            )
        )
        db.commit()
    after = overview(client, "?periode=2024")
    assert "Axe ajouté par le test" in text(after["copil-roadmap"])
    assert cache.builds == builds  # the cached part (cards, funnel) was reused


@pytest.mark.slow
def test_a_facts_version_change_shows_at_once(logged_in, cache, demo_app):
    client = logged_in(f"demo.admin.{SMALL.lower()}")
    before = overview(client, "?periode=2024")
    targets = [
        node["props"]["children"]
        for node in _texts(before["copil-cards"])
        if node["props"].get("className") == "copil-card-target"
    ]
    assert any(t != "Cible : pas de cible" for t in targets)  # the demo sets targets
    state = demo_app.server.extensions[EXTENSION_KEY]
    territory_id = _territory_id(demo_app, SMALL)
    with state.sessions() as db:
        db.execute(delete(IndicatorTarget).where(IndicatorTarget.territory_id == territory_id))
        db.commit()
    state.facts_cache.invalidate(territory_id)  # as the process that ran the import does
    after = overview(client, "?periode=2024")
    targets = [
        node["props"]["children"]
        for node in _texts(after["copil-cards"])
        if node["props"].get("className") == "copil-card-target"
    ]
    # Every target removed: each card now reads "pas de cible" (layouts/copil_format.py).
    assert targets and set(targets) == {"Cible : pas de cible"}


def _texts(node: object) -> list[dict]:
    found = []
    if isinstance(node, dict):
        if isinstance(node.get("props"), dict):
            found.append(node)
        for value in node.values():
            found += _texts(value)
    elif isinstance(node, list):
        for item in node:
            found += _texts(item)
    return found

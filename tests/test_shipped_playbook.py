"""The shipped playbook: every kind is filled and no entity stands alone."""

from __future__ import annotations

import pytest

from mkdocs_playbook.entities import Playbook
from mkdocs_playbook.kinds.registry import builtin_kinds
from mkdocs_playbook.load.loader import load_playbook
from mkdocs_playbook.resolve.refs import Links, field_refs, resolve_refs, target_of

from .conftest import REPO

KINDS = tuple(builtin_kinds())
KIND_BY_NAME = builtin_kinds().by_name


@pytest.fixture(scope="module")
def shipped() -> tuple[Playbook, Links]:
    result = load_playbook(REPO / "playbooks", project_dir=REPO)
    assert [str(d) for d in result.diagnostics] == []
    links, diagnostics = resolve_refs(result.playbook)
    assert [str(d) for d in diagnostics] == []
    return result.playbook, links


def test_every_kind_has_entities_and_an_introduction(shipped: tuple[Playbook, Links]) -> None:
    playbook, _ = shipped
    for kind in KINDS:
        assert playbook.of_kind(kind), kind.name
        assert kind.name in playbook.intros, kind.name


def test_no_entity_stands_alone(shipped: tuple[Playbook, Links]) -> None:
    playbook, links = shipped
    alone = [
        entity.ref
        for entity in playbook
        if not links.grouped(target_of(entity)) and not list(field_refs(entity))
    ]
    assert alone == []


def test_every_persona_metric_channel_and_play_is_used(shipped: tuple[Playbook, Links]) -> None:
    playbook, links = shipped
    for kind in ("persona", "metric", "channel", "play"):
        unused = [
            e.id for e in playbook.of_kind(KIND_BY_NAME[kind]) if not links.grouped(target_of(e))
        ]
        assert unused == [], kind


def test_every_play_has_a_stage_and_is_used_by_a_strategy_or_campaign(
    shipped: tuple[Playbook, Links],
) -> None:
    playbook, _ = shipped
    used = set()
    for entity in playbook:
        if entity.kind.name in ("strategy", "campaign"):
            used.update(ref.split(":")[-1] for ref in entity.data.plays)
    for entity in playbook:
        if entity.kind.name == "play":
            assert entity.data.stage, entity.id
            assert entity.id in used, entity.id


def test_the_health_page_finds_nothing_to_look_at(shipped: tuple[Playbook, Links]) -> None:
    from mkdocs_playbook.authoring.health import content_health

    playbook, links = shipped
    assert [f"{item.path}: {item.message}" for item in content_health(playbook, links, [])] == []

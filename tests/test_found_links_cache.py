"""The build cache keeps the links found in each file's Markdown: a build after an edit
parses for links only the texts of the edited file, and a kept value of another shape is a
miss, not a crash."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mkdocs_playbook.cache import KEEP_BUILDS, Store
from mkdocs_playbook.plan import SitePlan
from mkdocs_playbook.plan_cache import PlanCache, _links_key
from mkdocs_playbook.render import markup
from mkdocs_playbook.resolve import refs
from mkdocs_playbook.resolve.checked import Checked, check_playbook
from mkdocs_playbook.resolve.refs import markdown_fields

from .conftest import EVERYTHING
from .test_incremental import replace_text

Project = Callable[..., Path]
EDITED = "playbooks/personas/busy-parent.yaml"


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts whose links are found by parsing them, in order."""
    texts: list[str] = []

    def find_links(text: str) -> list[markup.Link]:
        texts.append(text)
        return markup.find_links(text)

    monkeypatch.setattr(refs, "find_links", find_links)
    return texts


def _check(root: Path, kept: PlanCache) -> Checked:
    # No load cache: every file is read and validated again, as in a new process.
    return check_playbook(
        root / "playbooks", project_dir=root, max_file_size=1 << 20, kept_links=kept
    )


def _links(checked: Checked) -> dict[str, list[object]]:
    return {
        entity.path: [
            (path, text, refs._scan(entity).markdown) for path, text in markdown_fields(entity)
        ]
        for entity in checked.playbook
    }


def _texts(checked: Checked, path: str) -> list[str]:
    entity = next(entity for entity in checked.playbook if entity.path == path)
    return [text for _, text in markdown_fields(entity)]


def test_a_build_after_an_edit_parses_only_the_edited_files_texts(
    project: Project, parsed: list[str]
) -> None:
    root = project(fixture=EVERYTHING)
    kept = PlanCache(Store.in_memory(note=pytest.fail), root, "versions")
    cold = _check(root, kept)
    assert not cold.errors
    assert len(parsed) == sum(len(_texts(cold, entity.path)) for entity in cold.playbook) > 20
    parsed.clear()

    again = _check(root, kept)
    assert parsed == []
    assert _links(again) == _links(cold)

    # An edit outside the file's Markdown parses nothing again.
    replace_text(root / EDITED, "no free evenings", "no spare hour")
    _check(root, kept)
    assert parsed == []

    replace_text(root / EDITED, "autumn survey", "autumn [survey](persona:retired-reader)")
    edited = _check(root, kept)
    assert parsed == _texts(edited, EDITED)
    assert any("autumn [survey]" in text for text in parsed)
    # The same links as a check without the cache finds.
    parsed.clear()
    plain = check_playbook(root / "playbooks", project_dir=root, max_file_size=1 << 20)
    assert _links(edited) == _links(plain)
    assert [str(d) for d in edited.diagnostics] == [str(d) for d in plain.diagnostics]


LINK = ["text", "persona:retired-reader", False, 0]


@pytest.mark.parametrize(
    ("stored", "misshapen"),
    [
        (lambda texts: "not a list", True),
        (lambda texts: [[[*LINK[:2], "not a bool", 0]] for _ in texts], True),
        (lambda texts: [[LINK[:3]] for _ in texts], True),
        (lambda texts: [{"text": "text"} for _ in texts], True),
        (lambda texts: [[LINK] for _ in texts[1:]], False),  # Not one list for each text.
        (lambda texts: [[[*LINK[:3], len(text)]] for text in texts], False),  # Past its end.
        (lambda texts: [[[*LINK[:3], -1]] for text in texts], False),
    ],
)
def test_kept_links_of_another_shape_are_a_miss_not_a_crash(
    project: Project,
    parsed: list[str],
    stored: Callable[[list[str]], object],
    misshapen: bool,
) -> None:
    root = project(fixture=EVERYTHING)
    notes: list[str] = []
    kept = PlanCache(Store.in_memory(note=notes.append), root, "versions")
    cold = _check(root, kept)
    texts = _texts(cold, EDITED)
    kept.store.put("links", _links_key("versions", texts), stored(texts))
    parsed.clear()

    again = _check(root, kept)
    assert parsed == texts
    assert _links(again) == _links(cold)
    assert any("'links' result of another shape" in note for note in notes) == misshapen, notes


def test_kept_links_outlive_builds_that_take_the_plan_as_it_is(
    project: Project, parsed: list[str], tmp_path: Path
) -> None:
    root = project(fixture=EVERYTHING)
    store = Store.open(tmp_path / "cache", note=pytest.fail)
    assert store is not None
    kept = PlanCache(store, root, "versions")
    _check(root, kept)
    kept.put_plan("plan", SitePlan({}, {}, [], [], [], [], []))
    store.save()
    # Builds with nothing changed take the plan without checking the playbook.
    for _ in range(KEEP_BUILDS + 1):
        assert kept.plan("plan") is not None
        store.save()
    parsed.clear()
    _check(root, kept)
    assert parsed == []

"""A render that keeps the last one renders again only the pages an edit touches, and makes
exactly the pages a fresh render makes.

Every kind of edit an author makes is applied to a real project (the test fixtures and the
shipped playbook); the pages of the render that follows are compared with those of a render
that starts from nothing.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from mkdocs_playbook.diagnostics import Diagnostic
from mkdocs_playbook.load.loader import LoadCache
from mkdocs_playbook.options import PlaybookOptions
from mkdocs_playbook.pipeline import Pipeline, SiteSettings
from mkdocs_playbook.render.incremental import RenderCache

from .conftest import EVERYTHING, REPO
from .test_incremental import EDITS, OWN_KINDS, PERSONA_TEMPLATE, WHOLE_RENDER

SITE = SiteSettings(edit_url=lambda path: f"https://example.org/edit/{path}", icons=True)


class Served:
    """A project rendered over and over by one pipeline, as `mkdocs serve` does."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache = RenderCache()
        self.pipeline = _pipeline(root, load_cache=LoadCache(), render_cache=self.cache)

    def render(self) -> dict[str, str]:
        """The pages of this render."""
        return _render(self.pipeline)

    def diagnostics(self) -> list[Diagnostic]:
        """What checking the project finds now."""
        return self.pipeline.check().diagnostics


class Restarted(Served):
    """A project rendered by a new process each time, as `mkdocs build` does with the build
    cache: each render starts from what the last one noted, passed through JSON."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.last: tuple[object, dict[str, str]] | None = None

    def render(self) -> dict[str, str]:
        if self.last is not None:
            state, texts = self.last
            self.cache = RenderCache()
            self.cache.restore(json.loads(json.dumps(state)), texts)
            self.pipeline = _pipeline(self.root, load_cache=LoadCache(), render_cache=self.cache)
        pages = super().render()
        state = self.cache.state()
        assert state is not None
        self.last = (state, pages)
        return pages


RUNS = [Served, Restarted]
"""Every test runs in one process (serve) and in one process a render (builds)."""


def _pipeline(root: Path, **caches: object) -> Pipeline:
    return Pipeline(
        PlaybookOptions(templates_dir="overrides"),
        project_dir=root,
        docs_dir=root / "docs",
        display=str,
        override_dirs=[root / "overrides"],
        **caches,  # type: ignore[arg-type]
    )


def _render(pipeline: Pipeline) -> dict[str, str]:
    checked = pipeline.check()
    return pipeline.renderer(checked, SITE).render_site(pipeline.render_cache)


def _fresh(root: Path) -> dict[str, str]:
    """The pages of a render that starts from nothing."""
    return _render(_pipeline(root))


def _copy(fixture: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(fixture / "playbooks", root / "playbooks")
    (root / "docs").mkdir()
    (root / "overrides").mkdir(exist_ok=True)
    (root / "overrides/persona.md.jinja").write_text(
        PERSONA_TEMPLATE.format(version="one"), encoding="utf-8"
    )
    return root


def _render_with_override(
    tmp_path: Path, run: type[Served], name: str, template: str
) -> tuple[Path, Served, dict[str, str]]:
    """The fixture with one override template, rendered once by ``run``: its folder, the
    run and the pages."""
    root = _copy(EVERYTHING, tmp_path)
    (root / "overrides" / name).write_text(template, encoding="utf-8")
    served = run(root)
    return root, served, served.render()


def assert_renders_what_changed(served: Served, before: dict[str, str]) -> dict[str, str]:
    """The served render makes the pages of a fresh one, rendering at least those that
    changed; gives its pages."""
    pages = served.render()
    fresh = _fresh(served.root)
    assert list(pages.items()) == list(fresh.items())
    changed = {path for path, text in fresh.items() if before.get(path) != text}
    assert changed <= set(served.cache.rendered)
    assert served.diagnostics() == _pipeline(served.root).check().diagnostics
    return pages


@pytest.mark.parametrize("run", RUNS)
@pytest.mark.parametrize("edit", list(EDITS))
def test_a_render_after_an_edit_renders_only_what_it_touches(
    tmp_path: Path, edit: str, run: type[Served]
) -> None:
    fixture, change = EDITS[edit]
    served = run(_copy(fixture, tmp_path))
    before = served.render()
    assert served.cache.rendered == list(before)
    change(served.root)
    assert_renders_what_changed(served, before)
    rendered = served.cache.rendered
    if edit in WHOLE_RENDER:
        assert len(rendered) == len(before)
    else:
        assert 0 < len(rendered) <= len(before) // 3, rendered


@pytest.mark.parametrize("run", RUNS)
def test_a_render_with_nothing_changed_renders_nothing(tmp_path: Path, run: type[Served]) -> None:
    served = run(_copy(EVERYTHING, tmp_path))
    before = served.render()
    assert served.render() == before
    assert served.cache.rendered == []


@pytest.mark.parametrize("run", RUNS)
def test_a_page_that_looked_up_a_missing_entity_is_rendered_again_when_it_comes(
    tmp_path: Path, run: type[Served]
) -> None:
    # An override template may look anything up: what it asks is noted, not what the
    # packaged templates happen to ask.
    root, served, before = _render_with_override(
        tmp_path,
        run,
        "persona.md.jinja",
        '{% extends "entity.md.jinja" %}{% block under_title %}'
        '{% set found = lookup("metric:branch-visits") %}'
        "Tracked by {{ found.data.title if found else 'nothing yet' }}.{% endblock %}",
    )
    assert "Tracked by nothing yet." in before["personas/busy-parent.md"]
    EDITS["new file"][1](root)
    pages = assert_renders_what_changed(served, before)
    assert "Tracked by Branch visits." in pages["personas/busy-parent.md"]
    personas = {path for path in pages if path.startswith("personas/") and "index" not in path}
    assert personas <= set(served.cache.rendered)


@pytest.mark.parametrize("run", RUNS)
def test_a_page_that_counted_backlinks_is_rendered_again_when_one_comes(
    tmp_path: Path, run: type[Served]
) -> None:
    # Play pages that read nothing of the entities that link to them but their number.
    root, served, before = _render_with_override(
        tmp_path,
        run,
        "play.md.jinja",
        "# {{ e.title }}\n\n{% for relation, sources in backlinks(target) %}"
        "{{ relation }}: {{ sources | length }}\n{% endfor %}",
    )
    EDITS["new ref"][1](root)  # the busy parent now names this play under "related"
    pages = assert_renders_what_changed(served, before)
    assert "Related from: 1\n" in before["plays/ask-at-the-desk.md"]
    assert "Related from: 2\n" in pages["plays/ask-at-the-desk.md"]


# -- edits any project can take: they read and write the YAML, not lines of one fixture ------


def _entity_files(root: Path) -> list[Path]:
    return sorted(
        path
        for path in (root / "playbooks").rglob("*")
        if path.suffix in (".yaml", ".yml") and not path.name.startswith("_")
    )


def _rewrite(path: Path, change: Callable[[dict[str, object]], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _refs(root: Path) -> dict[Path, str]:
    checked = _pipeline(root).check()
    return {root / entity.path: entity.ref for entity in checked.playbook}


def _any_edit(root: Path, pick: random.Random) -> str:
    refs = _refs(root)
    files = _entity_files(root)
    path = pick.choice(files)
    what = pick.choice(
        ["summary", "title", "new ref", "removed ref", "rename", "delete", "new", "template"]
    )
    if what == "summary":
        _rewrite(path, lambda d: d.update(summary=f"Now said otherwise {pick.random()}."))
    elif what == "title":
        _rewrite(path, lambda d: d.update(title=f"Renamed {pick.randrange(1000)}"))
    elif what == "new ref":
        other = refs.get(pick.choice(files))
        if other is not None and other != refs.get(path):
            _rewrite(path, lambda d: d.update(related=[*d.get("related", []), other]))
    elif what == "removed ref":
        _rewrite(path, lambda d: d.update(related=list(d.get("related", []))[1:]))
    elif what == "rename":
        path.rename(path.with_name(f"{path.stem}-moved{path.suffix}"))
    elif what == "delete" and len(files) > 10:
        path.unlink()
    elif what == "new":
        copy = path.with_name(f"{path.stem}-copy{pick.randrange(1000)}{path.suffix}")
        shutil.copyfile(path, copy)
    elif what == "template":
        template = root / "overrides/persona.md.jinja"
        template.write_text(PERSONA_TEMPLATE.format(version=pick.randrange(1000)), "utf-8")
        # Jinja reloads a template whose file time changed: make sure it did.
        os.utime(template, ns=(time.time_ns(), time.time_ns() + pick.randrange(1, 10**9)))
    return f"{what} {path.relative_to(root)}"


@pytest.mark.parametrize("run", RUNS)
@pytest.mark.parametrize(
    "fixture",
    [
        pytest.param(EVERYTHING, id="everything"),
        pytest.param(OWN_KINDS, id="own kinds"),
        pytest.param(REPO, id="shipped", marks=pytest.mark.slow),
    ],
)
def test_a_run_of_random_edits_renders_what_a_fresh_render_does(
    tmp_path: Path, fixture: Path, run: type[Served]
) -> None:
    root = _copy(fixture, tmp_path)
    served = run(root)
    pages = served.render()
    pick = random.Random(f"{fixture.name} 14")
    for _ in range(12):
        what = _any_edit(root, pick)
        whole = what.startswith("template")
        pages = assert_renders_what_changed(served, pages)
        assert (len(served.cache.rendered) == len(pages)) is whole, what


def test_a_state_of_other_inputs_or_another_shape_renders_every_page(tmp_path: Path) -> None:
    served = Restarted(_copy(EVERYTHING, tmp_path))
    pages = served.render()
    assert served.last is not None
    state, texts = served.last
    assert isinstance(state, dict)
    for broken in (
        {**state, "shared": "other templates"},
        {**state, "answers": state["answers"][:-1]},
        {**state, "reads": "junk"},
        {**state, "reads": [["no such read", "x"]] * len(state["reads"])},
        {**state, "pages": {"personas/nobody.md": [0]}},
        {},
    ):
        served.last = (broken, texts)
        assert served.render() == pages
        assert served.cache.rendered == list(pages)

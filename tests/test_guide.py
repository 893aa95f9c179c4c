"""The authoring guide: generated from the model, complete, and its examples are true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mkdocs_playbook.authoring.examples import examples
from mkdocs_playbook.authoring.field_docs import field_docs, nested_models, own_fields
from mkdocs_playbook.authoring.guide import (
    MESSAGE_EXAMPLES,
    MessageExample,
    render_authoring_guide,
    run_message_example,
)
from mkdocs_playbook.kinds.registry import builtin_kinds
from mkdocs_playbook.load.loader import load_playbook
from mkdocs_playbook.model import EntityBase
from mkdocs_playbook.render.markup import find_links
from mkdocs_playbook.resolve.refs import resolve_refs

from .conftest import write

KINDS = tuple(builtin_kinds())
EXAMPLES = examples(KINDS)
EXAMPLE_BY_KIND = {e.kind.name: e for e in EXAMPLES}
ALL_MODELS = {name: model for kind in KINDS for name, model in nested_models(kind.model).items()}


@pytest.mark.parametrize("model", ALL_MODELS.values(), ids=list(ALL_MODELS))
def test_every_model_field_has_a_description(model: type[EntityBase]) -> None:
    missing = [doc.name for doc in field_docs(model) if not doc.description.strip()]
    assert missing == [], f"{model.__name__} fields without a description: {missing}"


@pytest.mark.parametrize("model", ALL_MODELS.values(), ids=list(ALL_MODELS))
def test_every_model_has_a_docstring(model: type[EntityBase]) -> None:
    assert (model.__doc__ or "").strip()


def test_guide_has_a_section_per_kind_listing_its_own_fields_with_type_and_meaning() -> None:
    guide = render_authoring_guide()
    for kind in KINDS:
        section = guide.split(f"\n## {kind.singular}\n", 1)[1].split("\n## ", 1)[0]
        for doc in own_fields(kind.model):
            required = "yes" if doc.required else "no"
            row = re.search(
                rf"^\| `{doc.name}` \| (.+?) \| ({required}[^|]*) \| (.+) \|$", section, re.M
            )
            assert row, f"{kind.name}.{doc.name}"
            assert doc.description.replace("|", "\\|") in row.group(3)
        assert f"```yaml\n{EXAMPLE_BY_KIND[kind.name].yaml}```" in section


def test_guide_lists_the_fields_every_kind_has_and_nested_fields() -> None:
    guide = render_authoring_guide()
    for row in [
        "| `title` | text | yes | Display name. |",
        '| `related` | list of refs to any kind | no | "See also" links, to any kind. |',
        "| `sources[].url` | text | no | Its address: an http(s) or mailto URL. |",
        "| `subjects` | list of refs to any kind | yes, at least 2 |",
        "| `objectives[].metric` | metric ref | yes | The metric that measures it. |",
        "| `behaviour.desired` | Markdown | no |",
        "| `time` | `{min, max, unit}` or text | no |",
        "| `objectives[].deadline` | date (YYYY-MM-DD) or text | yes |",
    ]:
        assert row in guide


def test_guide_explains_the_ref_syntax() -> None:
    guide = render_authoring_guide()
    refs = guide.split("\n## Refs\n", 1)[1].split("\n## ", 1)[0]
    for syntax in [
        "`personas: [social-smoker-sally]`",
        "`persona:social-smoker-sally`",
        "`kind:<kind>`",
        "`[Sally](persona:social-smoker-sally)`",
        "`[](persona:social-smoker-sally)`",
        "`mkdocs build --strict`",
    ]:
        assert syntax in refs


def test_guide_has_no_links_so_it_builds_strictly_wherever_it_is_placed() -> None:
    # Ref examples sit in code, where neither the plugin nor MkDocs reads them as links.
    assert find_links(render_authoring_guide()) == []


def test_example_playbook_validates_with_no_problem_at_all(tmp_path: Path) -> None:
    root = tmp_path
    write(root, {f"playbooks/{example.path}": example.yaml for example in EXAMPLES})
    result = load_playbook(root / "playbooks", project_dir=root)
    _, diagnostics = resolve_refs(result.playbook)
    assert result.diagnostics + diagnostics == []
    assert {example.kind.name for example in EXAMPLES} == {kind.name for kind in KINDS}


@pytest.mark.parametrize("example", MESSAGE_EXAMPLES, ids=lambda e: e.title)
def test_every_message_example_shows_the_real_message(example: MessageExample) -> None:
    diagnostics = run_message_example(example)
    assert diagnostics, "the broken file must produce a message"
    guide = render_authoring_guide()
    for diagnostic in diagnostics:
        assert f"{diagnostic}\n" in guide


def test_guide_shows_the_messages_authors_meet_most() -> None:
    guide = render_authoring_guide()
    for message in [
        "summary: is required; add 'summary:'",
        "summery: unknown field 'summery'; did you mean 'summary'?",
        "strategy: is missing: every campaign runs under a strategy",
        "personas[0]: unknown persona 'social-smoker-sal'; did you mean 'social-smoker-sally'?",
        "quote: expected text, got false (a yes/no value); put the value in quotes",
        "category: 'awarness' is not one of: awareness, engagement",
        "id: 'Night Owl' is not a valid id",
    ]:
        assert message in guide

"""Property-based tests: valid playbooks always render, broken files always get located errors.

`make test` runs a bounded number of examples; `make fuzz` runs the `long` profile.
"""

from __future__ import annotations

import functools
import html
import json
import re
import shutil
import string
import tempfile
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pymdownx.superfences import fence_code_format

from mkdocs_playbook.authoring.init import _title as init_title
from mkdocs_playbook.authoring.init import project_files
from mkdocs_playbook.authoring.scaffold import entity_template
from mkdocs_playbook.kinds.registry import builtin_kinds, extend_registry
from mkdocs_playbook.kinds.spec import KindFile
from mkdocs_playbook.load.loader import load_playbook
from mkdocs_playbook.load.yamlsource import parse_yaml
from mkdocs_playbook.render.pages import Renderer
from mkdocs_playbook.render.sanitize import sanitize_html
from mkdocs_playbook.render.site_setup import EXTENSION_OPTIONS, MARKDOWN_EXTENSIONS
from mkdocs_playbook.resolve.refs import resolve_refs

from .conftest import EVERYTHING
from .html_checks import Page, problems

pytestmark = pytest.mark.slow

settings.register_profile(
    "default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(__import__("os").environ.get("HYPOTHESIS_PROFILE", "default"))

ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)
words = st.text(
    alphabet=string.ascii_letters + string.digits + " <>&*_[]()|#`!-.:'\"", min_size=1, max_size=40
).filter(str.strip)


def _yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def playbooks(draw: st.DrawFn) -> dict[str, str]:
    """A random valid playbook: stages, metrics, personas and plays that ref each other."""
    stage_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    metric_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    persona_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    play_ids = draw(st.lists(ids, min_size=0, max_size=4, unique=True))
    files: dict[str, str] = {}
    for order, ident in enumerate(stage_ids):
        files[f"stages/{ident}.yaml"] = (
            f"title: {_yaml_text(draw(words))}\nsummary: {_yaml_text(draw(words))}\n"
            f"order: {order}\n"
        )
    for ident in metric_ids:
        files[f"metrics/{ident}.yaml"] = (
            f"title: {_yaml_text(draw(words))}\nsummary: {_yaml_text(draw(words))}\n"
            f"category: {draw(st.sampled_from(['awareness', 'traffic', 'service']))}\n"
        )
    for ident in persona_ids:
        mention = draw(st.sampled_from(stage_ids))
        files[f"personas/{ident}.yaml"] = (
            f"title: {_yaml_text(draw(words))}\nsummary: {_yaml_text(draw(words))}\n"
            f"barriers: [{_yaml_text(draw(words))}]\nmotivators: [{_yaml_text(draw(words))}]\n"
            f"body: {_yaml_text('See [](stage:' + mention + ') and ' + draw(words))}\n"
        )
    for ident in play_ids:
        files[f"plays/{ident}.yaml"] = (
            f"title: {_yaml_text(draw(words))}\nsummary: {_yaml_text(draw(words))}\n"
            f"why: {_yaml_text(draw(words))}\nhow: [{_yaml_text(draw(words))}]\n"
            f"stage: {draw(st.sampled_from(stage_ids))}\n"
            f"metrics: [{', '.join(draw(st.lists(st.sampled_from(metric_ids), max_size=3)))}]\n"
            f"related: [persona:{draw(st.sampled_from(persona_ids))}]\n"
        )
    return files


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for relative, content in files.items():
        path = root / "playbooks" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@given(playbooks())
def test_random_valid_playbooks_render_and_every_ref_resolves(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _write(root, dict(files))
        result = load_playbook(root / "playbooks", project_dir=root)
        assert [str(d) for d in result.diagnostics] == []
        links, diagnostics = resolve_refs(result.playbook)
        assert [str(d) for d in diagnostics] == []
        pages = Renderer(result.playbook, links).render_site()
        for relative in files:
            assert relative.replace(".yaml", ".md") in pages
            assert relative.split("/")[0] + "/index.md" in pages
        assert all("<script" not in page.lower() for page in pages.values())


FIXTURE_FILES = sorted(
    p
    for p in (EVERYTHING / "playbooks").rglob("*.y*ml")
    if "_" not in p.name[:1] and ".hidden" not in p.parts
)


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, bytes]:
    """A fixture file broken in one of the ways authors break files."""
    path = draw(st.sampled_from(FIXTURE_FILES))
    data = path.read_bytes()
    lines = data.split(b"\n")
    how = draw(st.sampled_from(["delete-line", "junk-bytes", "indent", "retype", "truncate"]))
    index = draw(st.integers(0, max(0, len(lines) - 1)))
    if how == "delete-line":
        del lines[index]
    elif how == "junk-bytes":
        junk = draw(st.binary(min_size=1, max_size=8))
        at = draw(st.integers(0, len(lines[index])))
        lines[index] = lines[index][:at] + junk + lines[index][at:]
    elif how == "indent":
        lines[index] = b" " * draw(st.integers(1, 5)) + lines[index]
    elif how == "retype":
        key, sep, _ = lines[index].partition(b":")
        value = draw(
            st.sampled_from([b" [a, b]", b" {x: 1}", b" 12", b" yes", b" ~", b" 2024-01-01"])
        )
        lines[index] = key + sep + value if sep else lines[index]
    else:
        lines = lines[:index]
    relative = path.relative_to(EVERYTHING / "playbooks").as_posix()
    return relative, b"\n".join(lines)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutations())
def test_broken_files_get_located_errors_never_a_traceback(mutation: tuple[str, bytes]) -> None:
    relative, content = mutation
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(EVERYTHING / "playbooks", root / "playbooks")
        (root / "playbooks" / relative).write_bytes(content)
        result = load_playbook(root / "playbooks", project_dir=root)
        links, diagnostics = resolve_refs(result.playbook)
        for diagnostic in result.diagnostics + diagnostics:
            assert diagnostic.path.startswith("playbooks/")
            assert diagnostic.line >= 1 and diagnostic.column >= 1
            assert diagnostic.field and diagnostic.message
        if not result.errors:
            Renderer(result.playbook, links).render_site()


# -- hostile Markdown ---------------------------------------------------------------------------

# Pieces an attacker combines: HTML, handlers, schemes (plain, cased, encoded, split), link
# and reference syntax, attribute lists, fences, snippet lines, whitespace and line breaks.
HOSTILE_PIECES = [
    "<",
    ">",
    "</",
    "<img src=x",
    "<svg",
    "<script>",
    "<a href=",
    " onerror=",
    " onclick=",
    "alert('XSS')",
    "javascript:",
    "JaVaScRiPt:",
    "&#106;avascript:",
    "java\tscript:",
    "vbscript:",
    "data:text/html,",
    "[a](",
    "](",
    "[",
    "]",
    "(",
    ")",
    "![i](",
    "[r]: ",
    "[a][r]",
    "<",
    "{: ",
    "{ ",
    "}",
    ' href="',
    ' src="',
    '"',
    "'",
    "`",
    "```",
    "```{ ",
    "~~~",
    "--8<-- ",
    '"secret.txt"',
    "\n",
    "\n\n",
    "\n    ",
    "\n> ",
    "\n- ",
    "\u2028",
    " ",
    "\\",
    "!!! md-dialog ",
    ":smile:",
    "|",
]
SCRIPT_URLS = [
    "javascript:alert('XSS')",
    "JaVaScRiPt:alert('XSS')",
    "&#106;avascript:alert('XSS')",
    "java\tscript:alert('XSS')",
    "javascript:alert(('XSS'))",
    "vbscript:msgbox('XSS')",
    "data:text/html,XSS",
]
# Ways to put a URL where Python-Markdown makes a link of it, including those a regex misreads.
LINK_FORMS = [
    "[a]({u})",
    "[a]( {u})",
    "[a](\n{u})",
    "[a](<{u}>)",
    '[a]({u} "t")',
    "[`a`]({u})",
    "[a [b] c]({u})",
    "![i]({u})",
    "<{u}>",
    "[a][r]\n\n[r]: {u}",
    "[a][r]\n\n> [r]: {u}",
    "[a][r]\n\n- [r]: {u}",
    "[a][r]\n\n[r]:\n    {u}",
    '[a](https://ok.example){{: href="{u}" }}',
    '[a](https://ok.example){{ onclick="{u}" }}',
    'para\n{{: onmouseover="{u}" }}',
    '!!! md-dialog "{u}"\n\n    y',
    '```{{ .py onclick="{u}" }}\nx\n```',
]
attacks = st.builds(
    lambda form, url: form.format(u=url), st.sampled_from(LINK_FORMS), st.sampled_from(SCRIPT_URLS)
)
hostile_markdown = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), attacks), min_size=1, max_size=12
).map("".join)


@functools.cache
def _converter(base: str) -> markdown.Markdown:
    """Python-Markdown with what the plugin enables, plus attr_list, md_in_html, snippets."""
    return markdown.Markdown(
        extensions=[
            *MARKDOWN_EXTENSIONS,
            "toc",
            "footnotes",
            "def_list",
            "pymdownx.snippets",
        ],
        extension_configs={
            **EXTENSION_OPTIONS,
            "pymdownx.snippets": {"base_path": [base], "check_paths": False},
            "pymdownx.superfences": {
                "custom_fences": [
                    {"name": "mermaid", "class": "mermaid", "format": fence_code_format}
                ]
            },
        },
    )


_SECRET_DIR = tempfile.mkdtemp(prefix="fuzz-secret-")
Path(_SECRET_DIR, "secret.txt").write_text("TOPSECRET-fuzz\n", encoding="utf-8")


@given(hostile_markdown, hostile_markdown)
def test_hostile_markdown_never_reaches_a_page_as_script(title: str, body: str) -> None:
    title = title.strip() or "t"
    files = {
        "personas/eve.yaml": (
            f"title: {json.dumps(title)}\nsummary: {json.dumps(title)}\n"
            f"tags: [{json.dumps(title)}]\nbody: {json.dumps(body + ' x')}\n"
            f"barriers: [{json.dumps(body + ' x')}]\nmotivators: [m]\n"
        ),
        "stages/s.yaml": f"title: {json.dumps(title)}\nsummary: s\norder: 1\n",
    }
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _write(root, dict(files))
        result = load_playbook(root / "playbooks", project_dir=root)
        if result.errors:
            return  # e.g. a title that folds to nothing: a located error, tested elsewhere
        links, _ = resolve_refs(result.playbook)
        pages = Renderer(result.playbook, links, snippets=True).render_site()
    converter = _converter(_SECRET_DIR)
    for path, page in pages.items():
        converted = converter.reset().convert(page.split("\n---\n", 1)[-1])
        assert "TOPSECRET" not in converted, path
        # Each layer on its own: the escaping before conversion, then the sanitiser after.
        assert list(problems(Page(converted, fragment=True), allowlist=False)) == [], path
        cleaned = sanitize_html(converted)
        assert list(problems(Page(cleaned, fragment=True), allowlist=True)) == [], path


# -- text from kind files and folder names in what `new` and `init` write -------------------

# Any text, YAML's line breaks and other specials made more likely than chance makes them.
kind_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("\n\r\x85\u2028\u2029\t#:-?&*!%@`'\"|>{}[],\x07\x1b\ufeff")),
    ),
    min_size=1,
    max_size=30,
).filter(str.strip)


@st.composite
def kind_files(draw: st.DrawFn) -> tuple[dict[str, object], set[str]]:
    """A kind file whose label, descriptions and enum values are any text, and the keys
    a new entity of that kind should hold (its required fields)."""
    mood_required, steps_required = draw(st.booleans()), draw(st.booleans())
    kind: dict[str, object] = {
        "name": "thing",
        "label": draw(kind_text),
        "description": draw(kind_text),
        "fields": {
            "mood": {
                "type": "enum",
                "values": draw(st.lists(kind_text, min_size=1, max_size=4)),
                "description": draw(kind_text),
                "required": mood_required,
            },
            "steps": {
                "type": "list",
                "required": steps_required,
                "item": {
                    "choice": {
                        "type": "enum",
                        "values": draw(st.lists(kind_text, min_size=1, max_size=3)),
                        "description": draw(kind_text),
                        "required": True,
                    },
                    "note": {"type": "text", "description": draw(kind_text)},
                },
            },
        },
    }
    keys = {"title", "summary", *(["mood"] if mood_required else [])}
    keys |= {"steps"} if steps_required else set()
    return kind, keys


@given(kind_files())
def test_a_new_entity_parses_to_its_required_keys_whatever_its_kind_file_says(
    case: tuple[dict[str, object], set[str]],
) -> None:
    data, keys = case
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    document = parse_yaml(text)
    source = KindFile(
        "playbooks/things/_kind.yaml", document.value, document.positions, document.key_positions
    )
    kinds, kind_problems = extend_registry(builtin_kinds(), [("things", source)])
    assume(not kind_problems)
    template = entity_template(kinds.by_name["thing"], "../../schemas/thing.schema.json")
    template.encode("utf-8")  # writable as the file is written
    for parse in (yaml.safe_load, lambda t: parse_yaml(t).value):
        parsed = parse(template)
        assert isinstance(parsed, dict)
        assert set(parsed) == keys
        assert all(value is None for key, value in parsed.items() if key != "steps")
        if "steps" in keys:
            assert parsed["steps"] == [{"choice": None}]


folder_names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
    min_size=1,
    max_size=40,
).filter(lambda name: name.strip(" -_") and "/" not in name)


@given(folder_names)
def test_init_keeps_any_folder_name_as_typed_in_the_config_and_the_home_heading(
    name: str,
) -> None:
    files = {file.path: file.text for file in project_files(name)}
    title = init_title(name)
    config = yaml.safe_load(files["mkdocs.yml"].replace("!!python/name:", ""))
    assert config["site_name"] == title
    heading = files["docs/index.md"].splitlines()[0]
    rendered = markdown.markdown(heading, extensions=[*MARKDOWN_EXTENSIONS, "pymdownx.emoji"])
    match = re.fullmatch(r"<h1[^>]*>([^<]*)</h1>", rendered)
    assert match is not None, rendered
    assert html.unescape(match.group(1)) == title

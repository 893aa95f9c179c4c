"""Hostile YAML, in the spirit of OWASP's XSS filter-evasion cheat sheet, built for real.

Every payload goes into every kind of field (plain text, Markdown, tags, table cells, keys,
diagram labels, advice titles, sources) of a playbook, which is built once under the shipped
`mkdocs.yml` and once under a config that adds `pymdownx.snippets`, `attr_list`,
`md_in_html` and an entity nav; and once exported (`playbook export`) and built by plain
MkDocs, where no sanitiser runs. The same payloads go into the text of kind files (`label`,
`plural`, `description`, enum values, field labels, `inverse`, `schema_title`), built by the
plugin, and exported and built by plain MkDocs (and by Zensical where it installs). Then every
page, the nav, `<title>`, tooltips and the search index are parsed and checked: no event
handler, no script-capable URL, no script of ours, no element outside the allowlist in
generated content, and no local file copied in.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mkdocs_playbook.cli import main
from mkdocs_playbook.load.loader import load_playbook
from mkdocs_playbook.render.sanitize import TAGS, sanitize_html

from .conftest import EVERYTHING, REPO, run_mkdocs, write
from .html_checks import Page, problems

pytestmark = pytest.mark.site

SECRET = "TOPSECRET-7f3a"
"""In a local file the snippets payloads try to include: it must appear in no output."""

# Every payload names XSS, so a script that runs one of them is easy to find.
PAYLOADS: list[str] = [
    # raw HTML, each way a browser will run it
    "<script>alert('XSS')</script>",
    "<img src=x onerror=alert('XSS')>",
    "<svg onload=alert('XSS')>",
    "<body onload=alert('XSS')>",
    "<a href=\"javascript:alert('XSS')\">a</a>",
    "<iframe srcdoc=\"<script>alert('XSS')</script>\"></iframe>",
    "<form><button formaction=javascript:alert('XSS')>b</button></form>",
    "<svg><a xlink:href=\"javascript:alert('XSS')\"><text>t</text></a></svg>",
    "<math><mi xlink:href=\"javascript:alert('XSS')\">m</mi></math>",
    "<details open ontoggle=alert('XSS')>",
    "<div style=\"background:url(javascript:alert('XSS'))\">s</div>",
    "<object data=\"javascript:alert('XSS')\"></object>",
    "<style>@import 'https://evil.example/XSS.css';</style>",
    "<!--<script>alert('XSS')</script>-->",
    "'\"><img src=x onerror=alert('XSS')>",
    "</title><script>alert('XSS')</script>",
    "</textarea><script>alert('XSS')</script>",
    "<scr<script>ipt>alert('XSS')</script>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    # code spans, whose raw HTML md_in_html reads in cards and comparison tables
    "`<div onclick=\"alert('XSS')\">c</div>`",
    "`<img src=x onerror=alert('XSS')>`",
    # Markdown links the old link check parsed differently from Python-Markdown
    "[a](javascript:alert('XSS'))",
    "[a]( javascript:alert('XSS'))",
    "[a](\njavascript:alert('XSS'))",
    "[a](<javascript:alert('XSS')>)",
    "[a](javascript:alert(('XSS')))",
    "[a](javascript:alert('XSS') \"title\")",
    "[`a`](javascript:alert('XSS'))",
    "[a [b] c](javascript:alert('XSS'))",
    "[a](&#106;avascript:alert('XSS'))",
    "[a](jav&#x09;ascript:alert('XSS'))",
    "![i](javascript:alert('XSS'))",
    "<javascript:alert('XSS')>",
    "[a][r]\n\n[r]: javascript:alert('XSS')",
    "[a][r]\n\n> [r]: javascript:alert('XSS')",
    "[a][r]\n\n- [r]: javascript:alert('XSS')",
    "[a][r]\n\n[r]:\n    javascript:alert('XSS')",
    # link forms found only by Python-Markdown's own parse
    "[a][r]\n\n[r]: <javascript:alert('XSS')> 't'",
    "[r][]\n\n[r]: vbscript:msgbox(1)",
    "*[a]( javascript:alert('XSS'))*",
    "> [a](\n> javascript:alert('XSS'))",
    "- x\n\n    [a]( javascript:alert('XSS') 't')",
    "[a]( <java\nscript:alert('XSS')>)",
    "!!! note\n\n    [a]( javascript:alert('XSS'))",
    "[^1]\n\n[^1]: [a]( javascript:alert('XSS'))",
    # attribute lists, which the plugin itself enables
    "[a](https://ok.example){ onclick=\"alert('XSS')\" }",
    "A paragraph\n{: onmouseover=\"alert('XSS')\" }",
    "[a](https://ok.example){: href=\"javascript:alert('XSS')\" }",
    "![i](https://ok.example/i.png){: src=\"javascript:alert('XSS')\" }",
    "## Heading { #x onclick=\"alert('XSS')\" }",
    "```{ .py onclick=\"alert('XSS')\" }\ncode\n```",
    # Material's own classes, which could dress text up as the site's chrome
    '!!! md-dialog md-dialog--active "XSS"\n\n    text',
    # snippets, even inside code
    '--8<-- "secret.txt"',
    '```\n--8<-- "secret.txt"\n```',
    '`\n--8<-- "secret.txt"\n`',
    "--8<--\nsecret.txt\n--8<--",
    # tables, separators and front matter
    "a | b\n--- | ---\n<img src=x onerror=alert('XSS')> | [c](javascript:alert('XSS'))",
    "x\n---\ntitle: <script>alert('XSS')</script>\n---",
    "\u2028<script>alert('XSS')</script>\u2029[a](javascript:alert('XSS'))",
]


def _q(value: str) -> str:
    """A YAML double-quoted string (JSON's quoting is valid YAML)."""
    return json.dumps(value)


def hostile_playbook(payloads: list[str]) -> dict[str, str]:
    """Every payload in every field of eight entities that refer to each other."""
    files: dict[str, str] = {}
    for i, p in enumerate(payloads):
        q = _q(p)
        files[f"playbooks/personas/p{i}.yaml"] = (
            f"title: {q}\nsummary: {q}\ntags: [{q}, t{i}]\nbody: {q}\nbarriers: [{q}]\n"
            f"motivators: [{q}]\ngoals: [{q}]\nquote: {q}\nsegment: {q}\n"
            f"demographics: {{{q}: {q}}}\npsychographics: [{q}]\n"
            f"behaviour: {{current: {q}, desired: {q}}}\nrelated: [stage:s{i}]\n"
            f"sources:\n  - {{title: {q}, note: {q}, url: 'https://ok.example/'}}\n"
        )
        files[f"playbooks/stages/s{i}.yaml"] = (
            f"title: {q}\nsummary: {q}\norder: {i}\nactivities: [{q}]\noutputs: [{q}]\n"
            f"related: [persona:p{i}]\n"
        )
        files[f"playbooks/comparisons/c{i}.yaml"] = (
            f"title: {q}\nsummary: {q}\nsubjects: [persona:p{i}, stage:s{i}]\n"
            f"dimensions:\n  - {{name: {q}, note: {q}, values: {{p{i}: {q}, s{i}: {q}}}}}\n"
            f"choose_when: {{p{i}: {q}, s{i}: {q}}}\n"
        )
        files[f"playbooks/metrics/m{i}.yaml"] = (
            f"title: {q}\nsummary: {q}\nunit: {q}\nhow_to_measure: {q}\n"
        )
        files[f"playbooks/strategies/st{i}.yaml"] = (
            f"title: {q}\nsummary: {q}\nhorizon: {q}\naudiences: [p{i}]\n"
            f"objectives:\n  - {{statement: {q}, metric: m{i}, target: {q}, deadline: {q}, "
            f"owner: {q}}}\npain_points: [{q}]\nresources: {q}\n"
        )
        files[f"playbooks/campaigns/ca{i}.yaml"] = (
            f"title: {q}\nsummary: {q}\nstrategy: st{i}\nduration: {q}\nbudget: {q}\n"
            f"personas: [p{i}]\nstages:\n  - {{stage: s{i}, plan: {q}, milestones: [{q}]}}\n"
            f"messages:\n  - {{text: {q}, persona: p{i}, tested_with: {q}}}\n"
            f"kpis:\n  - {{metric: m{i}, target: {q}}}\nchannels: [ch{i}]\nplays: [pl{i}]\n"
        )
        files[f"playbooks/runbooks/r{i}.yaml"] = (
            f"title: {q}\nsummary: {q}\nseverity: v{i}\nservice: ch{i}\nlabels: [{q}, x{i}]\n"
            f"diagram: {{src: _assets/pic.png, alt: {q}}}\nchecks: [{q}]\n"
            f"steps:\n  - {{action: {q}, command: {q}, expect: {q}}}\ndrill: [{q}, {q}]\n"
            f"script: {q}\nbody: {q}\n"
        )
        files[f"playbooks/channels/ch{i}.yaml"] = (
            f"title: {q}\nsummary: {q}\nformats: [{q}]\n"
            f"stats:\n  - {{figure: {q}, claim: {q}, source: {q}, year: {q}}}\n"
        )
        files[f"playbooks/plays/pl{i}.yaml"] = (
            f"title: {q}\nsummary: {q}\nwhy: {q}\nhow: [{q}]\npeople: {q}\ntime: {q}\n"
            f"stage: s{i}\noutputs: [{q}]\n"
        )
    files["playbooks/runbooks/_assets/pic.png"] = "not really a PNG"
    files["playbooks/runbooks/_kind.yaml"] = runbook_kind(payloads)
    return files


def runbook_kind(payloads: list[str]) -> str:
    """A kind of the v3 fields whose labels are the payloads: an enum's values, its fields'."""
    labels = ", ".join(f"v{i}: {_q(p)}" for i, p in enumerate(payloads))
    fields = {
        "severity": f"{{type: enum, values: {{{labels}}}, label: {_q(payloads[0])}}}",
        "service": f"{{type: ref, kind: channel, inverse: {_q(payloads[1])}}}",
        "labels": f"{{type: list, item: text, label: {_q(payloads[2])}}}",
        "diagram": f"{{type: image, label: {_q(payloads[3])}}}",
        "checks": f"{{type: checklist, label: {_q(payloads[4])}}}",
        "script": "{type: code, language: bash}",
        "drill": "{type: steps}",
        "steps": (
            "{type: steps, item: {action: {type: markdown}, command: {type: code}, "
            f"expect: {{type: text, label: {_q(payloads[5])}}}}}}}"
        ),
    }
    return (
        "name: runbook\nfields:\n"
        + "".join(f"  {name}: {spec}\n" for name, spec in fields.items())
        + "card: [severity, service, labels, diagram]\nfacets: [severity, service, labels]\n"
    )


FIDELITY = {
    "playbooks/personas/fidelity.yaml": (
        'title: ":smile: Sal & Co &amp; \\u202eevil"\n'
        'summary: "Line one\\u2028line two\\nline three"\n'
        'tags: ["caf\\u00e9"]\n'
        'body: "Para\\n\\n    <b>kept</b> {: x }\\n"\n'
        "barriers: [b]\nmotivators: [m]\n"
    ),
    "playbooks/personas/fidelity-nfd.yaml": (
        'title: Decomposed\nsummary: s\ntags: ["cafe\\u0301"]\nbarriers: [b]\nmotivators: [m]\n'
    ),
}
"""Benign text that used to change on its way to the page."""

DOCS = {
    "docs/index.md": "# Home\n\nThe owner's <b>own markup</b> {: .kept } stays.\n",
    "secret.txt": SECRET + "\n",
}


def shipped_config(extra: str = "") -> str:
    """The shipped mkdocs.yml without its nav of the shipped docs and its theme folder."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"\nnav:\n(?:  .*\n|\n)*", "\n", text)
    text = text.replace("  custom_dir: theme_overrides\n", "")
    text = re.sub(r"exclude_docs: \|\n  screenshots/\n", "", text)
    return text + extra


SNIPPETS_CONFIG = """\
site_name: Hostile
theme:
  name: material
  features: [content.tooltips]
plugins:
  - search
  - playbook
markdown_extensions:
  - attr_list
  - md_in_html
  - footnotes
  - def_list
  - abbr
  - pymdownx.tasklist
  - pymdownx.details
  - toc:
      permalink: true
  - pymdownx.snippets:
      check_paths: false
"""

# Every hostile persona's title in the nav (a nav of every entity would make every page
# list four hundred of them, and the suite slow).
ENTITY_NAV = "nav:\n  - index.md\n" + "".join(
    f"  - personas/p{i}.md\n" for i in range(len(PAYLOADS))
)
CONFIGS = {"shipped": shipped_config(), "snippets": SNIPPETS_CONFIG + ENTITY_NAV}


WITHOUT_SANITISER = """
from mkdocs.__main__ import cli
from mkdocs_playbook.engine import plugin

plugin.sanitize_html = lambda content: content
cli(["build"])
"""
"""A build with the escaping only: the first layer must stop every payload on its own."""


def write_files(root: Path, files: dict[str, str]) -> None:
    """Write files as they are (`write` would dedent them, and payloads hold indents)."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def export_and_build(root: Path, engine: str = "mkdocs") -> Path:
    """`playbook export` of a project, built by plain MkDocs (or by Zensical): the site."""
    out = root.parent / f"{root.name}-export"
    exported = CliRunner().invoke(main, ["export", str(out), "--project", str(root)])
    assert exported.exit_code == 0, exported.output
    # No plugin, so no sanitiser: the escaping alone must stop every payload.
    (out / "ESCAPING-ONLY").touch()
    if engine == "zensical":
        import subprocess
        import sys

        built = subprocess.run(
            [sys.executable, "-m", "zensical", "build"],
            cwd=out,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert built.returncode == 0, built.stdout + built.stderr
    else:
        result = run_mkdocs(out, "build")
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    return out / "site"


@pytest.fixture(scope="module", params=[*sorted(CONFIGS), "escaping-only", "export", "zensical"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile playbook, built once per config (once without the sanitiser, and once
    exported and built by plain MkDocs, and by Zensical)."""
    if request.param == "zensical":
        pytest.importorskip("zensical", reason="Zensical installs only where its wheel exists")
    root = tmp_path_factory.mktemp(request.param)
    write(root, {"mkdocs.yml": CONFIGS.get(request.param, CONFIGS["shipped"])})
    write_files(root, {**hostile_playbook(PAYLOADS), **FIDELITY, **DOCS})
    if request.param in ("export", "zensical"):
        return export_and_build(root, request.param)
    if request.param == "escaping-only":
        (root / "ESCAPING-ONLY").touch()
        result = run_mkdocs(root, "build", code=WITHOUT_SANITISER)
    else:
        result = run_mkdocs(root, "build")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return root / "site"


def sanitised(site: Path) -> bool:
    """Whether the site was built with the sanitiser (the allowlist is then checked too)."""
    return not (site.parent / "ESCAPING-ONLY").exists()


def generated_pages(site: Path) -> Iterator[Path]:
    """Every built page except the hand-written home page and the 404 page."""
    for path in sorted(site.rglob("*.html")):
        if path.relative_to(site).as_posix() not in ("index.html", "404.html"):
            yield path


# -- the checks ---------------------------------------------------------------------------------


def test_every_payload_reached_every_kind_of_page(site: Path) -> None:
    kinds = ("personas", "stages", "comparisons", "strategies", "campaigns", "plays", "runbooks")
    for kind in kinds:
        assert len(list((site / kind).glob("*/index.html"))) >= len(PAYLOADS), kind
    assert (site / "which-do-i-need/index.html").is_file()
    assert (site / "authors/coverage/index.html").is_file()


def test_no_page_can_run_a_payload(site: Path) -> None:
    found = {
        path.relative_to(site).as_posix(): issues
        for path in generated_pages(site)
        if (
            issues := sorted(
                set(problems(Page(path.read_text(encoding="utf-8")), allowlist=sanitised(site)))
            )
        )
    }
    assert found == {}


def test_title_and_nav_show_payloads_as_text(site: Path) -> None:
    page = Page((site / "personas/p0/index.html").read_text(encoding="utf-8"))
    assert page.title.startswith("<script>alert('XSS')</script>")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert list(problems(Page(home), allowlist=False)) == []
    if "personas/p0.md" in (site.parent / "mkdocs.yml").read_text(encoding="utf-8"):
        nav = home[home.index("md-nav--primary") : home.index('class="md-content"')]
        labels = re.findall(r'class="md-ellipsis">\s*(.*?)\s*<', nav, re.DOTALL)
        assert {html.unescape(label) for label in labels} >= set(PAYLOADS[:19])


def search_entries(site: Path) -> list[dict[str, Any]]:
    """The search index: MkDocs' search plugin writes `docs`; Zensical writes `items`, each
    with the nav path to its page."""
    mkdocs_index = site / "search/search_index.json"
    index_file = mkdocs_index if mkdocs_index.is_file() else site / "search.json"
    index = json.loads(index_file.read_text(encoding="utf-8"))
    entries: list[dict[str, Any]] = index.get("docs") or index["items"]
    return entries


def check_search_index(site: Path) -> None:
    """Every title, text and nav path of the search index is safe HTML."""
    entries = search_entries(site)
    assert len(entries) > len(PAYLOADS)
    for entry in entries:
        for field in ("title", "text", "path"):
            for value in entry.get(field) or [] if field == "path" else [entry[field]]:
                page = Page(value)
                assert list(problems(page, allowlist=False)) == [], (entry["location"], field)
                # Material shows these as HTML: only what the sanitiser keeps may be in them.
                if sanitised(site):
                    assert {e.tag for e in page.elements} <= TAGS, (entry["location"], field)


def test_search_index_entries_are_safe_html(site: Path) -> None:
    check_search_index(site)


def test_no_local_file_is_copied_into_the_site(site: Path) -> None:
    for path in site.rglob("*"):
        if path.suffix in (".html", ".json", ".xml", ".md"):
            assert SECRET not in path.read_text(encoding="utf-8"), path


def test_hand_written_pages_keep_their_owners_markup(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<b>own markup</b>" in home


def test_plain_text_is_shown_exactly_as_typed(site: Path) -> None:
    raw = (site / "personas/fidelity/index.html").read_text(encoding="utf-8")
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", raw, re.DOTALL)
    assert heading is not None
    shown = html.unescape(re.sub(r"<[^>]+>", "", heading.group(1))).replace("¶", "").strip()
    # The shortcode stays text (no icon from a CDN), the entity shows as typed, and the
    # override is closed inside an isolate, so it cannot reverse what follows the title.
    assert shown == "\u2068:smile: Sal & Co &amp; \u202eevil\u202c\u2069"
    # The kind's icon is the heading's only icon.
    assert heading.group(1).count("twemoji") == 1 and "<img" not in heading.group(1)
    title = Page(raw).title
    assert title.startswith("\u2068:smile: Sal & Co &amp; \u202eevil\u202c\u2069 - ")
    assert "Line one line two line three" in html.unescape(raw)
    # An indented code block in a body shows its < as typed, and its braces too.
    assert "<pre><code>&lt;b&gt;kept&lt;/b&gt; {: x }\n</code></pre>" in raw


def test_tags_typed_composed_and_decomposed_are_one_tag(site: Path) -> None:
    raw = (site / "personas/index.html").read_text(encoding="utf-8")
    buttons = re.findall(r'data-tag="([^"]*)"', raw)
    cafes = [b for b in buttons if unicodedata.normalize("NFC", html.unescape(b)) == "café"]
    assert cafes == ["café"]


# -- the sanitiser keeps what readers see -------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Tooltips, alt text and labels are text a reader sees too.
        for name, value in attrs:
            if name in ("title", "alt", "placeholder", "aria-label") and value:
                self.parts.append(f"[{name}={value}]")


def visible_text(source: str) -> str:
    """The text a reader sees in an HTML fragment, whitespace folded."""
    parser = _Text()
    parser.feed(source)
    parser.close()
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


CAPTURE_CONTENT = """
import json, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs_playbook.engine import plugin

captured = {}
original = plugin.sanitize_html
def keep(content):
    cleaned = original(content)
    captured[len(captured)] = [content, cleaned]
    return cleaned
plugin.sanitize_html = keep
config = load_config(config_file="mkdocs.yml", site_dir="site")
config.plugins["playbook"].config["workers"] = 1  # Capture here, not in worker processes.
build(config)
json.dump(captured, open("captured.json", "w"))
"""


@pytest.mark.parametrize("source", ["fixture", "shipped"])
def test_sanitising_benign_pages_loses_no_visible_text(tmp_path: Path, source: str) -> None:
    import subprocess
    import sys

    root = tmp_path / source
    if source == "fixture":
        shutil.copytree(EVERYTHING, root)
        (root / "mkdocs.yml").write_text(
            "site_name: Fixture\ntheme:\n  name: material\nplugins:\n  - search\n"
            "  - playbook\nmarkdown_extensions:\n  - toc:\n      permalink: true\n"
        )
    else:
        root.mkdir()
        for name in ("mkdocs.yml", "playbooks", "docs", "theme_overrides"):
            copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy
            copy(REPO / name, root / name)
    result = subprocess.run(
        [sys.executable, "-c", CAPTURE_CONTENT],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    pages = json.loads((root / "captured.json").read_text(encoding="utf-8"))
    assert len(pages) > 30
    for before, after in pages.values():
        assert visible_text(after) == visible_text(before)
        assert after == sanitize_html(after)  # cleaning twice changes nothing


# -- kind files: their text is data too ---------------------------------------------------------


def hostile_kinds(payloads: list[str]) -> dict[str, str]:
    """Every payload in every text of a kind file: one kind per payload, one entity each, and
    the built-in persona relabelled."""
    files: dict[str, str] = {
        "playbooks/personas/_kind.yaml": (
            f"label: {_q(payloads[1])}\nplural: {_q(payloads[15])}\n"
            f"fields:\n  barriers: {{label: {_q(payloads[2])}, description: {_q(payloads[0])}}}\n"
        ),
        "playbooks/personas/sally.yaml": (
            "title: Sally\nsummary: Plain.\nbarriers: [b]\nmotivators: [m]\n"
        ),
    }
    for i, p in enumerate(payloads):
        q = _q(p)
        files[f"playbooks/k{i}/_kind.yaml"] = (
            f"name: k{i}\nlabel: {q}\nplural: {q}\ndescription: {q}\nfields:\n"
            f"  colour: {{type: enum, values: [{q}, plain], label: {q}, description: {q}}}\n"
            f"  owner: {{type: ref, kind: persona, label: {q}, inverse: {q}}}\n"
            f"  parts:\n    type: list\n    label: {q}\n    schema_title: {q}\n    item:\n"
            f"      part: {{type: text, label: {q}, description: {q}}}\n"
            f"      count: {{type: integer, label: {q}}}\n"
        )
        files[f"playbooks/k{i}/e{i}.yaml"] = (
            f"title: Entity {i}\nsummary: Plain.\ncolour: {q}\nowner: sally\n"
            "parts:\n  - {part: a, count: 1}\n"
        )
        # Nothing refers to it: the health page lists it, with its file.
        files[f"playbooks/k{i}/orphan.yaml"] = f"title: Orphan {i}\nsummary: Plain.\n"
    return files


KIND_BUILDS = ("plugin", "export", "zensical")


@pytest.fixture(scope="module", params=KIND_BUILDS)
def kind_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile kind files under the shipped config: built by the plugin, and exported and
    built by plain MkDocs and by Zensical."""
    if request.param == "zensical":
        pytest.importorskip("zensical", reason="Zensical installs only where its wheel exists")
    root = tmp_path_factory.mktemp(f"kinds-{request.param}")
    config = shipped_config().replace(
        "      nav: kinds\n", "      nav: kinds\n      health_page: true\n"
    )
    assert "health_page" in config
    write(root, {"mkdocs.yml": config})
    write_files(root, {**hostile_kinds(PAYLOADS), **DOCS})
    if request.param != "plugin":
        return export_and_build(root, request.param)
    result = run_mkdocs(root, "build")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return root / "site"


def shown(text: str) -> str:
    """Plain text as a page shows it: line breaks folded, blanks folded for comparing."""
    return " ".join(text.split())


def _text(fragment: str) -> str:
    return shown(html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("¶", ""))


def test_no_page_can_run_kind_text(kind_site: Path) -> None:
    pages = sorted(kind_site.rglob("*.html"))
    assert len(pages) > 2 * len(PAYLOADS)
    found = {}
    for path in pages:
        relative = path.relative_to(kind_site).as_posix()
        # The nav is on every page: hand-written ones must not run its titles either.
        generated = relative not in ("index.html", "404.html")
        page = Page(path.read_text(encoding="utf-8"))
        issues = sorted(set(problems(page, allowlist=generated and sanitised(kind_site))))
        if issues:
            found[relative] = issues
    assert found == {}


def test_kind_text_is_shown_as_typed(kind_site: Path) -> None:
    home = (kind_site / "index.html").read_text(encoding="utf-8")
    nav = _text(home[home.index("md-nav--primary") : home.index('class="md-content"')])
    guide = _text((kind_site / "authors/authoring-guide/index.html").read_text(encoding="utf-8"))
    sally = _text((kind_site / "personas/sally/index.html").read_text(encoding="utf-8"))
    for i, payload in enumerate(PAYLOADS):
        typed = shown(payload)
        raw = (kind_site / f"k{i}/index.html").read_text(encoding="utf-8")
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", raw, re.DOTALL)
        assert heading is not None and _text(heading.group(1)) == typed, i
        assert shown(Page(raw).title).startswith(typed + " - "), i
        assert typed in nav, i
        # The filter's labels, and the icon's tooltip on each card.
        labels = {e.attrs.get("aria-label", "") for e in Page(raw).elements}
        assert shown("Filter " + payload.lower()) in {shown(label) for label in labels}, i
        entity = (kind_site / f"k{i}/e{i}/index.html").read_text(encoding="utf-8")
        tooltips = {shown(e.attrs["title"]) for e in Page(entity).elements if "title" in e.attrs}
        assert typed in tooltips, i
        # Field labels and the enum value on the page; the inverse on the page it names.
        assert f"{typed}: {typed}" in _text(entity), i
        assert f"{typed}: Entity {i}" in sally, i
        # The guide: the enum value in the field table.
        assert f"one of: {typed}, plain" in guide, i
    health = _text((kind_site / "authors/health/index.html").read_text(encoding="utf-8"))
    assert all(f"Orphan {i} · playbooks/k{i}/orphan.yaml:1" in health for i in range(len(PAYLOADS)))


def test_kind_text_in_search_is_safe_html(kind_site: Path) -> None:
    check_search_index(kind_site)


def test_kind_text_in_schemas_is_data(kind_site: Path) -> None:
    for i, payload in enumerate(PAYLOADS):
        path = kind_site / f"schemas/k{i}.schema.json"
        if not path.is_file():
            pytest.skip("the export publishes no schemas")
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert schema["title"] == payload
        assert payload in [d["title"] for d in schema["$defs"].values()]
        colour = schema["properties"]["colour"]
        assert [payload, "plain"] in [b.get("enum") for b in colour.get("anyOf", [colour])]


@pytest.mark.parametrize("chrome", ["", '<div class="md-dialog">x</div>'])
def test_the_sanitiser_keeps_a_table_cells_alignment_and_no_other_style(chrome: str) -> None:
    aligned = (
        '<table><thead><tr><th style="text-align: left;">a</th>'
        '<th style="text-align: center;">b</th><th style="text-align: right;">c</th>'
        '</tr></thead><tbody><tr><td style="text-align: center;">1</td></tr></tbody></table>'
    )
    assert sanitize_html(aligned + chrome).startswith(aligned)
    for hostile in [
        '<td style="text-align: center; background: url(https://x.example/t)">1</td>',
        '<td style="color: red">1</td>',
        '<td style="text-align: justify;">1</td>',
        '<td style="text-align:center">1</td>',
        '<td STYLE="position: fixed">1</td>',
        '<p style="text-align: center;">1</p>',
        '<div style="text-align: center;">1</div>',
    ]:
        cleaned = sanitize_html(f"<table><tr>{hostile}</tr></table>{chrome}")
        others = cleaned.lower().replace(' style="text-align: center;"', "")
        assert "style" not in others and "<th>" not in cleaned, hostile
        assert "color" not in cleaned and "url(" not in cleaned and "fixed" not in cleaned
    # An attribute written twice is read once, as the browser reads it: the first.
    twice = '<table><tr><th style="text-align: center;" style="color: red">1</th></tr></table>'
    assert sanitize_html(twice + chrome).startswith(
        '<table><tbody><tr><th style="text-align: center;">1</th>'
    )


# -- image paths are untrusted too -------------------------------------------------------------

IMAGE_PATHS = [
    "../../secret.txt",
    "../../secret.png",
    "/etc/passwd",
    "_assets/../../../secret.png",
    "_assets/evil.svg",
    "_assets/evil.SVG",
    "javascript:alert('XSS')//.png",
    "JaVaScRiPt:alert('XSS').png",
    "data:image/png;base64,iVBORw0KGgo=",
    "//evil.example/XSS.png",
    "https://evil.example/XSS.png",
    "file:///etc/passwd.png",
    "_assets/link.png",
    "C:\\\\Windows\\\\XSS.png",
    "_assets/missing.png",
    "<img src=x onerror=alert('XSS')>.png",
]


@pytest.mark.parametrize("src", IMAGE_PATHS)
def test_an_image_path_that_is_not_a_file_of_the_collection_is_one_located_error(
    tmp_path: Path, src: str
) -> None:
    root = tmp_path / "project"
    write(
        root,
        {
            "playbooks/runbooks/_kind.yaml": "name: runbook\nfields:\n  picture: {type: image}\n",
            "playbooks/runbooks/a.yaml": f"title: A\nsummary: S.\npicture: {_q(src)}\n",
            "playbooks/runbooks/_assets/evil.svg": "<svg onload=\"alert('XSS')\"/>",
            "playbooks/runbooks/_assets/evil.SVG": "<svg onload=\"alert('XSS')\"/>",
            "secret.png": SECRET,
        },
    )
    (root / "playbooks/runbooks/_assets/link.png").symlink_to(root / "secret.png")
    result = load_playbook(root / "playbooks", project_dir=root)
    assert [(d.path, d.line, d.column, d.field) for d in result.diagnostics] == [
        ("playbooks/runbooks/a.yaml", 3, 10, "picture")
    ], result.diagnostics
    assert result.playbook.images == {}


@pytest.mark.parametrize("src", IMAGE_PATHS)
def test_an_image_path_in_a_step_is_checked_as_one_of_the_kind_itself(
    tmp_path: Path, src: str
) -> None:
    root = tmp_path / "project"
    write(
        root,
        {
            "playbooks/runbooks/_kind.yaml": (
                "name: runbook\nfields:\n  steps:\n    type: steps\n    item:\n"
                "      action: {type: markdown}\n      picture: {type: image}\n"
            ),
            "playbooks/runbooks/a.yaml": (
                f"title: A\nsummary: S.\nsteps:\n  - action: Go.\n    picture: {_q(src)}\n"
            ),
            "playbooks/runbooks/_assets/evil.svg": "<svg onload=\"alert('XSS')\"/>",
            "playbooks/runbooks/_assets/evil.SVG": "<svg onload=\"alert('XSS')\"/>",
            "secret.png": SECRET,
        },
    )
    (root / "playbooks/runbooks/_assets/link.png").symlink_to(root / "secret.png")
    result = load_playbook(root / "playbooks", project_dir=root)
    assert [(d.path, d.line, d.column, d.field) for d in result.diagnostics] == [
        ("playbooks/runbooks/a.yaml", 5, 14, "steps[0].picture")
    ], result.diagnostics
    assert result.playbook.images == {}

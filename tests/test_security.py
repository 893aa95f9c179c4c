"""Hostile YAML, in the spirit of OWASP's XSS filter-evasion cheat sheet, built for real.

Every payload goes into every kind of field (plain text, Markdown, tags, table cells, keys,
diagram labels, advice titles, sources) of a playbook, which is built once under the shipped
`mkdocs.yml` and once under a config that adds `pymdownx.snippets`, `attr_list`,
`md_in_html` and an entity nav. Then every page, the nav, `<title>`, tooltips and the search
index are parsed and checked: no event handler, no script-capable URL, no script of ours, no
element outside the allowlist in generated content, and no local file copied in.
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

import pytest

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


@pytest.fixture(scope="module", params=[*sorted(CONFIGS), "escaping-only"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile playbook, built once per config (and once without the sanitiser)."""
    root = tmp_path_factory.mktemp(request.param)
    write(root, {"mkdocs.yml": CONFIGS.get(request.param, CONFIGS["shipped"])})
    for relative, text in {**hostile_playbook(PAYLOADS), **FIDELITY, **DOCS}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
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
    assert (site / "coverage/index.html").is_file()


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


def test_search_index_entries_are_safe_html(site: Path) -> None:
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert len(index["docs"]) > len(PAYLOADS)
    for entry in index["docs"]:
        for field in ("title", "text"):
            page = Page(entry[field])
            assert list(problems(page, allowlist=False)) == [], (entry["location"], field)
            # Material shows these as HTML: only what the sanitiser keeps may be in them.
            if sanitised(site):
                assert {e.tag for e in page.elements} <= TAGS, (entry["location"], field)


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

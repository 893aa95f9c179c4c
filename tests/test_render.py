"""Rendering to Markdown: golden pages for one entity of each kind, and untrusted text."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from mkdocs_playbook.kinds.registry import builtin_kinds
from mkdocs_playbook.load.loader import load_playbook
from mkdocs_playbook.render.pages import Renderer
from mkdocs_playbook.resolve.refs import resolve_refs

from .conftest import EVERYTHING, write

KIND_BY_NAME = builtin_kinds().by_name

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

ONE_OF_EACH = {
    "discipline": "outreach",
    "comparison": "strategy-vs-campaign",
    "persona": "busy-parent",
    "strategy": "reading-for-all",
    "campaign": "summer-reading-challenge",
    "stage": "delivery",
    "metric": "library-card-signups",
    "channel": "newsletter",
    "case-study": "riverside-pilot",
    "play": "host-a-taster-session",
}


def renderer_for(root: Path, **options: object) -> Renderer:
    result = load_playbook(root / "playbooks", project_dir=root)
    assert result.errors == []
    links, _ = resolve_refs(result.playbook)
    return Renderer(result.playbook, links, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return renderer_for(EVERYTHING, edit_url=lambda path: f"https://example.org/edit/{path}")


def check_golden(name: str, markdown: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(markdown, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == markdown, f"{name} differs (UPDATE_GOLDEN=1)"


@pytest.mark.parametrize(("kind", "ident"), sorted(ONE_OF_EACH.items()))
def test_entity_page_matches_its_golden_markdown(renderer: Renderer, kind: str, ident: str) -> None:
    entity = renderer.playbook.get(kind, ident)
    assert entity is not None
    check_golden(f"{kind}.md", renderer.render_entity_page(entity))


@pytest.mark.parametrize("kind", ["stage", "strategy", "play", "metric"])
def test_kind_index_matches_its_golden_markdown(renderer: Renderer, kind: str) -> None:
    check_golden(f"{kind}-index.md", renderer.render_kind_index(KIND_BY_NAME[kind]))


@pytest.mark.parametrize(
    ("path", "golden"),
    [("which-do-i-need.md", "which-do-i-need.md"), ("authors/coverage.md", "coverage.md")],
)
def test_extra_page_matches_its_golden_markdown(renderer: Renderer, path: str, golden: str) -> None:
    assert path in renderer.extra_page_paths()
    check_golden(golden, renderer.render_extra_page(path))


def test_template_override_replaces_the_packaged_one(tmp_path: Path) -> None:
    overrides = write(tmp_path / "overrides", {"metric.md.jinja": "# Custom {{ e.title }}\n"})
    renderer = renderer_for(EVERYTHING, override_dirs=[overrides])
    entity = renderer.playbook.get("metric", "books-borrowed")
    assert entity is not None
    assert renderer.render_entity_page(entity) == "# Custom Books borrowed\n"


LOOPING_TREE = """\
title: {title}
summary: Two options.
subjects: [discipline:a, discipline:b]
dimensions:
  - name: Aim
    values: {{a: One., b: Two.}}
question: {question}
answers:
  - answer: "Back <to> the start"
    then: comparison:{then}
  - answer: Settle it
    choose: discipline:a
"""


def test_a_question_tree_that_loops_asks_each_question_once(tmp_path: Path) -> None:
    discipline = "title: {0}\nsummary: The {0} one.\n"
    write(
        tmp_path,
        {
            "playbooks/disciplines/a.yaml": discipline.format("A"),
            "playbooks/disciplines/b.yaml": discipline.format("B"),
            "playbooks/comparisons/first.yaml": LOOPING_TREE.format(
                title="First", question="Which first?", then="second"
            ),
            "playbooks/comparisons/second.yaml": LOOPING_TREE.format(
                title="Second", question="Which second?", then="first"
            ),
        },
    )
    page = renderer_for(tmp_path).render_extra_page("which-do-i-need.md")
    assert page.count('question "Which first?"') == 1
    assert page.count('question "Which second?"') == 1
    assert '??? tip "Back &lt;to&gt; the start"' in page
    assert "Read on: [First](comparisons/first.md" in page
    assert '**You need [A](disciplines/a.md "The A one.").** Why: [Second]' in page


HOSTILE = """\
title: "<script>alert('t')</script> *Sally*"
summary: "Summary <img src=x onerror=alert(1)> | pipe"
barriers:
  - "Raw <b onclick=alert(1)>html</b> and [click](javascript:alert(1))"
  - "![img](data:text/html;base64,PHNjcmlwdD4=) and [ok](https://example.org)"
  - "`<code>` stays code"
motivators:
  - "[entity](JaVaScRiPt:alert(1)) [spaced](&#106;avascript:alert(1))"
demographics:
  "<i>age</i>": "<u>30</u>"
"""


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("hostile")
    write(root, {"playbooks/personas/sally.yaml": HOSTILE})
    renderer = renderer_for(root)
    entity = renderer.playbook.get("persona", "sally")
    assert entity is not None
    return renderer.render_entity_page(entity)


def test_html_in_plain_text_fields_is_escaped(hostile_page: str) -> None:
    assert "# &lt;script&gt;alert\\('t'\\)&lt;/script&gt; \\*Sally\\*" in hostile_page
    assert "Summary &lt;img src=x onerror=alert\\(1\\)&gt; \\| pipe" in hostile_page
    assert "- **&lt;i&gt;age&lt;/i&gt;:** &lt;u&gt;30&lt;/u&gt;" in hostile_page


def test_raw_html_in_markdown_fields_is_escaped(hostile_page: str) -> None:
    assert "Raw &lt;b onclick=alert(1)>html&lt;/b>" in hostile_page
    assert "<b" not in hostile_page.replace("`<code>`", "")


def test_script_and_data_urls_never_become_links(hostile_page: str) -> None:
    lowered = hostile_page.lower()
    assert "javascript:" not in lowered
    assert "data:" not in lowered
    assert "&#106;avascript" not in lowered
    assert "[ok](https://example.org)" in hostile_page


def test_code_spans_are_left_alone(hostile_page: str) -> None:
    # The barriers sit in a profile card, an HTML block md_in_html parses: there a code
    # span is written as a code element, so its text cannot be read as HTML.
    assert "- <code>&lt;code&gt;</code> stays code" in hostile_page


def test_titles_cannot_break_or_inject_into_the_stage_flow(tmp_path: Path) -> None:
    hostile = 'Research"><img src=x onerror=alert(1)>`'
    write(
        tmp_path,
        {
            "playbooks/stages/one.yaml": f"title: '{hostile}'\nsummary: s\norder: 1\n",
            "playbooks/stages/two.yaml": "title: Two\nsummary: s\norder: 2\n",
        },
    )
    renderer = renderer_for(tmp_path)
    entity = renderer.playbook.get("stage", "two")
    assert entity is not None
    page = renderer.render_entity_page(entity)
    flow = page[page.index('<ol class="playbook-flow">') : page.index("</ol>")]
    assert '">1. Research&#34;&gt;&lt;img src=x onerror=alert(1)&gt;`</a></li>' in flow
    assert "<img" not in flow


def test_titles_cannot_break_or_inject_into_the_strategy_map(tmp_path: Path) -> None:
    hostile = 'Push"] --> evil["<img src=x onerror=alert(1)>`'
    write(
        tmp_path,
        {
            "playbooks/strategies/plan.yaml": """\
                title: Plan
                summary: s
                horizon: 1 year
                objectives:
                  - {statement: s, metric: m, target: t, deadline: Q3 2030}
                """,
            "playbooks/metrics/m.yaml": "title: M\nsummary: s\n",
            "playbooks/campaigns/push.yaml": f"title: '{hostile}'\nsummary: s\nstrategy: plan\n",
        },
    )
    renderer = renderer_for(tmp_path)
    entity = renderer.playbook.get("strategy", "plan")
    assert entity is not None
    page = renderer.render_entity_page(entity)
    diagram = page[page.index('<div class="playbook-map">') : page.index("</div>")]
    assert '">Push&#34;] --&gt; evil[&#34;&lt;img src=x onerror=alert(1)&gt;`</a>\n' in diagram
    assert "<img" not in diagram
    # Each attribute value is one quoted string: nothing broke out of one.
    assert diagram.count('"') == 2 * diagram.count('="')


@pytest.mark.parametrize(
    ("from_url", "to_url", "expected"),
    [
        ("personas/sally/", "campaigns/x/", "../../campaigns/x/"),
        ("personas/sally/", "", "../../"),
        ("", "personas/sally/", "personas/sally/"),
        ("personas/", "personas/sally/", "sally/"),
        ("personas/sally/", "personas/", "../"),
        ("personas/sally/", "personas/sally/", "./"),
        ("a.html", "b/c.html", "b/c.html"),
        ("b/d.html", "b/c.html", "c.html"),
        ("b/d.html", "e/c.html", "../e/c.html"),
    ],
)
def test_diagram_links_are_relative_to_the_page(from_url: str, to_url: str, expected: str) -> None:
    from mkdocs_playbook.render.pages import relative_url

    assert relative_url(from_url, to_url) == expected


@pytest.mark.parametrize(
    ("from_page", "to_page", "expected"),
    [
        ("personas/a.md", "personas/b.md", "b.md"),
        ("personas/a.md", "stages/x.md", "../stages/x.md"),
        ("index.md", "stages/x.md", "stages/x.md"),
        ("personas/index.md", "index.md", "../index.md"),
    ],
)
def test_markdown_links_are_relative_to_the_page(
    from_page: str, to_page: str, expected: str
) -> None:
    from mkdocs_playbook.render.pages import relative_link

    assert relative_link(from_page, to_page) == expected


def test_an_overridden_relation_map_says_what_it_leaves_out(tmp_path: Path) -> None:
    plays = {
        f"playbooks/plays/p{n:02}.yaml": f"title: Play {n}\nsummary: s\nwhy: w\nhow: [h]\n"
        "metrics: [m]\n"
        for n in range(15)
    }
    write(tmp_path, {"playbooks/metrics/m.yaml": "title: M\nsummary: s\n", **plays})
    overrides = write(
        tmp_path / "overrides",
        {
            "metric.md.jinja": (
                '{% extends "entity.md.jinja" %}\n'
                "{% block relations %}{{ m.relation_map(entity) }}{% endblock %}\n"
            )
        },
    )
    renderer = renderer_for(tmp_path, override_dirs=[overrides])
    entity = renderer.playbook.get("metric", "m")
    assert entity is not None
    page = renderer.render_entity_page(entity)
    incoming = page[page.index("Links here") : page.index("</ul>")]
    assert incoming.count('<a class="playbook-map__node"') == 12
    assert "The map leaves out 3 of 15 related pages." in page
    assert "``` mermaid" not in page


def test_a_capped_strategy_map_says_what_it_leaves_out(tmp_path: Path) -> None:
    campaigns = {
        f"playbooks/campaigns/c{n:02}.yaml": f"title: Push {n}\nsummary: s\nstrategy: plan\n"
        f"personas: [{', '.join(f'p{k}' for k in range(6))}]\n"
        for n in range(10)
    }
    persona = "summary: s\nbarriers: [b]\nmotivators: [c]\n"
    personas = {f"playbooks/personas/p{k}.yaml": f"title: P{k}\n{persona}" for k in range(6)}
    strategy = (
        "title: Plan\nsummary: s\nhorizon: 1 year\n"
        "objectives:\n  - {statement: s, metric: m, target: t, deadline: Q3 2030}\n"
    )
    write(
        tmp_path,
        {
            "playbooks/strategies/plan.yaml": strategy,
            "playbooks/metrics/m.yaml": "title: M\nsummary: s\n",
            **campaigns,
            **personas,
        },
    )
    renderer = renderer_for(tmp_path)
    entity = renderer.playbook.get("strategy", "plan")
    assert entity is not None
    page = renderer.render_entity_page(entity)
    # Eight of ten campaigns, four of six personas each: 2 campaigns and 8 x 2 links left.
    assert page.count('href="../../campaigns/c') == 8
    assert "The map leaves out 2 of 10 campaigns and 16 links from campaigns to personas." in page


def test_plays_index_is_grouped_by_stage_in_flow_order(renderer: Renderer) -> None:
    markdown = renderer.render_kind_index(KIND_BY_NAME["play"])
    headings = [line for line in markdown.splitlines() if line.startswith("### ")]
    # The fixture's stages run scoping, delivery, review; plays sit under their own stage.
    assert [h.split("[", 1)[1].split("]", 1)[0] for h in headings] == ["Scoping", "Delivery"]
    assert markdown.count('class="playbook-filter"') == 1


def test_metrics_index_is_grouped_by_category_in_the_enum_order(renderer: Renderer) -> None:
    markdown = renderer.render_kind_index(KIND_BY_NAME["metric"])
    headings = [line for line in markdown.splitlines() if line.startswith("### ")]
    # The categories run as the kind lists them (not A to Z), each under its label.
    assert headings == ["### Engagement", "### Conversion", "### Behaviour"]
    groups = markdown.split("### ")[1:]
    assert "[Newsletter opens]" in groups[0]
    assert "[Library card sign ups]" in groups[1]
    assert "[Books borrowed]" in groups[2]
    assert markdown.count('class="playbook-filter"') == 1


def test_the_stages_index_links_each_stage_once_in_its_flow(renderer: Renderer) -> None:
    markdown = renderer.render_kind_index(KIND_BY_NAME["stage"])
    for stage in ("scoping", "delivery", "review"):
        assert markdown.count(f"]({stage}.md") + markdown.count(f'"{stage}/"') == 1, stage
    # One numbered column of cards, in the flow's order, each with its summary.
    assert markdown.count('<ol class="playbook-flow playbook-flow--cards" markdown>') == 1
    assert markdown.count("## ") == 1
    steps = re.findall(r"\*\*(\d)\. \[([^\]]+)\]", markdown)
    assert steps == [("1", "Scoping"), ("2", "Delivery"), ("3", "Review")]
    assert "Run the campaign on the chosen channels" in markdown


def test_a_tag_every_entity_of_a_kind_carries_is_no_filter(tmp_path: Path) -> None:
    common = "summary: S.\nbarriers: [B]\nmotivators: [M]\n"
    write(
        tmp_path,
        {
            "playbooks/personas/a.yaml": "title: A\ntags: [persona, young]\n" + common,
            "playbooks/personas/b.yaml": "title: B\ntags: [persona]\n" + common,
        },
    )
    result = load_playbook(tmp_path / "playbooks", project_dir=tmp_path)
    links, _ = resolve_refs(result.playbook)
    page = Renderer(result.playbook, links).render_kind_index(KIND_BY_NAME["persona"])
    assert 'data-tag="young"' in page and 'data-tag="persona"' not in page
    assert "<code>persona</code>" not in page and "<code>young</code>" in page


def test_coverage_has_a_table_for_each_column_its_kind_file_declares(renderer: Renderer) -> None:
    from mkdocs_playbook.render.pages import coverage

    playbook = renderer.playbook
    persona = playbook.kinds.by_name["persona"]
    declared = {
        "through": ["campaign", "strategy"],
        "columns": [
            {"kind": "stage", "also_via": "play", "heading": "By stage", "caption": "Stages"},
            {"kind": "channel", "heading": "By channel", "caption": "Channels"},
            {
                "kind": "metric",
                "heading": "By metric",
                "caption": "Metrics",
                "transpose": True,
                "only_used": True,
            },
        ],
    }
    tables = coverage(playbook, persona, declared).tables
    assert [(t.heading, t.caption, t.corner) for t in tables] == [
        ("By stage", "Stages", "Persona"),
        ("By channel", "Channels", "Persona"),
        ("By metric", "Metrics", "Metric"),
    ]
    assert [t.numbered for t in tables] == [True, False, False]
    personas = playbook.of_kind(persona)
    assert tables[0].rows == personas and tables[1].rows == personas
    assert tables[2].columns == personas
    metrics = {target for _, target in tables[2].cells}
    assert [m.id for m in tables[2].rows] == [
        m.id for m in playbook.of_kind(playbook.kinds.by_name["metric"]) if m.id in metrics
    ]
    assert tables[2].cells, "campaigns name metrics for the personas they target"


def test_table_cells_are_labelled_with_their_column_for_stacked_rows_on_a_phone() -> None:
    import markdown

    from mkdocs_playbook.render.sanitize import sanitize_html

    source = (
        "| Message | [Tested](https://example.org) with <b> & co |\n"
        "| --- | --- |\n"
        "| Quit | *Sally* |\n"
        "| Stay | |\n"
    )
    html = markdown.markdown(source, extensions=["tables", "mkdocs_playbook.render.table_labels"])
    cleaned = sanitize_html(html)
    assert '<td data-label="Message">Quit</td>' in cleaned
    assert '<td data-label="Tested with &amp; co"><em>Sally</em></td>' in cleaned
    assert '<td data-label="Tested with &amp; co"></td>' in cleaned


def test_a_tick_box_is_named_by_its_items_text_for_a_screen_reader() -> None:
    import markdown

    from mkdocs_playbook.render.sanitize import sanitize_html

    source = (
        "- [ ] Tell the [lead](x) & *co*, \\*now\\* &lt;b&gt;\n"
        "- [x] Check `lag < 10` <b>first</b>\n"
        "    - [ ] nested\n"
    )
    html = markdown.markdown(
        source,
        extensions=["pymdownx.tasklist", "mkdocs_playbook.render.table_labels"],
        extension_configs={"pymdownx.tasklist": {"custom_checkbox": True}},
    )
    boxes = re.findall(r"<input [^>]*>", sanitize_html(html))
    assert boxes == [
        '<input type="checkbox" aria-label="Tell the lead &amp; co, *now* &lt;b&gt;" disabled="">',
        '<input type="checkbox" aria-label="Check lag &lt; 10 first" disabled="" checked="">',
        '<input type="checkbox" aria-label="nested" disabled="">',
    ]


def test_a_related_block_shows_eight_links_and_folds_the_rest(tmp_path: Path) -> None:
    files = {"playbooks/metrics/reach.yaml": "title: Reach\nsummary: How many saw it.\n"}
    for n in range(10):
        files[f"playbooks/plays/play-{n}.yaml"] = (
            f"title: Play {n}\nsummary: Play {n}.\nwhy: Why.\nhow: [Do it.]\nmetrics: [reach]\n"
        )
    for n in range(3):
        files[f"playbooks/disciplines/field-{n}.yaml"] = (
            f"title: Field {n}\nsummary: Field {n}.\nmetrics: [reach]\n"
        )
    write(tmp_path, files)
    renderer = renderer_for(tmp_path)
    entity = renderer.playbook.get("metric", "reach")
    assert entity is not None
    related = renderer.render_entity_page(entity).split("## Related", 1)[1]
    folded = re.findall(r"<details.*?</details>", related, re.S)
    shown = re.sub(r"<details.*?</details>", "", related, flags=re.S)
    assert shown.count("](../") == 8
    assert len(folded) == 1
    assert "<summary>5 more</summary>" in folded[0]
    assert "[Play 5](../plays/play-5.md" in folded[0]


def test_a_discipline_shows_its_comparison_rows_naming_refs_without_linking_them(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "playbooks/disciplines/a.yaml": "title: Alpha\nsummary: The first.\n",
            "playbooks/disciplines/b.yaml": "title: Beta\nsummary: The second.\n",
            "playbooks/channels/post.yaml": "title: Post\nsummary: Letters.\n",
            "playbooks/comparisons/a-vs-b.yaml": (
                "title: Alpha or beta\nsummary: Two.\nsubjects: [discipline:b, discipline:a]\n"
                "dimensions:\n  - name: Reach\n    values:\n"
                "      a: By [](channel:post) | mostly\n      b: By `code`\n"
            ),
        },
    )
    renderer = renderer_for(tmp_path)
    entity = renderer.playbook.get("discipline", "a")
    assert entity is not None
    page = renderer.render_entity_page(entity)
    assert "| Dimension | Alpha | Beta |\n| --- | --- | --- |\n" in page
    assert "| Reach | By Post \\| mostly | By <code>code</code> |\n" in page

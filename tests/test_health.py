"""Content health: warnings, orphans, untargeted personas, unmeasured metrics, and the page."""

from __future__ import annotations

from pathlib import Path

from mkdocs_playbook.authoring.health import (
    ERROR,
    ORPHAN,
    WARNING,
    HealthItem,
    checks_in_order,
    content_health,
    render_health_page,
)
from mkdocs_playbook.entities import Playbook
from mkdocs_playbook.kinds.registry import builtin_kinds
from mkdocs_playbook.load.loader import load_playbook
from mkdocs_playbook.resolve.refs import resolve_refs

from .conftest import EVERYTHING, write

CHECKS = checks_in_order(Playbook({}, builtin_kinds()))
UNTARGETED_PERSONA = next(c for c in CHECKS if c.title == "Personas no campaign targets")
UNMEASURED_METRIC = next(c for c in CHECKS if c.title == "Metrics nothing measures")

PLAYBOOK = {
    "strategies/plan.yaml": """\
        title: Plan
        summary: The plan.
        horizon: 1 year
        objectives:
          - {statement: Quit., metric: quits, target: 10, deadline: 2027-01-01}
        audiences: [sally, tom]
        """,
    "campaigns/push.yaml": """\
        title: Push
        summary: A push.
        strategy: plan
        personas: [sally]
        related: [play:nothing]
        """,
    "personas/sally.yaml": "title: Sally\nsummary: S.\nbarriers: [B]\nmotivators: [M]\n",
    "personas/tom.yaml": "title: Tom\nsummary: T.\nbarriers: [B]\nmotivators: [M]\n",
    "metrics/quits.yaml": "title: Quits\nsummary: Q.\n",
    "metrics/reach.yaml": "title: Reach\nsummary: R.\n",
    "channels/radio.yaml": "title: Radio\nsummary: R.\nformats: [jingle]\n",
    "plays/broken.yaml": "title: Broken\nsummary: B.\n",
}


def health(root: Path, files: dict[str, str]) -> list[HealthItem]:
    """The health items of a playbook written from ``files``."""
    write(root, {f"playbooks/{path}": text for path, text in files.items()})
    result = load_playbook(root / "playbooks", project_dir=root)
    links, diagnostics = resolve_refs(result.playbook)
    return content_health(result.playbook, links, result.diagnostics + diagnostics)


def test_fixture_of_every_kind_is_healthy() -> None:
    result = load_playbook(EVERYTHING / "playbooks", project_dir=EVERYTHING)
    links, diagnostics = resolve_refs(result.playbook)
    assert content_health(result.playbook, links, result.diagnostics + diagnostics) == []


def test_health_lists_problems_orphans_untargeted_personas_and_unmeasured_metrics(
    tmp_path: Path,
) -> None:
    items = health(tmp_path, PLAYBOOK)
    assert [(i.check, i.path, i.title) for i in items] == [
        (ERROR, "playbooks/plays/broken.yaml", None),
        (ERROR, "playbooks/plays/broken.yaml", None),
        (WARNING, "playbooks/campaigns/push.yaml", "Push"),
        (ORPHAN, "playbooks/channels/radio.yaml", "Radio"),
        (ORPHAN, "playbooks/metrics/reach.yaml", "Reach"),
        (UNTARGETED_PERSONA, "playbooks/personas/tom.yaml", "Tom"),
        (UNMEASURED_METRIC, "playbooks/metrics/reach.yaml", "Reach"),
    ]
    warning = items[2]
    assert (warning.line, warning.field, warning.message, warning.page) == (
        5,
        "related[0]",
        "unknown play 'nothing'; create plays/nothing.yaml or fix the ref",
        "campaigns/push.md",
    )


def test_a_metric_named_only_in_related_is_still_unmeasured(tmp_path: Path) -> None:
    files = {
        "metrics/reach.yaml": "title: Reach\nsummary: R.\n",
        "channels/radio.yaml": "title: Radio\nsummary: R.\nrelated: [metric:reach]\n",
    }
    assert [(i.check, i.title) for i in health(tmp_path, files)] == [(UNMEASURED_METRIC, "Reach")]


def test_health_page_links_each_item_to_its_entity_and_its_yaml(tmp_path: Path) -> None:
    items = health(tmp_path, PLAYBOOK)
    page = render_health_page(
        items,
        CHECKS,
        page_path="reports/health.md",
        edit_url=lambda path: f"https://example.org/{path}",
    )
    assert page == (
        "---\n"
        "search:\n"
        "  exclude: true\n"
        "---\n"
        "\n"
        "# Playbook health\n"
        "\n"
        "7 items to look at.\n"
        "\n"
        "## Errors (2)\n"
        "\n"
        "These stop `mkdocs build`.\n"
        "\n"
        "- `playbooks/plays/broken.yaml:1` · `how`: is required; add 'how:' "
        "([edit](https://example.org/playbooks/plays/broken.yaml))\n"
        "- `playbooks/plays/broken.yaml:1` · `why`: is required; add 'why:' "
        "([edit](https://example.org/playbooks/plays/broken.yaml))\n"
        "\n"
        "## Warnings (1)\n"
        "\n"
        "Unresolved refs and other warnings: `mkdocs build --strict` stops on them.\n"
        "\n"
        "- [Push](../campaigns/push.md) · `playbooks/campaigns/push.yaml:5` · `related[0]`: "
        "unknown play 'nothing'; create plays/nothing.yaml or fix the ref "
        "([edit](https://example.org/playbooks/campaigns/push.yaml))\n"
        "\n"
        "## Orphans (2)\n"
        "\n"
        "Entities that nothing refers to and that refer to nothing.\n"
        "\n"
        "- [Radio](../channels/radio.md) · `playbooks/channels/radio.yaml:1`: nothing refers "
        "to it and it refers to nothing ([edit](https://example.org/playbooks/channels/radio.yaml))\n"
        "- [Reach](../metrics/reach.md) · `playbooks/metrics/reach.yaml:1`: nothing refers to "
        "it and it refers to nothing ([edit](https://example.org/playbooks/metrics/reach.yaml))\n"
        "\n"
        "## Personas no campaign targets (1)\n"
        "\n"
        "Personas that no campaign lists in its `personas`.\n"
        "\n"
        "- [Tom](../personas/tom.md) · `playbooks/personas/tom.yaml:1`: no campaign targets "
        "it; list it in the personas of a campaign "
        "([edit](https://example.org/playbooks/personas/tom.yaml))\n"
        "\n"
        "## Metrics nothing measures (1)\n"
        "\n"
        "Metrics that no discipline, strategy, campaign KPI or play measures with.\n"
        "\n"
        "- [Reach](../metrics/reach.md) · `playbooks/metrics/reach.yaml:1`: nothing measures "
        "with it; name it in an objective, a KPI, or the metrics of a discipline, strategy or "
        "play ([edit](https://example.org/playbooks/metrics/reach.yaml))\n"
    )


def test_health_page_without_items_says_so_and_has_no_edit_links_by_default() -> None:
    assert render_health_page([], CHECKS).endswith(
        "# Playbook health\n\n"
        "Nothing to look at: every ref resolves, and every entity is linked to the others.\n"
    )


def test_health_page_escapes_author_text(tmp_path: Path) -> None:
    item = HealthItem(
        ORPHAN, "playbooks/x.yaml", 1, "<b>bold</b> [link](x)", title="*T*", page="x.md"
    )
    line = render_health_page([item], CHECKS).splitlines()[-1]
    assert line == (
        "- [\\*T\\*](x.md) · `playbooks/x.yaml:1`: &lt;b&gt;bold&lt;/b&gt; \\[link\\]\\(x\\)"
    )

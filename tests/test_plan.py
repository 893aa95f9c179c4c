"""The plain-data plan of a build, and what the plugin and the export both make of it: the
nav plan, the site settings and the Markdown extensions the pages need."""

from __future__ import annotations

from mkdocs_playbook.plan import (
    NavGroup,
    NavPlan,
    NavSection,
    SitePlan,
    SiteSettings,
    nav_plan,
    site_settings,
)
from mkdocs_playbook.render.site_setup import with_required_extensions

PLAN = SitePlan(
    pages={},
    sources={},
    entity_pages=["personas/a.md", "personas/b.md", "stages/s.md"],
    sections=[
        NavSection("Personas", "personas/index.md", ["personas/a.md", "personas/b.md"]),
        NavSection("Stages", "stages/index.md", ["stages/s.md"]),
    ],
    reader_pages=["which-do-i-need.md"],
    author_pages=["authors/index.md", "authors/coverage.md", "authors/authoring-guide.md"],
    diagnostics=[],
)


def test_the_nav_plan_adds_a_section_per_kind_the_nav_does_not_place() -> None:
    assert nav_plan(PLAN, "kinds", {"index.md", "stages/index.md"}) == NavPlan(
        readers=["which-do-i-need.md"],
        sections=[NavGroup("Personas", ["personas/index.md"], ["personas/a.md", "personas/b.md"])],
        placed=[NavSection("Stages", "stages/index.md", ["stages/s.md"])],
    )


def test_the_nav_plan_lists_entity_pages_in_entities_mode() -> None:
    plan = nav_plan(PLAN, "entities", set())
    assert plan.sections == [
        NavGroup("Personas", ["personas/index.md", "personas/a.md", "personas/b.md"], []),
        NavGroup("Stages", ["stages/index.md", "stages/s.md"], []),
    ]
    assert plan.placed == []


def test_site_settings_come_from_plugin_and_extension_names() -> None:
    settings = site_settings(
        plugins=["search", "material/tags"],
        extensions=["toc", "pymdownx.emoji", None],
        use_directory_urls=False,
        site_url="https://example.org/",
    )
    assert settings == SiteSettings(
        show_tags=False,
        icons=True,
        snippets=False,
        use_directory_urls=False,
        site_url="https://example.org/",
    )


def test_required_extensions_keep_the_sites_own_options() -> None:
    own_fence = {"name": "math", "class": "arithmatex", "format": "own"}
    merged = with_required_extensions(
        {"toc": {"permalink": True}, "pymdownx.superfences": {"custom_fences": [own_fence]}},
        material=True,
        python_name=lambda name: f"<{name}>",
    )
    assert list(merged) == [
        "toc",
        "pymdownx.superfences",
        "tables",
        "attr_list",
        "md_in_html",
        "admonition",
        "pymdownx.tabbed",
        "pymdownx.tasklist",
        "mkdocs_playbook.render.table_labels",
        "pymdownx.emoji",
    ]
    assert merged["toc"] == {"permalink": True}
    assert merged["pymdownx.superfences"]["custom_fences"] == [own_fence]
    assert merged["pymdownx.tabbed"] == {"alternate_style": True}
    assert merged["pymdownx.emoji"] == {
        "emoji_index": "<material.extensions.emoji.twemoji>",
        "emoji_generator": "<material.extensions.emoji.to_svg>",
    }
    own_emoji = with_required_extensions(
        {"pymdownx.emoji": {"emoji_index": "mine"}}, material=True, python_name=str
    )
    assert own_emoji["pymdownx.emoji"] == {"emoji_index": "mine"}


def test_a_nav_section_title_is_html_as_themes_print_it() -> None:
    plan = SitePlan({}, {}, [], [NavSection("Q&A <b>", "qa/index.md", [])], [], [], [])
    assert [group.title for group in nav_plan(plan, "kinds", set()).sections] == [
        "Q&amp;A &lt;b&gt;"
    ]

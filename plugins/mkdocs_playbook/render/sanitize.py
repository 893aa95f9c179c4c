"""The last line of defence: an allowlist sanitiser over the HTML of every generated page.

Escaping (`markup`, the `text` filter) keeps YAML text from becoming markup, but Python-Markdown
and its extensions have more syntax than any escaping can follow. So the HTML a generated page
converts to is cleaned by nh3 (the Rust sanitiser ammonia) and keeps only what the page
templates and the Markdown extensions the plugin enables produce. Hand-written `docs/` pages
are the site owner's and are never cleaned.

The allowlist was taken from the HTML of the shipped site and of a fixture that uses every
kind and field, plus what the extensions a site commonly enables make (footnotes, task lists,
details, abbreviations, definition lists, code highlighting, Material's icons).
"""

from __future__ import annotations

from typing import Any

import nh3

_SVG_SHAPES = ("path", "g", "circle", "ellipse", "line", "polygon", "polyline", "rect")

TAGS: frozenset[str] = frozenset(
    {
        # Python-Markdown itself
        *("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "br"),
        *("ul", "ol", "li", "pre", "code", "em", "strong", "a", "img"),
        # tables
        *("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption"),
        # admonitions, tabs, cards, details, the filter form of index pages, stage nav
        *("div", "span", "details", "summary", "nav", "form", "input", "label", "button"),
        # footnotes, abbreviations, definition lists, keys, marks and the like
        *("sup", "sub", "abbr", "dl", "dt", "dd", "kbd", "mark", "del", "ins", "small"),
        *("b", "i", "s", "u"),
        # Material's icons are inline SVG
        "svg",
        *_SVG_SHAPES,
    }
)
"""Elements a generated page may hold; any other element is removed and its text kept."""

REMOVED_WITH_CONTENT: frozenset[str] = frozenset({"script", "style", "template", "noscript"})
"""Elements removed with everything inside them: their text is code, not prose."""

_SVG_ATTRIBUTES = frozenset(
    {
        *("d", "fill", "fill-rule", "clip-rule", "fill-opacity", "opacity", "transform"),
        *("stroke", "stroke-width", "stroke-linecap", "stroke-linejoin", "stroke-opacity"),
        *("cx", "cy", "r", "rx", "ry", "x", "y", "x1", "y1", "x2", "y2", "points"),
        *("width", "height"),
    }
)

ATTRIBUTES: dict[str, frozenset[str]] = {
    # `class` drives Material's styling and `id` its anchors; `title` is the tooltip.
    "*": frozenset({"class", "id", "title", "role", "lang", "dir", "aria-hidden", "aria-label"}),
    "a": frozenset({"href", "name"}),
    "img": frozenset({"src", "alt"}),
    "ol": frozenset({"start"}),
    # `data-label`: the column's heading, shown above the cell when a phone stacks the rows.
    "th": frozenset({"align", "data-label"}),
    "td": frozenset({"align", "data-label"}),
    "details": frozenset({"open"}),
    "label": frozenset({"for"}),
    "input": frozenset({"name", "checked", "disabled", "placeholder"}),
    "button": frozenset({"aria-pressed", "data-tag"}),
    "form": frozenset({"hidden"}),
    "p": frozenset({"aria-live"}),
    "li": frozenset({"data-tags", "data-text", "aria-current"}),
    "div": frozenset({"data-tabs"}),
    "svg": frozenset({"viewBox", "xmlns", "width", "height", "fill", "focusable"}),
    **{shape: _SVG_ATTRIBUTES for shape in _SVG_SHAPES},
}
"""Attributes kept, by element (`*`: on every element). No event handler, and no `style`
but a table cell's alignment (`ALIGNMENT_STYLES`)."""

ATTRIBUTE_VALUES: dict[str, dict[str, frozenset[str]]] = {
    # Tabs are radio buttons, task lists checkboxes, the card filter a search box.
    "input": {"type": frozenset({"checkbox", "radio", "search"})},
    "button": {"type": frozenset({"button"})},
}
"""Attributes kept only with one of these values."""

URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
"""Schemes a link or image may use; relative URLs are kept too."""

CHROME_CLASS_PREFIX = "md-"
"""Material's own layout classes (dialogs, overlays, the header): page text may not use them
to dress up as the site around it, so they are dropped from generated content."""


ALIGNMENT_STYLES: frozenset[str] = frozenset(
    f"text-align: {side};" for side in ("left", "right", "center")
)
"""The one `style` kept, on table cells only: the column alignment (`| :---: |`) that
Python-Markdown's tables extension writes, exactly as it writes it."""

_ALIGNED_CELLS = frozenset({"th", "td"})


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute == "style":
        return value if element in _ALIGNED_CELLS and value in ALIGNMENT_STYLES else None
    if attribute != "class":
        return value
    kept = [name for name in value.split() if not name.startswith(CHROME_CLASS_PREFIX)]
    return " ".join(kept) if kept else None


_OPTIONS: dict[str, Any] = {
    "tags": set(TAGS),
    "clean_content_tags": set(REMOVED_WITH_CONTENT),
    "attributes": {tag: set(names) for tag, names in ATTRIBUTES.items()},
    "tag_attribute_values": {
        tag: {name: set(values) for name, values in attributes.items()}
        for tag, attributes in ATTRIBUTE_VALUES.items()
    },
    "url_schemes": set(URL_SCHEMES),
    "strip_comments": True,
    # Links keep the `rel` they had: adding noopener to every link would change every page.
    "link_rel": None,
}


# Built once: nh3.clean would convert the whole allowlist again on every call, which took
# more than half of the sanitiser's time.
_CLEANER = nh3.Cleaner(**_OPTIONS)
_CLASS_FILTERING_CLEANER = nh3.Cleaner(attribute_filter=_keep_attribute, **_OPTIONS)
# Only this cleaner lets `style` through to the filter, which keeps an alignment and nothing
# else; the others drop every `style`.
_STYLE_FILTERING_CLEANER = nh3.Cleaner(
    attribute_filter=_keep_attribute,
    **{
        **_OPTIONS,
        "attributes": {
            **_OPTIONS["attributes"],
            **{cell: _OPTIONS["attributes"][cell] | {"style"} for cell in _ALIGNED_CELLS},
        },
    },
)
_TEXT_CLEANER = nh3.Cleaner(tags=set(), strip_comments=True, link_rel=None)


def sanitize_html(html: str) -> str:
    """The HTML with everything outside the allowlist removed, its text kept."""
    # The filter calls back into Python for every attribute, so it runs only on pages
    # where a chrome class or an aligned table cell could be present at all.
    if 'style="' in html:
        return _STYLE_FILTERING_CLEANER.clean(html)
    if CHROME_CLASS_PREFIX in html:
        return _CLASS_FILTERING_CLEANER.clean(html)
    return _CLEANER.clean(html)


def sanitize_text(text: str) -> str:
    """Inline HTML (a toc entry's title) reduced to its escaped text."""
    if "<" not in text:
        return text  # already text: entities stay entities
    return _TEXT_CLEANER.clean(text)

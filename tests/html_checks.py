"""Read built HTML as a browser would, and find what could run script or leave the allowlist."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from mkdocs_playbook.render.sanitize import ATTRIBUTE_VALUES, ATTRIBUTES, TAGS

SCRIPT_SCHEMES = re.compile(r"^(javascript|vbscript|data|file|blob|about):", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "poster"}


def script_capable(url: str) -> bool:
    """Whether a URL (an attribute value, its entities already decoded) would run script, read
    as a browser reads it: outer controls and spaces stripped, tabs and line breaks removed."""
    url = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    return bool(SCRIPT_SCHEMES.match(url))


class Element:
    """One start tag: its name, attributes, and whether it sits in generated content."""

    def __init__(self, tag: str, attrs: list[tuple[str, str | None]], in_content: bool) -> None:
        self.tag = tag
        self.attrs = {name: value or "" for name, value in attrs}
        self.in_content = in_content


class Page(HTMLParser):
    """Every element of a page, its inline scripts, and its title and content text."""

    def __init__(self, source: str, *, fragment: bool = False) -> None:
        """Parse a whole page, or (``fragment``) a piece of generated content."""
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.scripts: list[str] = []
        self.title = ""
        self._stack: list[str] = []
        self._content_depth: int | None = -1 if fragment else None
        self._script = False
        self._in_title = False
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        in_content = self._content_depth is not None
        self.elements.append(Element(tag, attrs, in_content))
        if tag == "article" and "md-content__inner" in (dict(attrs).get("class") or ""):
            self._content_depth = len(self._stack)
        self._script = tag == "script"
        self._in_title = tag == "title"
        if tag not in VOID:
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._stack:
            while self._stack.pop() != tag:
                pass
        if self._content_depth is not None and len(self._stack) <= self._content_depth:
            self._content_depth = None
        self._script = self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._script:
            self.scripts.append(data)
        if self._in_title:
            self.title += data


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def problems(page: Page, *, allowlist: bool) -> Iterator[str]:
    """What in a parsed page could run script or break out of the allowlist."""
    for element in page.elements:
        for name, value in element.attrs.items():
            if name.startswith("on"):
                yield f"<{element.tag} {name}>"
            if name in URL_ATTRIBUTES and script_capable(value):
                yield f"<{element.tag} {name}={value!r}>"
            if name in {"srcdoc", "formaction", "xlink:href"}:
                yield f"<{element.tag} {name}>"
        if element.tag == "script" and "XSS" in " ".join(element.attrs.values()):
            yield f"<script {element.attrs}>"
        if allowlist and element.in_content and not _chrome(element):
            if element.tag not in TAGS:
                yield f"<{element.tag}> outside the allowlist"
            allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(element.tag, frozenset())
            allowed |= set(ATTRIBUTE_VALUES.get(element.tag, {}))
            # The parser lowers attribute names (`viewBox`).
            extra = set(element.attrs) - {name.lower() for name in allowed}
            if extra:
                yield f"<{element.tag}> with {sorted(extra)}"
            if any(c.startswith("md-") for c in element.attrs.get("class", "").split()):
                yield f"<{element.tag} class={element.attrs['class']!r}>"
    for script in page.scripts:
        if "XSS" in script:
            yield f"a script running {script[:60]!r}"


def _chrome(element: Element) -> bool:
    # Material's edit button and tag list sit inside the article but are the theme's own.
    return any(c.startswith("md-") for c in element.attrs.get("class", "").split()) or (
        element.tag in ("svg", "path") and not element.attrs.keys() - {"xmlns", "viewbox", "d"}
    )

"""A Markdown extension that labels each table cell with its column's heading, and each
tick box of a task list (a checklist field) with its item's text.

On a phone the stylesheet turns a table into stacked rows, one card per row, each cell
under its column's name (`td[data-label]::before`), so no column hides in a box that
scrolls sideways. A tick box (`pymdownx.tasklist`) sits in a label of its own, apart from
its item's text: without a name of its own a screen reader announces only "checkbox".
The labels are written at build time: no script is needed.

Listed by its dotted name in `site_setup.MARKDOWN_EXTENSIONS`, as mkdocs.yml names it.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

_STASHED = re.compile("\x02wzxhzdk:[0-9]+\x03")
_LEADING_STASH = re.compile("\\s*\x02wzxhzdk:([0-9]+)\x03")
_NUMBERED_STASH = re.compile("\x02wzxhzdk:([0-9]+)\x03")
_ESCAPED = re.compile("\x02([0-9]+)\x03")
_ENTITY = re.compile("&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")
_CHECKBOX = '<input type="checkbox"'


class _TableLabels(Treeprocessor):  # type: ignore[misc]  # markdown has no type hints
    def run(self, root: etree.Element) -> None:
        for table in root.iter("table"):
            head = table.find("thead/tr")
            body = table.find("tbody")
            if head is None or body is None:
                continue
            labels = [_text(cell) for cell in head if cell.tag == "th"]
            for row in body.iter("tr"):
                cells = [cell for cell in row if cell.tag in ("td", "th")]
                for label, cell in zip(labels, cells, strict=False):
                    if label and cell.get("data-label") is None:
                        cell.set("data-label", label)


class _TickBoxLabels(Treeprocessor):  # type: ignore[misc]  # markdown has no type hints
    """Name each tick box by its item's text (`aria-label` on the stashed `<input>`)."""

    def run(self, root: etree.Element) -> None:
        stash = self.md.htmlStash.rawHtmlBlocks
        for item in root.iter("li"):
            if "task-list-item" not in item.get("class", "").split():
                continue
            first = item[0] if len(item) and not (item.text or "").strip() else None
            start = (first.text if first is not None and first.tag == "p" else item.text) or ""
            found = _LEADING_STASH.match(start)
            if found is None or int(found.group(1)) >= len(stash):
                continue
            box = stash[int(found.group(1))]
            label = _item_text(item, stash)
            if isinstance(box, str) and _CHECKBOX in box and "aria-label" not in box and label:
                named = f'{_CHECKBOX} aria-label="{html.escape(label, quote=True)}"'
                stash[int(found.group(1))] = box.replace(_CHECKBOX, named, 1)


def _item_text(item: etree.Element, stash: list[object]) -> str:
    """An item's own text as a reader sees it, without the items of a list nested in it.

    Code is held escaped by then, and an entity the author wrote (`&lt;`) stashed: each is
    unescaped once here. Other stashed HTML (a tag) is left out.
    """
    parts = [item.text or ""]
    for child in item:
        if child.tag not in ("ul", "ol"):
            parts.extend(child.itertext())
        parts.append(child.tail or "")

    def entity(found: re.Match[str]) -> str:
        index = int(found.group(1))
        value = stash[index] if index < len(stash) else ""
        return value if isinstance(value, str) and _ENTITY.fullmatch(value) else ""

    text = _NUMBERED_STASH.sub(entity, "".join(parts))
    return html.unescape(_plain(_ESCAPED.sub(lambda found: chr(int(found.group(1))), text)))


def _text(cell: etree.Element) -> str:
    return _plain("".join(cell.itertext()))


def _plain(text: str) -> str:
    return " ".join(_STASHED.sub("", text).replace(AMP_SUBSTITUTE, "&").split())


class TableLabelsExtension(Extension):  # type: ignore[misc]  # markdown has no type hints
    def extendMarkdown(self, md: Markdown) -> None:
        # After the inline patterns (priority 20), so headings are plain text by then.
        md.treeprocessors.register(_TableLabels(md), "playbook_table_labels", 5)
        # After pymdownx.tasklist (25) has stashed each box, before the stash is written out.
        md.treeprocessors.register(_TickBoxLabels(md), "playbook_tick_box_labels", 4)


def makeExtension(**kwargs: object) -> TableLabelsExtension:
    return TableLabelsExtension(**kwargs)

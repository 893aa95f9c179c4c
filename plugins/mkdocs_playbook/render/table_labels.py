"""A Markdown extension that labels each table cell with its column's heading.

On a phone the stylesheet turns a table into stacked rows, one card per row, each cell
under its column's name (`td[data-label]::before`), so no column hides in a box that
scrolls sideways. The labels are written at build time: no script is needed.

Listed by its dotted name in `site_setup.MARKDOWN_EXTENSIONS`, as mkdocs.yml names it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

_STASHED = re.compile("\x02wzxhzdk:[0-9]+\x03")


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


def _text(cell: etree.Element) -> str:
    text = _STASHED.sub("", "".join(cell.itertext())).replace(AMP_SUBSTITUTE, "&")
    return " ".join(text.split())


class TableLabelsExtension(Extension):  # type: ignore[misc]  # markdown has no type hints
    def extendMarkdown(self, md: Markdown) -> None:
        # After the inline patterns (priority 20), so headings are plain text by then.
        md.treeprocessors.register(_TableLabels(md), "playbook_table_labels", 5)


def makeExtension(**kwargs: object) -> TableLabelsExtension:
    return TableLabelsExtension(**kwargs)

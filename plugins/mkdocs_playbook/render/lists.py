"""Lists in YAML Markdown read as CommonMark reads them, for Python-Markdown to render.

Authors write CommonMark: a list may start on the line right after a paragraph line, and a
nested list is indented by two spaces, or by the width of its parent's marker. Python-Markdown
needs a blank line before the list and four spaces a level. This rewrites the lines of list
blocks so, and leaves every other line as it is: code (fenced, or indented outside a list),
quotes, tables and text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_MARKER_RE = re.compile(r"^( *)([-*+]|\d{1,9}\.)( +|$)(.*)$")
_BREAK_RE = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$")
"""A thematic break (`- - -`, `***`): not a list item."""
_FENCE_RE = re.compile(r"^ *(`{3,}|~{3,})")
_STEP = 4
"""The indentation of one list level for Python-Markdown."""


@dataclass
class _Item:
    content: int
    """The column its content starts at, as written."""
    level: int
    """Its nesting level (0 for a top-level item)."""


@functools.lru_cache(maxsize=1 << 14)
def commonmark_lists(text: str) -> str:
    """The text with its list blocks indented and separated as Python-Markdown needs."""
    if not _might_have_list(text):
        return text  # most fields: no list marker at the start of a line at all
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    items: list[_Item] = []
    fence: str | None = None
    shift = (0, 0)
    # In a fence: the columns of the item content it is in, as written and as rewritten.
    previous = ""  # the last line as written, to tell a paragraph line from a blank one
    closed_fence = False  # whether that line closed a fence
    loose = False  # whether the list has a blank line between its lines (so far)

    for line in lines:
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        indent = len(body) - len(body.lstrip(" "))
        if fence is not None:
            old, new = shift
            out.append(_reindent(body, old, new) + ending if indent >= old else line)
            if body.strip().startswith(fence) and set(body.strip()) <= {fence[0]}:
                fence = None
                closed_fence = True
            previous = body
            continue
        after_fence, closed_fence = closed_fence, False
        if not body.strip():
            out.append(line)
            previous = body
            loose = bool(items)
            continue
        # Four spaces past where an item could start is code (indented), not an item.
        code_at = (items[-1].content if items else 0) + _STEP
        marker = None if _BREAK_RE.match(body) or indent >= code_at else _MARKER_RE.match(body)
        opening = _FENCE_RE.match(body)
        if marker is not None and _starts_item(marker, items, previous):
            if previous.strip() and (
                not items or after_fence or (loose and not _MARKER_RE.match(previous))
            ):
                # CommonMark: the list ends the paragraph (or the code) before it.
                out.append(ending or "\n")
            while items and indent < items[-1].content:
                items.pop()
            level = len(items)
            spaces = len(marker.group(3))
            width = len(marker.group(2)) + (1 if spaces > 4 or not marker.group(4) else spaces)
            items.append(_Item(indent + width, level))
            extra = (spaces - 1) if spaces > 4 else 0
            out.append(
                " " * (_STEP * level)
                + marker.group(2)
                + " " * (1 if spaces > 4 else spaces)
                + " " * extra
                + marker.group(4)
                + ending
            )
        elif items and previous.strip() and not opening:
            out.append(line)  # the item's paragraph goes on: its indentation does not matter
        elif items and indent >= items[0].content:
            # The content of an item: of the deepest one whose content column it reaches.
            while indent < items[-1].content:
                items.pop()
            item = items[-1]
            new = _STEP * (item.level + 1)
            out.append(_reindent(body, item.content, new) + ending)
            if opening:
                fence, shift = opening.group(1), (item.content, new)
        else:
            items.clear()
            loose = False
            out.append(line)
            if opening:
                fence, shift = opening.group(1), (0, 0)
        previous = body
    return "".join(out)


def _might_have_list(text: str) -> bool:
    return any(_MARKER_RE.match(line) for line in text.splitlines())


def _starts_item(marker: re.Match[str], items: list[_Item], previous: str) -> bool:
    """Whether a line with a list marker is a list item (CommonMark: an empty item, or an
    ordered one not numbered 1, cannot interrupt a paragraph)."""
    if items or not previous.strip() or _MARKER_RE.match(previous):
        return True
    number = marker.group(2)[:-1]
    return bool(marker.group(4).strip()) and (not number.isdigit() or int(number) == 1)


def _reindent(body: str, old: int, new: int) -> str:
    return " " * new + body[old:]

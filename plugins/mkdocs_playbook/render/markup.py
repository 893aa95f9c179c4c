"""Markdown text from YAML: find and rewrite links, escape raw HTML, refuse unsafe URLs.

YAML text is untrusted (it may come from a pull request or a copy-paste), so before a
Markdown field reaches a page it is made into the YAML Markdown dialect: raw HTML escaped,
unsafe links dropped, attribute lists and snippet inclusion turned off, code fences reduced
to their language. Code spans and code blocks are left as they are: Markdown shows them
literally anyway. (The sanitiser in `sanitize` checks the resulting HTML once more.)

Links are found by Python-Markdown itself: a text is parsed in the dialect, and the links
are the `a` and `img` elements of its tree, so that every link syntax it reads (inline,
reference-style, angle brackets, titles, nested brackets, in emphasis, quotes, lists,
tables) is a link here too, and nothing in code is. Where each is written is then found
with Python-Markdown's own link grammar, to rewrite or drop it in the text.
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass

from markdown import Markdown
from markdown.inlinepatterns import (
    AUTOLINK_RE,
    AUTOMAIL_RE,
    BACKTICK_RE,
    LINK_RE,
    REFERENCE_RE,
    AutolinkInlineProcessor,
    AutomailInlineProcessor,
    BacktickInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
)
from markdown.treeprocessors import Treeprocessor

from .site_setup import EXTENSION_OPTIONS, MARKDOWN_EXTENSIONS

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

# A fence opens at a line's start, or nested under a list item or in a quote: superfences
# takes any prefix of blanks and `>`, as long as every line of the block repeats it.
_FENCE_RE = re.compile(r"^([ >]*)(`{3,}|~{3,})")
# Python-Markdown's own code span finder, so that what is a code span here is one there.
_BACKTICK_OPENING_RE = re.compile(BACKTICK_RE)
_BACKTICKS = BacktickInlineProcessor(BACKTICK_RE)
_REFERENCE_DEF_RE = re.compile(
    r"^[ ]{0,3}\[(?P<label>[^\]\n]+)\]:[ \t]*(?P<target>\S+).*$", re.MULTILINE
)
_AUTOLINK_RE = re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*)>")
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):")
# Python-Markdown's escapable characters, plus `|`, which its tables extension adds.
_MARKDOWN_SPECIALS_RE = re.compile(r"([\\`*_{}\[\]()#+!|])")
# At the start of a line these would begin a list.
_LINE_START_RE = re.compile(r"^(\s*)(-|\d+(?=[.)]))")
_LINE_BREAK_RE = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
# The colon that opens an emoji shortcode (`:smile:`).
_SHORTCODE_COLON_RE = re.compile(r":(?=[+\-\w]+:)")
# An attribute list starts with a brace that no backslash escapes.
_ATTR_LIST_BRACE_RE = re.compile(r"(?<!\\)((?:\\\\)*)\{")
# pymdownx.snippets includes a file for a line like `--8<-- "file"`, even inside code; its
# own escape is a leading `;`, which it removes.
_SNIPPET_LINE_RE = re.compile(r"^([ \t]*)(?=;*-+8<-+)", re.MULTILINE)
# Schemes that run script, where a URL could start (browsers drop tabs and line breaks).
_SCRIPT_URL_RE = re.compile(r"(?<![a-z0-9+.-])(?:(?:java|vb)script:|data:(?=\S))", re.IGNORECASE)
# A bracket that no backslash escapes.
_BRACKET_RE = re.compile(r"(?<!\\)((?:\\\\)*)([\[\]])")
# pymdownx.blocks' `/// html | tag[attr=...]` is raw HTML by another name.
_HTML_BLOCK_RE = re.compile(r"^([ \t>]*)/(?=//+[ \t]*html\b)", re.MULTILINE)
_FENCE_INFO_RE = re.compile(r"^([ >]*(?:`{3,}|~{3,}))[ \t]*([\w+#.-]*)[^\n]*")
# Lines whose indented blocks that follow may be their content, not code: list items,
# admonitions, collapsible blocks, tabs, definitions; and link, footnote and abbreviation
# definitions, which leave the tree, so that what follows them continues what came before.
_CONTAINER_RE = re.compile(r"(?:(?:[*+-]|\d+[.)])(?:[ \t]|$)|!!!|\?\?\?|===|\*?\[[^\]]*\]:|:[ \t])")


PROSE, FENCE, INDENTED, SPAN = "prose", "fence", "indented", "span"
"""What a piece of Markdown is: prose, a fenced or indented code block, or a code span."""


def split_pieces(text: str) -> list[tuple[str, str]]:
    """Split Markdown into ``(chunk, kind)`` pieces, kind being `PROSE`, `FENCE`,
    `INDENTED` or `SPAN`."""
    return list(_pieces(text))


_CACHED_TEXTS = 1 << 14
"""How many texts each cache of a pure function of a text holds: the texts of a large
playbook, so that a `mkdocs serve` rebuild finds most of them again."""


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _pieces(text: str) -> tuple[tuple[str, str], ...]:
    # The refs check finds the links of every Markdown field, and its page makes the same
    # text safe again, then writes its code spans as elements: split each text once.
    if "`" not in text and "~~~" not in text and "\n    " not in text and "\n\t" not in text:
        return ((text, PROSE),) if text else ()  # most fields: no code at all
    return tuple(_split_pieces(text))


def _split_pieces(text: str) -> list[tuple[str, str]]:
    pieces: list[tuple[str, str]] = []
    prose: list[str] = []
    fence: str | None = None
    prefix = ""
    consistent = True
    block: list[str] = []
    indented = False
    # What the last unindented block was, as Python-Markdown decides whether an indented
    # block is code: after a list item, an admonition or a tab it is their content; after
    # anything else it is code. (Taking code for prose only escapes too much; the reverse
    # would let raw HTML through, so when in doubt it is prose.)
    after: str | None = None
    previous_blank = True

    def flush_prose() -> None:
        pieces.extend(_split_spans("".join(prose)))
        prose.clear()

    for line in text.splitlines(keepends=True):
        blank = not line.strip()
        if indented:
            if blank or _is_indented(line):
                block.append(line)
                previous_blank = blank
                continue
            pieces.append(("".join(block), INDENTED))
            indented = False
        match = _FENCE_RE.match(line)
        if fence is not None:
            block.append(line)
            if not blank and not line.startswith(prefix):
                consistent = False
            stripped = line[len(prefix) :].strip() if line.startswith(prefix) else ""
            if stripped.startswith(fence) and set(stripped) <= {fence[0]}:
                if consistent:
                    flush_prose()
                    pieces.append(("".join(block), FENCE))
                else:
                    # Not a fence Python-Markdown is sure to see: prose, escaped.
                    prose.extend(block)
                fence = None
                after = "other"
        elif _is_indented(line) and not blank and previous_blank and after == "other":
            flush_prose()
            block = [line]
            indented = True
        elif match:
            # The prose before it is kept open until the fence closes: until then it may
            # be no fence at all.
            prefix, fence = match.group(1), match.group(2)
            consistent = True
            block = [line]
        else:
            prose.append(line)
            # Any line that could open a container does (a list may interrupt a paragraph
            # in a list item, and the text may land in one); a plain line opens a block.
            if _CONTAINER_RE.match(line.lstrip(" \t")):
                after = "container"
            elif not blank and not _is_indented(line) and (previous_blank or after is None):
                after = "other"
        previous_blank = blank
    if indented:
        pieces.append(("".join(block), INDENTED))
    elif fence is not None:
        # A fence that is never closed is no fence to Python-Markdown: its lines are prose.
        prose.extend(block)
    flush_prose()
    return [(chunk, kind) for chunk, kind in pieces if chunk]


def _is_indented(line: str) -> bool:
    return line.startswith(("    ", "\t", " \t", "  \t", "   \t"))


def _split_spans(text: str) -> list[tuple[str, str]]:
    if "`" not in text:
        return [(text, PROSE)]
    pieces: list[tuple[str, str]] = []
    for paragraph in re.split(r"(?<=\n)(?=[ \t]*(?:\n|$))", text):
        spans = code_spans(paragraph)
        # Python-Markdown pairs backticks within a block, and where a block ends inside a
        # paragraph (a list item, a heading, a quote) is for its block parser to say. Spans
        # that each sit on one line are spans whatever the blocks are (pairing line by line
        # gives the same); a span over lines may not be, so the paragraph is then taken for
        # prose, which can only escape too much.
        if any("\n" in paragraph[begin:end] for begin, end in spans):
            spans = []
        last = 0
        for begin, end in spans:
            pieces.append((paragraph[last:begin], PROSE))
            pieces.append((paragraph[begin:end], SPAN))
            last = end
        pieces.append((paragraph[last:], PROSE))
    merged: list[tuple[str, str]] = []
    for chunk, kind in pieces:
        # Prose stays whole across paragraphs: a link or a definition may span them.
        if kind == PROSE and merged and merged[-1][1] == PROSE:
            merged[-1] = (merged[-1][0] + chunk, PROSE)
        elif chunk:
            merged.append((chunk, kind))
    return merged


def code_spans(text: str) -> list[tuple[int, int]]:
    """Where Python-Markdown finds code spans in a block of text: (start, end) offsets."""
    found: list[tuple[int, int]] = []
    position = 0
    while (match := _next_backtick_match(text, position)) is not None:
        if match.group(1):
            # Escaped backslashes before a backtick: Python-Markdown puts a placeholder in
            # their place and searches on, so the backtick after them may open a span.
            text = text[: match.start()] + "\x03" * len(match.group(1)) + text[match.end() :]
            position = match.end()
            continue
        begin = match.start()
        start, end = _BACKTICKS.find_code_spans(begin, text)
        if end is None:
            position = start
            continue
        position = end + (start - begin)
        found.append((begin, position))
    return found


def _next_backtick_match(text: str, position: int) -> re.Match[str] | None:
    """What `BACKTICK_RE` finds from ``position`` on, without trying it at every position
    (which is slow): it can match only at a backtick or the backslashes right before one."""
    while (index := text.find("`", position)) >= 0:
        start = index
        while start > position and text[start - 1] == "\\":
            start -= 1
        for at in range(start, index + 1):
            if match := _BACKTICK_OPENING_RE.match(text, at):
                return match
        position = index + 1
    return None


@dataclass(frozen=True)
class Link:
    """A Markdown link or image: inline, reference-style or an autolink."""

    text: str
    target: str
    is_image: bool
    offset: int
    """Where it starts in the whole text (for line numbers in messages)."""


# -- finding links: Python-Markdown's own parse ---------------------------------------------

_DIALECT_EXTENSIONS: tuple[str, ...] = (
    *(name for name in MARKDOWN_EXTENSIONS if name not in ("attr_list", "md_in_html")),
    "def_list",
    "footnotes",
    "abbr",
    "pymdownx.details",
)
"""The YAML Markdown dialect's block syntax, as far as it decides where links are: what the
generated pages enable, less attribute lists and Markdown in HTML (which the dialect turns
off), plus the block extensions sites commonly add."""

_AUTOLINK_MARK = "data-autolink"


class _MarkedAutolinks(AutolinkInlineProcessor):  # type: ignore[misc]
    """An autolink (`<https://...>`), marked as one: the dialect's escaping of `<` keeps
    a safe one and shows an unsafe one as text, wherever it is written."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:
        element, start, end = super().handleMatch(m, data)
        element.set(_AUTOLINK_MARK, "")
        return element, start, end


class _MarkedAutomail(AutomailInlineProcessor):  # type: ignore[misc]
    """A mail autolink (`<ann@example.org>`), marked as one."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:
        element, start, end = super().handleMatch(m, data)
        element.set(_AUTOLINK_MARK, "")
        return element, start, end


_FOOTNOTE_LINKS = frozenset({"footnote-ref", "footnote-backref"})


@dataclass(frozen=True)
class _TreeLink:
    """A link as the parse found it, without where it is written."""

    text: str
    target: str
    is_image: bool
    autolink: bool


class _CollectLinks(Treeprocessor):  # type: ignore[misc]
    """Every `a` and `img` of the finished tree, in document order."""

    found: tuple[_TreeLink, ...] = ()

    def run(self, root: etree.Element) -> None:
        found: list[_TreeLink] = []
        for element in root.iter():
            if element.tag != "a" and element.tag != "img":
                continue
            if element.get("class") in _FOOTNOTE_LINKS:
                continue  # made by the footnotes extension, not written
            is_image = element.tag == "img"
            target = element.get("src" if is_image else "href")
            if target is None:
                continue
            text = element.get("alt", "") if is_image else "".join(element.itertext())
            found.append(_TreeLink(text, target, is_image, _AUTOLINK_MARK in element.attrib))
        self.found = tuple(found)


class _DropLinklessText(Treeprocessor):  # type: ignore[misc]
    """Empties the text that can hold no link, before the inline patterns read it."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            text = element.text
            if text and "[" not in text and "<" not in text:
                element.text = None
            tail = element.tail
            if tail and "[" not in tail and "<" not in tail:
                element.tail = None


@functools.cache
def _parser() -> tuple[Markdown, _CollectLinks]:
    md = Markdown(extensions=list(_DIALECT_EXTENSIONS), extension_configs=EXTENSION_OPTIONS)
    # Raw HTML is text in the dialect, and whatever it holds is read as Markdown.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.inlinePatterns.register(_MarkedAutolinks(AUTOLINK_RE, md), "autolink", 120)
    md.inlinePatterns.register(_MarkedAutomail(AUTOMAIL_RE, md), "automail", 110)
    # What comes after the links can make no link, nor unmake one: line breaks, entities,
    # emphasis; and the tree's looks (indenting, abbreviations, tick boxes) are not read.
    for name in ("linebreak", "entity", "em_strong"):
        md.inlinePatterns.deregister(name, strict=False)
    for name in ("prettify", "abbr", "task-list"):
        md.treeprocessors.deregister(name, strict=False)
    for processor in md.inlinePatterns:
        if isinstance(processor, LinkInlineProcessor):
            processor.getText = _get_text
    # Text that holds neither `[` nor `<` can make no link: no inline pattern need search it.
    md.treeprocessors.register(_DropLinklessText(md), "playbook-linkless", 21)
    collector = _CollectLinks(md)
    # Last of all, once escapes are undone: the targets as the page gets them.
    md.treeprocessors.register(collector, "playbook-links", -100)
    return md, collector


_BRACKET_CHARS_RE = re.compile(r"[\[\]]")


def _get_text(data: str, index: int) -> tuple[str, int, bool]:
    """`LinkInlineProcessor.getText`: the text up to the `]` that closes a `[` just before
    ``index``. Python-Markdown works out every index's closing bracket of a block each time
    a link changes it, which is most of the time it takes to read a long text with links."""
    depth = 1
    for match in _BRACKET_CHARS_RE.finditer(data, index):
        depth += 1 if match.group() == "[" else -1
        if depth == 0:
            return data[index : match.start()], match.end(), True
    return data[index:], len(data), False


@dataclass(frozen=True)
class _Parsed:
    links: tuple[_TreeLink, ...]
    references: dict[str, tuple[str, str | None]]


_NOTHING_PARSED = _Parsed((), {})


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _parse(text: str) -> _Parsed:
    """The links Python-Markdown makes of a text, and its reference definitions."""
    if "](" not in text and "]:" not in text and "<" not in text:
        # Every link needs one: an inline link `](`, a definition `]:` (which a reference
        # needs in the same text), or an autolink's `<`. Most fields have none.
        return _NOTHING_PARSED
    md, collector = _parser()
    md.reset()
    collector.found = ()
    # `Markdown.convert` up to the finished tree: the HTML it would write is not needed.
    lines = text.split("\n")
    for preprocessor in md.preprocessors:
        lines = preprocessor.run(lines)
    root = md.parser.parseDocument(lines).getroot()
    for treeprocessor in md.treeprocessors:
        root = treeprocessor.run(root) or root
    return _Parsed(collector.found, dict(md.references))


# -- where those links are written ----------------------------------------------------------

_PLAIN = Markdown()
_PLAIN.treeprocessors.deregister("inline")  # no stash: targets are read as written
_INLINE_LINKS = LinkInlineProcessor(LINK_RE, _PLAIN)
_REFERENCES = ReferenceInlineProcessor(REFERENCE_RE, _PLAIN)
_INLINE_LINKS.getText = _REFERENCES.getText = _get_text
_ESCAPED_RE = re.compile(r"\\([{}])".format(re.escape("".join(_PLAIN.ESCAPED_CHARS))))


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    link: Link


def _spans(chunk: str, offset: int, references: dict[str, tuple[str, str | None]]) -> list[_Span]:
    """Where the links of a prose chunk are written, read with Python-Markdown's own link
    grammar (`getText`, `getLink`, `evalId`): inline links and images, with or without
    blanks, angle brackets, titles and nested brackets, and reference links."""
    found: list[_Span] = []
    index = 0
    while (index := chunk.find("[", index)) >= 0:
        if _escaped(chunk, index):
            index += 1
            continue
        is_image = index > 0 and chunk[index - 1] == "!" and not _escaped(chunk, index - 1)
        start = index - 1 if is_image else index
        text, after, closed = _INLINE_LINKS.getText(chunk, index + 1)
        if not closed:
            index += 1
            continue
        target: str | None = None
        href, _title, end, handled = _INLINE_LINKS.getLink(chunk, after)
        if handled:
            target = href
        else:
            label, end, handled = _REFERENCES.evalId(chunk, after, text)
            if not handled or label is None:
                label, end = text.lower(), after  # a shortcut reference: `[label]`
            reference = references.get(_REFERENCES.NEWLINE_CLEANUP_RE.sub(" ", label))
            if reference is not None:
                target = reference[0]
        if target is None:
            index += 1
            continue
        target = _ESCAPED_RE.sub(r"\1", target)
        found.append(_Span(start, end, Link(text, target, is_image, offset + start)))
        index = end
    return found


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes > 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _located(text: str) -> tuple[_Parsed, list[list[_Span]], list[_TreeLink]]:
    """The parse of a text, the spans of its prose chunks (`_pieces`' order, code chunks
    empty) that are links in the parse, and the parse's links no span was found for."""
    parsed = _parse(text)
    left: dict[tuple[str, bool], int] = {}
    for tree_link in parsed.links:
        key = (tree_link.target, tree_link.is_image)
        left[key] = left.get(key, 0) + 1
    spans: list[list[_Span]] = []
    offset = 0
    for chunk, kind in _pieces(text):
        kept: list[_Span] = []
        if kind == PROSE and parsed.links and "[" in chunk:
            for span in _spans(chunk, offset, parsed.references):
                key = (span.link.target, span.link.is_image)
                if left.get(key):
                    left[key] -= 1
                    kept.append(span)
        spans.append(kept)
        offset += len(chunk)
    missing: list[_TreeLink] = []
    for tree_link in reversed(parsed.links):
        key = (tree_link.target, tree_link.is_image)
        if left.get(key):
            left[key] -= 1
            missing.append(tree_link)
    return parsed, spans, missing[::-1]


def find_links(text: str) -> list[Link]:
    """Every link and image Python-Markdown finds in the text (read in the YAML Markdown
    dialect), in order; each where it is written, as near as can be told."""
    return list(_found_links(text))


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _found_links(text: str) -> tuple[Link, ...]:
    parsed, spans, missing = _located(text)
    if not parsed.links:
        return ()
    found = [span.link for chunk_spans in spans for span in chunk_spans]
    for tree_link in missing:
        at = text.find(tree_link.target)
        found.append(Link(tree_link.text, tree_link.target, tree_link.is_image, max(at, 0)))
    return tuple(sorted(found, key=lambda link: link.offset))


LinkRewriter = Callable[[Link], str | None]
"""Given a link, the Markdown to put in its place, or None to keep it."""


def rewrite_links(text: str, rewrite: LinkRewriter) -> str:
    """Replace the links Python-Markdown finds with what ``rewrite`` returns for them."""
    parsed, spans, _missing = _located(text)
    if not parsed.links:
        return text
    out: list[str] = []
    for (chunk, _kind), chunk_spans in zip(_pieces(text), spans, strict=True):
        out.append(_replace(chunk, chunk_spans, rewrite))
    return "".join(out)


def _replace(chunk: str, spans: list[_Span], rewrite: LinkRewriter) -> str:
    if not spans:
        return chunk
    out: list[str] = []
    last = 0
    for span in spans:
        replacement = rewrite(span.link)
        if replacement is not None:
            out.append(chunk[last : span.start])
            out.append(replacement)
            last = span.end
    out.append(chunk[last:])
    return "".join(out)


def is_safe_url(url: str) -> bool:
    """Whether a link target may reach a page: relative, or http(s) or mailto."""
    # Browsers ignore entities, control characters and blanks when they read a scheme.
    normalised = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(url)).lower()
    match = _SCHEME_RE.match(normalised)
    return match is None or match.group(1) in SAFE_SCHEMES


def make_untrusted_markdown_safe(
    text: str, rewrite: LinkRewriter | None = None, *, snippets: bool = False
) -> str:
    """YAML Markdown made into the dialect: raw HTML escaped, unsafe link targets dropped,
    attribute lists and (where ``snippets`` is enabled) file inclusion turned off, and code
    fences reduced to their language; code otherwise left as it is.

    ``rewrite`` first replaces links (refs become page links), in the same pass.
    """
    if "[" in text:
        _parsed, spans, missing = _located(text)
    else:
        spans, missing = [[] for _ in _pieces(text)], []
    # A link Python-Markdown makes that is not found where it is written cannot be dropped
    # or rewritten: if it must be, no bracket in the text may make a link.
    fail_closed = any(
        not link.autolink
        and (
            not is_safe_url(link.target)
            or (rewrite is not None and rewrite(Link(link.text, link.target, link.is_image, 0)))
        )
        for link in missing
    )
    out: list[str] = []
    for (chunk, kind), chunk_spans in zip(_pieces(text), spans, strict=True):
        if kind != PROSE:
            out.append(_make_code_safe(chunk, kind, snippets))
        else:
            chunk = _replace(chunk, chunk_spans, _safe_rewrite(rewrite))
            out.append(_make_prose_safe(chunk, fail_closed))
    return "".join(out)


def _safe_rewrite(rewrite: LinkRewriter | None) -> LinkRewriter:
    def safe(link: Link) -> str | None:
        replacement = rewrite(link) if rewrite is not None else None
        if replacement is None and not is_safe_url(link.target):
            return link.text  # the link goes, its text stays
        return replacement

    return safe


def _make_code_safe(code: str, kind: str, snippets: bool) -> str:
    if kind == FENCE:
        # A fence's `{ ... }` would set attributes through attr_list, and its options belong
        # to the site's owner: YAML code fences name a language and nothing else.
        code = _FENCE_INFO_RE.sub(r"\1\2", code, count=1)
    return _SNIPPET_LINE_RE.sub(r"\1;", code) if snippets else code


def _make_prose_safe(text: str, fail_closed: bool = False) -> str:
    if "{" in text:
        text = _ATTR_LIST_BRACE_RE.sub(r"\1\\{", text)
    if "///" in text:
        text = _HTML_BLOCK_RE.sub(r"\1&#47;", text)
    if "<" not in text and "]" not in text and "\x00" not in text:
        return text  # no HTML, no links, no reference definitions: nothing more to make safe
    autolinks: list[str] = []

    def keep_autolink(match: re.Match[str]) -> str:
        url = match.group("url")
        if not is_safe_url(url):
            return escape_text(url)
        autolinks.append(match.group(0))
        return f"\x00{len(autolinks) - 1}\x00"

    text = text.replace("\x00", "")
    # Each pattern below needs a character the text may not have: most texts with links
    # have neither HTML nor definitions, and are not searched for them.
    if "<" in text:
        text = _AUTOLINK_RE.sub(keep_autolink, text)
        text = text.replace("<", "&lt;")
    if autolinks:
        text = re.sub(r"\x00(\d+)\x00", lambda m: autolinks[int(m.group(1))], text)
    if "]:" in text:
        # Definitions apply to the whole page, so an unsafe one goes where it is written,
        # whether or not this text uses it.
        text = _REFERENCE_DEF_RE.sub(
            lambda m: m.group(0) if is_safe_url(m.group("target")) else "", text
        )
    if fail_closed or _names_script_url(text):
        # A script URL is left where a link or a definition could be made of it (a
        # definition in a quote or a list, for one), or a link could not be found where it
        # is written. Fail closed: no bracket in this text may make a link, a reference or a
        # definition.
        text = _BRACKET_RE.sub(r"\1\\\2", text)
    return text


_URL_BLANKS = str.maketrans("", "", "\t\n\r")
"""What a browser drops from anywhere in a URL."""


def _names_script_url(text: str) -> bool:
    squeezed = text.translate(_URL_BLANKS)
    if "&" in squeezed:
        squeezed = html.unescape(squeezed).translate(_URL_BLANKS)
    lowered = squeezed.lower()
    if "script:" not in lowered and "data:" not in lowered:
        return False  # most text, and far quicker than the pattern
    return _SCRIPT_URL_RE.search(squeezed) is not None


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def escape_text(text: str) -> str:
    """Plain text made safe to put into Markdown: one line without blanks at either end, no
    HTML, no Markdown syntax, no emoji shortcodes."""
    # Cached: pages show the same titles and names over and over, in links and cards.
    # A blank at either end would undo the emphasis around a label (`** label:**`).
    escaped = html.escape(text.strip(), quote=False)
    if not escaped.isprintable():  # most text: no line break to fold
        escaped = _LINE_BREAK_RE.sub(" ", escaped)
    escaped = _MARKDOWN_SPECIALS_RE.sub(r"\\\1", escaped)
    if ":" in escaped:
        # An entity shows the colon, but no extension sees it as syntax: neither a
        # shortcode nor, at the start, a definition.
        escaped = _SHORTCODE_COLON_RE.sub("&#58;", escaped)
        if escaped.startswith(":"):
            escaped = "&#58;" + escaped[1:]
    return _LINE_START_RE.sub(_escape_list_marker, escaped)


def code_element(text: str) -> str:
    """Text as an inline `<code>` element that shows it exactly, in any Markdown context.

    Inside an HTML block that md_in_html parses (cards, the comparison table), a code span
    does not hide its raw HTML from that parser; an element of escaped text does.
    """
    # An entity for the pipe, so that a table cell around it is not split.
    return "<code>" + escape_text(text).replace("\\|", "&#124;") + "</code>"


_SPAN_RE = re.compile(r"(`+)(.*)\1", re.DOTALL)


def code_spans_as_elements(markdown: str) -> str:
    """The Markdown with each code span written as a `code_element`."""
    if "`" not in markdown:
        return markdown
    out: list[str] = []
    for chunk, kind in _pieces(markdown):
        match = _SPAN_RE.fullmatch(chunk) if kind == SPAN else None
        # Python-Markdown strips the blanks around a code span's text.
        out.append(code_element(match.group(2).strip()) if match else chunk)
    return "".join(out)


def _escape_list_marker(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    # "1." is escaped as "1\." : a backslash before a digit would show literally.
    return f"{indent}\\{marker}" if marker == "-" else f"{indent}{marker}\\"


def line_of(text: str, offset: int) -> int:
    """The 0-based line of an offset in a text."""
    return text.count("\n", 0, offset)


def code_span(text: str) -> str:
    """Text (a path, a field name) as inline code that shows it exactly: a Markdown code
    span when one can hold it, otherwise a `code_element`."""
    if text and "`" not in text and text.isprintable() and text.strip() == text:
        return f"`{text}`"
    return code_element(text)


_ATTRIBUTE_PLAIN_RE = re.compile(r"[^\w ,.-]|_", re.ASCII)
"""What an attribute list's value may not hold as it is: anything but letters, digits,
blanks and a little punctuation is written as a character reference."""


@functools.lru_cache(maxsize=256)
def attribute_text(text: str) -> str:
    """Plain text as the quoted value of an attribute list (`{ title="..." }`): one line, every
    character that Markdown, an extension or the attribute list could read as syntax written
    as a character reference, which the attribute keeps and a browser shows as typed."""
    if not text.isprintable():
        text = _LINE_BREAK_RE.sub(" ", text)
    return _ATTRIBUTE_PLAIN_RE.sub(lambda m: f"&#{ord(m.group(0))};", text.strip())


def markdown_description(text: str, *, table_cell: bool = False) -> str:
    """A kind file's Markdown text (a description) in the YAML Markdown dialect; in a
    table cell, on one line and with its pipes escaped."""
    safe = make_untrusted_markdown_safe(text)
    return safe.replace("\n", " ").replace("|", "\\|") if table_cell else safe

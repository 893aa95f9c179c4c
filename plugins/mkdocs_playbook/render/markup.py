"""Markdown text from YAML: find and rewrite links, escape raw HTML, refuse unsafe URLs.

YAML text is untrusted (it may come from a pull request or a copy-paste), so before a
Markdown field reaches a page it is made into the YAML Markdown dialect: raw HTML escaped,
unsafe links dropped, attribute lists and snippet inclusion turned off, code fences reduced
to their language. Code spans and code blocks are left as they are: Markdown shows them
literally anyway. (The sanitiser in `sanitize` checks the resulting HTML once more.)
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor

from .lists import commonmark_lists

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

# A fence opens at a line's start, or nested under a list item or in a quote: superfences
# takes any prefix of blanks and `>`, as long as every line of the block repeats it.
_FENCE_RE = re.compile(r"^([ >]*)(`{3,}|~{3,})")
# Python-Markdown's own code span finder, so that what is a code span here is one there.
_BACKTICK_OPENING_RE = re.compile(BACKTICK_RE)
_BACKTICKS = BacktickInlineProcessor(BACKTICK_RE)
# [text](target "title") and ![alt](target); the target may hold one level of parentheses.
# It opens with a character class, which lets the search skip to the next `!` or `[` at C
# speed (a third of the time on long bodies); a lookbehind then tells an image's `![` from
# a link's `[`. `bang` is the opening character: `!` for an image.
_LINK_RE = re.compile(
    r"(?P<bang>[!\[])(?:(?<=!)\[|(?<=\[))(?P<text>(?:\\.|[^\[\]\\])*)\]"
    r"\((?P<target><[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)(?P<title>\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
)
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


def split_code(text: str) -> list[tuple[str, bool]]:
    """Split Markdown into ``(chunk, is_code)`` pieces: fenced and indented code blocks and
    code spans are code."""
    return [(chunk, kind != PROSE) for chunk, kind in _pieces(text)]


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
    """A Markdown inline link or image found in prose."""

    text: str
    target: str
    is_image: bool
    offset: int
    """Where it starts in the whole text (for line numbers in messages)."""


def find_links(text: str) -> list[Link]:
    """Every inline link and image outside code, in order."""
    found: list[Link] = []
    offset = 0
    for chunk, is_code in split_code(text):
        if not is_code and "](" in chunk:
            for match in _LINK_RE.finditer(chunk):
                found.append(_link(match, offset))
        offset += len(chunk)
    return found


def _link(match: re.Match[str], offset: int) -> Link:
    target = match.group("target")
    if target.startswith("<") and target.endswith(">"):
        target = target[1:-1]
    is_image = match.group("bang") == "!"
    return Link(match.group("text"), target, is_image, offset + match.start())


LinkRewriter = Callable[[Link], str | None]
"""Given a link, the Markdown to put in its place, or None to keep it."""


def rewrite_links(text: str, rewrite: LinkRewriter) -> str:
    """Replace links outside code with what ``rewrite`` returns for them."""
    out: list[str] = []
    offset = 0
    for chunk, is_code in split_code(text):
        out.append(chunk if is_code else _rewrite_chunk(chunk, offset, rewrite))
        offset += len(chunk)
    return "".join(out)


def _rewrite_chunk(chunk: str, offset: int, rewrite: LinkRewriter) -> str:
    if "](" not in chunk:
        return chunk

    def replace(match: re.Match[str]) -> str:
        replacement = rewrite(_link(match, offset))
        return match.group(0) if replacement is None else replacement

    return _LINK_RE.sub(replace, chunk)


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

    ``rewrite`` first replaces links (refs become page links), in the same pass. Lists are
    read as CommonMark reads them (`lists.commonmark_lists`) before anything else.
    """
    text = commonmark_lists(text)
    out: list[str] = []
    offset = 0
    for chunk, kind in _pieces(text):
        if kind != PROSE:
            out.append(_make_code_safe(chunk, kind, snippets))
        else:
            if rewrite is not None:
                chunk = _rewrite_chunk(chunk, offset, rewrite)
            out.append(_make_prose_safe(chunk))
        offset += len(chunk)
    return "".join(out)


def code_block(code: str, language: str = "", *, snippets: bool = False) -> str:
    """A fenced code block that shows ``code`` exactly as typed, with a copy button.

    The fence is longer than any run of backticks in the code, so nothing in it can end the
    block; where snippets are on, their lines are escaped as in any YAML code.
    """
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    body = _make_code_safe(code.rstrip("\n"), INDENTED, snippets)
    return f"{fence} {{ .{language or 'text'} .copy .playbook-code }}\n{body}\n{fence}"


def _make_code_safe(code: str, kind: str, snippets: bool) -> str:
    if kind == FENCE:
        # A fence's `{ ... }` would set attributes through attr_list, and its options belong
        # to the site's owner: YAML code fences name a language and nothing else.
        code = _FENCE_INFO_RE.sub(r"\1\2", code, count=1)
    return _SNIPPET_LINE_RE.sub(r"\1;", code) if snippets else code


def _make_prose_safe(text: str) -> str:
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

    def drop_unsafe(match: re.Match[str]) -> str:
        link = _link(match, 0)
        if is_safe_url(link.target):
            return match.group(0)
        return link.text

    if "](" in text:
        text = _LINK_RE.sub(drop_unsafe, text)
    if "]:" in text:
        text = _REFERENCE_DEF_RE.sub(
            lambda m: m.group(0) if is_safe_url(m.group("target")) else "", text
        )
    if _names_script_url(text):
        # A script URL is left in a link form the patterns above do not know (Python-Markdown
        # has more: a space before the target, nested brackets, definitions in a quote...).
        # Fail closed: no bracket in this text may make a link, a reference or a definition
        # (definitions apply to the whole page, so they must die where they are written).
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
    """Plain text made safe to put into Markdown: one line, no HTML, no Markdown syntax, no
    emoji shortcodes."""
    # Cached: pages show the same titles and names over and over, in links and cards.
    escaped = html.escape(text, quote=False)
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

"""The YAML Markdown dialect: what a Markdown field from YAML becomes, as HTML.

Each case goes through the plugin's escaping and then through Python-Markdown with the
extensions a site commonly enables, attr_list and snippets among them, but not through the
sanitiser: this is the first layer on its own.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor
from pymdownx.superfences import fence_code_format

from mkdocs_playbook.model import balance_bidi, markdown_text, plain_text, tag_text
from mkdocs_playbook.render.markup import (
    attribute_text,
    code_span,
    code_spans,
    escape_text,
    find_links,
    make_untrusted_markdown_safe,
    markdown_description,
    split_pieces,
)
from mkdocs_playbook.render.site_setup import EXTENSION_OPTIONS, MARKDOWN_EXTENSIONS

Convert = Callable[[str], str]


@functools.cache
def converter(base: str) -> markdown.Markdown:
    """Python-Markdown as a site with snippets, attr_list and md_in_html configures it."""
    return markdown.Markdown(
        extensions=[
            *MARKDOWN_EXTENSIONS,
            "def_list",
            "pymdownx.snippets",
            "pymdownx.emoji",
            "pymdownx.blocks.html",
        ],
        extension_configs={
            **EXTENSION_OPTIONS,
            "pymdownx.snippets": {"base_path": [base], "check_paths": False},
            "pymdownx.superfences": {
                "custom_fences": [
                    {"name": "mermaid", "class": "mermaid", "format": fence_code_format}
                ]
            },
        },
    )


@pytest.fixture
def yaml_markdown(tmp_path: Path) -> Convert:
    """Convert YAML Markdown to HTML next to a secret file that snippets could include."""
    (tmp_path / "secret.txt").write_text("TOPSECRET\n", encoding="utf-8")

    def convert(text: str) -> str:
        safe = make_untrusted_markdown_safe(text, snippets=True)
        return converter(str(tmp_path)).reset().convert(safe)

    return convert


def test_attribute_lists_show_as_typed(yaml_markdown: Convert) -> None:
    html = yaml_markdown('[a](https://ok.example){ onclick="x" }\n\nPara\n{: .md-dialog }\n')
    assert not re.search(r"<[^>]*\sonclick=", html) and 'class="md-dialog"' not in html
    assert '{ onclick="x" }' in html and "{: .md-dialog }" in html


def test_a_backslash_cannot_unescape_an_attribute_list(yaml_markdown: Convert) -> None:
    html = yaml_markdown('[a](https://ok.example)\\\\{ onclick="x" }\n')
    assert not re.search(r"<[^>]*\sonclick=", html)
    assert '\\{ onclick="x" }' in html


def test_code_fences_keep_only_their_language(yaml_markdown: Convert) -> None:
    html = yaml_markdown('```python { #fence .md-dialog data-x="1" }\nprint(1)\n```\n')
    assert 'id="fence"' not in html and "md-dialog" not in html and "data-x" not in html
    assert "print" in html


def test_snippet_lines_are_shown_not_followed(yaml_markdown: Convert) -> None:
    for text in (
        '--8<-- "secret.txt"',
        '```\n--8<-- "secret.txt"\n```',
        "--8<--\nsecret.txt\n--8<--",
    ):
        html = yaml_markdown(text + "\n")
        assert "TOPSECRET" not in html, text
        assert "--8&lt;--" in html or "--8<--" in html, text


def test_snippets_escape_is_left_out_where_snippets_is_off() -> None:
    code = '```\n--8<-- "secret.txt"\n```\n'
    assert make_untrusted_markdown_safe(code) == code
    assert ";--8<--" in make_untrusted_markdown_safe(code, snippets=True)


def test_indented_code_shows_its_text_as_typed(yaml_markdown: Convert) -> None:
    html = yaml_markdown("Para\n\n    <b>x</b> & {: y }\n")
    assert "<pre><code>&lt;b&gt;x&lt;/b&gt; &amp; {: y }\n</code></pre>" in html


def test_a_list_continuation_is_prose_not_code(yaml_markdown: Convert) -> None:
    assert split_pieces("- item\n\n    more <b>\n") == [("- item\n\n    more <b>\n", "prose")]
    assert "&lt;b&gt;" in yaml_markdown("- item\n\n    more <b>\n")


def test_a_triple_backtick_span_keeps_its_text() -> None:
    assert make_untrusted_markdown_safe("use ```a { b }``` here") == "use ```a { b }``` here"


def test_plain_text_hides_shortcodes_and_definitions() -> None:
    html = converter("/nonexistent").reset().convert("Term\n\n" + escape_text(": a :smile: b"))
    assert "<dd>" not in html and "twemoji" not in html and "<img" not in html
    assert ": a :smile: b" in html.replace("&#58;", ":")


def test_plain_text_is_one_line() -> None:
    assert plain_text(" a\nb\u2028c\u2029 d\r\n") == "a b c d"
    assert escape_text("a\u2028b\rc") == "a b c"


def test_bidi_controls_are_closed_and_isolated() -> None:
    assert plain_text("a\u202eb") == "\u2068a\u202eb\u202c\u2069"
    # A stray closer is dropped, so it cannot close the isolate early.
    assert plain_text("\u2069\u202ex") == "\u2068\u202ex\u202c\u2069"
    assert balance_bidi("\u2067a\u202eb\u2069c") == "\u2067a\u202eb\u2069c"
    assert markdown_text("a\u202eb\nc\n") == "a\u202eb\u202c\nc\n"


def test_tags_are_nfc() -> None:
    assert tag_text("cafe\u0301") == "caf\u00e9"


def test_html_blocks_show_as_typed(yaml_markdown: Convert) -> None:
    html = yaml_markdown('/// html | div[onclick="x"]\ntext\n///\n')
    assert not re.search(r"<div[^>]*onclick", html)
    assert '/// html | div[onclick="x"]' in html.replace("&#47;", "/")


def test_fences_nested_in_lists_and_quotes_keep_their_code(yaml_markdown: Convert) -> None:
    for text in ("- item\n\n    ```\n    <b>{x}</b>\n    ```\n", "> ```\n> <b>{x}</b>\n> ```\n"):
        assert "<code>&lt;b&gt;{x}&lt;/b&gt;\n</code>" in yaml_markdown(text), text


def test_a_fence_whose_lines_lose_its_prefix_is_taken_for_prose() -> None:
    text = "- a\n\n    ```\n  <b>x</b>\n    ```"
    assert split_pieces(text) == [(text, "prose")]


def _python_markdown_spans(text: str) -> list[tuple[int, int]]:
    """Code spans as Python-Markdown's inline loop finds them, through its own regex."""
    pattern = re.compile(BACKTICK_RE, re.DOTALL | re.UNICODE)
    finder = BacktickInlineProcessor(BACKTICK_RE)
    found: list[tuple[int, int]] = []
    position = 0
    while match := pattern.search(text, position):
        if match.group(1):
            # The loop puts a placeholder where escaped backslashes were, and searches on.
            text = text[: match.start()] + "\x03" * len(match.group(1)) + text[match.end() :]
            position = match.end()
            continue
        start, end = finder.find_code_spans(match.start(), text)
        if end is None:
            position = start
            continue
        position = end + (start - match.start())
        found.append((match.start(), position))
    return found


@given(st.text(alphabet="`\\ a\n", max_size=40))
def test_code_spans_are_where_python_markdown_finds_them(text: str) -> None:
    assert code_spans(text) == _python_markdown_spans(text)


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.found.append(dict(attrs))


# Text without control characters (which YAML and the loader refuse), but with line breaks.
LABEL_CHARACTERS = st.one_of(
    st.characters(blacklist_categories=("Cs", "Cc")), st.sampled_from("\n\t\x85\u2028")
)


@given(st.text(LABEL_CHARACTERS))
def test_kind_text_in_an_attribute_list_is_its_value_as_typed(text: str) -> None:
    # A kind's label is an icon's tooltip through `{ title="..." }`.
    source = f'[a](https://ok.example){{ title="{attribute_text(text)}" }}'
    parser = _Attributes()
    parser.feed(converter(".").reset().convert(source))
    folded = re.sub("[\n\x85\u2028]+", " ", text).strip()
    assert [a.get("title") for a in parser.found] == [folded]
    assert all(set(a) <= {"href", "title"} for a in parser.found)


@given(st.text(min_size=1).filter(lambda t: t.strip() == t and t.isprintable()))
def test_a_path_shown_as_code_is_shown_as_typed(text: str) -> None:
    html = converter(".").reset().convert("Source: " + code_span(text))
    code = re.search(r"<code>(.*)</code>", html, re.DOTALL)
    assert code is not None and unescape(re.sub(r"<[^>]+>", "", code.group(1))) == text


def test_descriptions_are_markdown_with_html_escaped_and_pipes_kept_in_their_cell() -> None:
    cell = markdown_description("**a** | b </td><td> <script>x</script>", table_cell=True)
    html = converter(".").reset().convert(f"| h | i |\n| --- | --- |\n| {cell} | j |\n")
    assert (
        '<td data-label="h"><strong>a</strong> | b &lt;/td&gt;&lt;td&gt; '
        "&lt;script&gt;x&lt;/script&gt;</td>" in html
    )


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("[a]( persona:x)", [("a", "persona:x", 0)]),
        ("x\n[a](\npersona:x 't')", [("a", "persona:x", 2)]),
        ('[a](<persona:x> "t")', [("a", "persona:x", 0)]),
        ("[a [b] c](persona:x)", [("a [b] c", "persona:x", 0)]),
        ("**[](persona:x)**", [("", "persona:x", 2)]),
        ("[a][R]\n\n[r]: persona:x", [("a", "persona:x", 0)]),
        ("[r][] and [r]\n\n[r]: <persona:x>", [("r", "persona:x", 0), ("r", "persona:x", 10)]),
        ("> - [a](persona:x)", [("a", "persona:x", 4)]),
        ("![i](persona:x)", [("i", "persona:x", 0)]),
        ("`[a](persona:x)` and \\[a](persona:x)", []),
        ("```\n[a](persona:x)\n```\n\n    [b](persona:y)", []),
        ("[a][missing] [b]", []),
    ],
)
def test_links_are_what_python_markdown_reads(text: str, found: list[tuple[str, str, int]]) -> None:
    assert [(link.text, link.target, link.offset) for link in find_links(text)] == found

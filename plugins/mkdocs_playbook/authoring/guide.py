"""The authoring guide: a Markdown page written from the model and the loader themselves.

Field tables come from the model's field descriptions; the messages an author meets are
produced by running the real loader on small broken files, so the guide cannot drift from
what `mkdocs build` and `playbook validate` say.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..diagnostics import Diagnostic
from ..kinds.models import Kind
from ..kinds.registry import KindRegistry, builtin_kinds
from ..model import ID_PATTERN, WHOLE_KIND, EntityBase
from ..options import DEFAULTS
from ..render.markup import code_span, escape_text, markdown_description
from ..resolve.checked import check_playbook
from .examples import example_of, examples
from .field_docs import FieldDoc, field_docs, own_fields

GUIDE_TITLE = "Authoring guide"


@dataclass(frozen=True)
class MessageExample:
    """A small mistake, and what the loader says about it."""

    title: str
    explanation: str
    files: tuple[tuple[str, str], ...]
    """(path under the playbook folder, YAML) of the broken files."""
    needs: tuple[str, ...] = ()
    """The kinds its files name besides their folders' (the guide of a playbook without
    them leaves the example out)."""
    field: str | None = None
    """The field the mistake is in, when only its messages are shown (the example of a
    playbook's own kind may name entities that only its playbook has)."""

    def fits(self, kinds: KindRegistry) -> bool:
        """Whether a playbook of these kinds has every kind the example names."""
        folders = {path.split("/", 1)[0] for path, _ in self.files}
        return folders <= set(kinds.by_collection) and set(self.needs) <= kinds.names


MESSAGE_EXAMPLES_FILE = Path(__file__).parent / "message_examples.yaml"
"""The examples, as data: the guide's text is not Python."""


def _message_examples() -> tuple[MessageExample, ...]:
    data = yaml.safe_load(MESSAGE_EXAMPLES_FILE.read_text(encoding="utf-8"))
    return tuple(
        MessageExample(
            example["title"],
            example["explanation"],
            tuple((file["path"], file["yaml"]) for file in example["files"]),
            tuple(example.get("needs", ())),
        )
        for example in data
    )


MESSAGE_EXAMPLES: tuple[MessageExample, ...] = _message_examples()


@functools.lru_cache(maxsize=8)
def render_authoring_guide(kinds: KindRegistry | None = None) -> str:
    """The authoring guide as one Markdown page, for the built-in kinds or a playbook's own."""
    kinds = kinds or builtin_kinds()
    parts = [
        f"# {GUIDE_TITLE}\n",
        "This page is generated from the plugin's content model. The fields, types and "
        "messages below are the ones `mkdocs build` and `playbook validate` check.\n",
        _files_section(kinds),
        _common_fields_section(),
        *(_kind_section(kind) for kind in kinds),
        _refs_section() if _has_every_builtin(kinds) else _own_refs_section(kinds),
        _messages_section() if _has_every_builtin(kinds) else _some_messages_section(kinds),
        _tools_section(),
    ]
    return "\n".join(parts)


def _has_every_builtin(kinds: KindRegistry) -> bool:
    """Whether a playbook has every packaged kind (`builtin_kinds: all`, the default)."""
    return builtin_kinds().names <= kinds.names


def run_message_example(
    example: MessageExample, kinds: KindRegistry | None = None
) -> list[Diagnostic]:
    """What validation says about an example's files, next to the valid example playbook."""
    kinds = kinds or builtin_kinds()
    with tempfile.TemporaryDirectory(prefix="playbook-guide-") as folder:
        root = Path(folder)
        files = {e.path: e.yaml for e in examples(kinds)} | dict(example.files)
        for relative, text in files.items():
            path = root / DEFAULTS.playbooks_dir / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return check_playbook(
            root / DEFAULTS.playbooks_dir,
            project_dir=root,
            max_file_size=DEFAULTS.max_file_size,
            builtins=kinds,
        ).diagnostics


# -- sections -------------------------------------------------------------------------------


def _files_section(kinds: KindRegistry) -> str:
    rows = "\n".join(
        f"| {escape_text(kind.singular)} | {code_span(kind.collection + '/')} | `{kind.name}` "
        f"| {markdown_description(_first_line(kind.model), table_cell=True)} |"
        for kind in kinds
    )
    return f"""\
## Files and ids

A playbook is a folder of YAML files, `playbooks/` unless the plugin's `playbooks_dir`
option says otherwise. Each file holds one entity:

- The file is `playbooks/<folder>/<id>.yaml` (or `.yml`). The folder names the kind; the
  file name is the entity's id.
- An id matches `{ID_PATTERN}`: 1 to 64 lowercase letters, digits and hyphens. Ids are
  unique within a kind.
- Files and folders whose names start with `_` or `.` are left out (drafts, notes).
  `playbooks/<folder>/_index.md` is the Markdown introduction of that kind's index page.
- Text may be written plain, in quotes, or as a block (`|`). Markdown fields may hold links,
  lists and inline refs.

| Kind | Folder | In refs | What it is |
| --- | --- | --- | --- |
{rows}
"""


def _common_fields_section() -> str:
    return (
        "## Fields every kind has\n\n"
        + _fields_table(field_docs(EntityBase))
        + "\nFields marked *Markdown* are rendered as Markdown and may hold inline refs.\n"
    )


def _kind_section(kind: Kind) -> str:
    example = example_of(kind)
    fields = own_fields(kind.model)
    table = _fields_table(fields) if fields else "It has only the fields every kind has.\n"
    shown = (
        f"Example, `playbooks/{example.path}`:\n\n```yaml\n{example.yaml.rstrip()}\n```\n"
        if example
        else ""
    )
    files = code_span(f"playbooks/{kind.collection}/<id>.yaml")
    return f"""\
## {escape_text(kind.singular)}

{markdown_description(_first_line(kind.model))} Files: {files}; refs: `{kind.name}:<id>`.

Besides the fields every kind has:

{table}
{shown}"""


def _refs_section() -> str:
    return f"""\
## Refs

A ref names another entity, and the site turns it into a link.

- In a field that takes one kind (`personas`, `strategy`, `metric`...), write the id:
  `personas: [social-smoker-sally]`. The full form `persona:social-smoker-sally` works too.
- In a field that takes any kind (`related`, `subjects`, `illustrates`), write `kind:id`:
  `related: [play:respond-to-every-comment]`.
- `{WHOLE_KIND}:<kind>` names a whole kind and links to its index page, e.g.
  `subjects: [{WHOLE_KIND}:strategy, {WHOLE_KIND}:campaign]` compares strategies with campaigns.
- In Markdown (in entity fields and in the pages under `docs/`), write a link whose target
  is a ref: `[Sally](persona:social-smoker-sally)` links with your text, and
  `[](persona:social-smoker-sally)` takes the entity's title.
- Every ref is checked at each build. An unknown ref is a warning that names the file and
  field (and suggests a close id); `mkdocs build --strict` and `playbook validate --strict`
  fail on it. A ref of the wrong kind, or one that is not a ref at all, is an error.
- Refs work both ways: each entity's page lists what refers to it, grouped by relation.
"""


@functools.cache
def _messages_section() -> str:
    parts = [
        "## Messages you may meet\n",
        "Each problem is one line: `file:line:column: field: message`. Errors stop the "
        "build; warnings stop it only with `--strict`. These are real messages, for the "
        "files shown next to the example playbook above.\n",
    ]
    for example in MESSAGE_EXAMPLES:
        parts.append(_message_example(example))
    return "\n".join(parts)


def _some_messages_section(kinds: KindRegistry) -> str:
    """The messages of the examples that name only kinds the playbook has; where none
    does, of mistakes made in the playbook's own example."""
    fitting = [example for example in MESSAGE_EXAMPLES if example.fits(kinds)]
    fitting = fitting or own_message_examples(kinds)
    parts = [
        "## Messages you may meet\n",
        "Each problem is one line: `file:line:column: field: message`. Errors stop the "
        "build; warnings stop it only with `--strict`."
        + (" These are real messages, for the files shown." if fitting else "")
        + "\n",
    ]
    parts += [_message_example(example, kinds) for example in fitting]
    return "\n".join(parts)


def own_message_examples(kinds: KindRegistry) -> list[MessageExample]:
    """Mistakes made in the example entity of the playbook's first kind that gives one: a
    misspelt field, a missing title, a ref to an id that does not exist and one to a kind
    that does not."""
    example = next(iter(examples(kinds)), None)
    if example is None:
        return []
    data = yaml.safe_load(example.yaml)
    if not isinstance(data, dict):
        return []
    name, ident = example.kind.name, example.id
    near = ident[:-1] if (len(ident) > 1 and ident[-2] != "-") or len(ident) == 64 else ident + "x"
    plural = example.kind.plural.lower()

    def made(
        title: str, explanation: str, changed: dict[str, object], field: str
    ) -> MessageExample:
        text = yaml.safe_dump(changed, sort_keys=False, allow_unicode=True, width=80)
        return MessageExample(title, explanation, ((example.path, text),), field=field)

    related = [r for r in data.get("related", ()) if isinstance(r, str)]
    return [
        made(
            "A field name is misspelt",
            "Only the fields of the kind are allowed; the message names the closest one.",
            {**data, "tagz": ["first"]},
            "tagz",
        ),
        made(
            "A required field is missing",
            f"Every kind needs `title`; {escape_text(plural)} need the fields their table "
            "marks required.",
            {key: value for key, value in data.items() if key != "title"},
            "title",
        ),
        made(
            "A ref names an id that does not exist",
            "The message suggests the closest id of the kind. It is a warning: the build "
            "goes on, but `--strict` stops on it.",
            {**data, "related": [*related, f"{name}:{near}"]},
            "related",
        ),
        made(
            "A ref names a kind the playbook does not have",
            "The kind in a ref is one of the playbook's kinds; the message names the closest "
            "one, or lists them all.",
            {**data, "related": [*related, f"{name}s:{ident}"]},
            "related",
        ),
    ]


def _own_refs_section(kinds: KindRegistry) -> str:
    """The refs section, its examples taken from the playbook's own kinds."""
    kind = next(iter(kinds), None)
    name = kind.name if kind else "<kind>"
    field = next(
        (
            (f.name, f.kind)
            for k in kinds
            for f in k.spec.fields
            if f.type == "refs" and f.kind is not None
        ),
        None,
    )
    fixed = (
        f"`{field[0]}: [<id>]`. The full form `{field[1]}:<id>` works too."
        if field
        else "`<field>: [<id>]`. The full form `<kind>:<id>` works too."
    )
    return f"""\
## Refs

A ref names another entity, and the site turns it into a link.

- In a field that takes one kind, write the id: {fixed}
- In a field that takes any kind (`related`), write `kind:id`: `related: [{name}:<id>]`.
- `{WHOLE_KIND}:<kind>` names a whole kind and links to its index page: `{WHOLE_KIND}:{name}`.
- In Markdown (in entity fields and in the pages under `docs/`), write a link whose target
  is a ref: `[text]({name}:<id>)` links with your text, and `[]({name}:<id>)` takes the
  entity's title.
- Every ref is checked at each build. An unknown ref is a warning that names the file and
  field (and suggests a close id); `mkdocs build --strict` and `playbook validate --strict`
  fail on it. A ref of the wrong kind, or one that is not a ref at all, is an error.
- Refs work both ways: each entity's page lists what refers to it, grouped by relation.
"""


def _message_example(example: MessageExample, kinds: KindRegistry | None = None) -> str:
    diagnostics = run_message_example(example, kinds)
    if example.field is not None:
        field = example.field
        diagnostics = [d for d in diagnostics if d.field.split("[", 1)[0] == field]
    files = "\n".join(
        f"`playbooks/{path}`:\n\n```yaml\n{text.rstrip()}\n```\n" for path, text in example.files
    )
    lines = "\n".join(str(d) for d in diagnostics)
    warning_only = bool(diagnostics) and not any(d.is_error for d in diagnostics)
    note = " (a warning)" if warning_only else ""
    return (
        f"### {example.title}\n\n{example.explanation}\n\n{files}\n"
        f"`playbook validate` says{note}:\n\n```text\n{lines}\n```\n"
    )


def _tools_section() -> str:
    return """\
## Tools that help

- `playbook validate` checks the playbook and the refs in `docs/` without building the site.
- `playbook new <kind> <id>` writes a new file with every field of the kind, ready to fill in.
- `playbook schema` writes a JSON Schema per kind, so editors with the YAML language server
  complete field names and flag mistakes as you type.
"""


# -- tables ---------------------------------------------------------------------------------


def _fields_table(docs: tuple[FieldDoc, ...]) -> str:
    rows = "".join(_rows(docs, prefix=""))
    return "| Field | Type | Required | Meaning |\n| --- | --- | --- | --- |\n" + rows


def _rows(docs: tuple[FieldDoc, ...], prefix: str) -> Iterator[str]:
    for doc in docs:
        name = prefix + doc.name
        required = "no"
        if doc.required:
            required = f"yes, at least {doc.min_items}" if doc.min_items > 1 else "yes"
        kind_of = doc.type_markdown.replace("\n", " ")
        meaning = markdown_description(doc.description, table_cell=True)
        yield f"| `{name}` | {kind_of} | {required} | {meaning} |\n"
        if doc.fields:
            yield from _rows(doc.fields, prefix=name + ("[]." if doc.shape == "list" else "."))


def _first_line(model: type[EntityBase]) -> str:
    lines = (model.__doc__ or "").strip().splitlines()
    return lines[0] if lines else ""

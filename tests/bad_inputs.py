"""The bad-input matrix: each case is an input and the exact line its author sees.

`test_bad_inputs.py` runs every case, and renders this table into `docs/authors/bad-inputs.md`,
so the documented behaviour is the tested behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PERSONA = "title: Sally\nsummary: A smoker.\nbarriers: [Stress]\nmotivators: [Money]\n"
STAGE = "title: Research\nsummary: Find out.\norder: 1\n"
STRATEGY = (
    "title: Plan\nsummary: The plan.\nhorizon: 1 year\nobjectives:\n"
    "  - statement: Grow\n    metric: reach\n    target: 10%\n    deadline: 2027-01-01\n"
)
METRIC = "title: Reach\nsummary: People reached.\n"
BASE = {
    "playbooks/personas/sally.yaml": PERSONA,
    "playbooks/stages/research.yaml": STAGE,
    "playbooks/strategies/plan.yaml": STRATEGY,
    "playbooks/metrics/reach.yaml": METRIC,
}
"""A small valid playbook that ref cases point into."""


@dataclass(frozen=True)
class Case:
    """One bad input: the files written (over `BASE`), and the line the author sees."""

    group: str
    input: str
    files: dict[str, str | bytes]
    sees: str
    warning: bool = False
    links: dict[str, str] = field(default_factory=dict)
    """Symlinks to create: link path → target (relative to the project)."""
    builtin_kinds: tuple[str, ...] | None = None
    """The packaged kinds the playbook has (the plugin's `builtin_kinds`); all by default."""


def _persona(extra: str) -> str:
    return PERSONA + extra


RISK = "playbooks/risks/_kind.yaml"
"""A new kind's file; its cases give it one bad key."""
NOT_AN_ICON = (
    "is not an icon name: write a Material icon as set/name, such as 'material/target', in "
    "lowercase letters, digits, hyphens and underscores"
)
NOT_A_FOLDER = (
    "is not a folder name the site can use: use 1 to 64 lowercase letters, digits and "
    "hyphens, starting with a letter or digit; rename the folder"
)
NOT_A_PAGE_TEMPLATE = (
    "is not a template of entity pages (a template of your own goes in the templates folder)"
)
A_PARTIAL = (
    "is a partial that page templates import, not a page template; name a page template "
    "such as 'generic.md.jinja', or one of your own"
)


def _risk(kind_file: str) -> dict[str, str | bytes]:
    return {RISK: "name: risk\n" + kind_file, "playbooks/risks/a.yaml": "title: A\nsummary: s\n"}


def _field_named(name: str) -> Case:
    return Case(
        "Kind files",
        f"a field named {name}",
        _risk(f"fields:\n  {name}: {{type: text}}\n"),
        f"{RISK}:3:3: fields.{name}: '{name}' is a name the validating model keeps for "
        f"itself; rename the field, e.g. to '{name.removeprefix('model_')}_value'",
    )


def _reserved_folder(name: str, path: str) -> Case:
    return Case(
        "Kind files",
        f"a collection folder named {name}",
        {f"playbooks/{name}/_kind.yaml": "name: thing\n", f"playbooks/{name}/a.yaml": PERSONA},
        f"playbooks/{name}:1:1: collection: '{name}' is where the site puts {path}; a "
        "collection there would replace it: rename the folder",
    )


CASES: list[Case] = [
    # -- YAML ------------------------------------------------------------------------------
    Case(
        "YAML",
        "a syntax error (unclosed bracket)",
        {"playbooks/personas/sally.yaml": "title: [Sally\nsummary: s\n"},
        "playbooks/personas/sally.yaml:2:8: yaml: expected ',' or ']', but got ':'; fix the "
        "YAML syntax",
    ),
    Case(
        "YAML",
        "a line indented deeper than the one before",
        {
            "playbooks/personas/sally.yaml": _persona(
                "behaviour:\n  current: Smokes.\n   desired: Stops.\n"
            )
        },
        "playbooks/personas/sally.yaml:7:4: yaml: line 7 is indented by 3 spaces, more than "
        "line 6 (2), which has its value already: line them up; if the ':' belongs to the text, "
        "put the value in quotes",
    ),
    Case(
        "YAML",
        "two lines of one block indented differently",
        {
            "playbooks/personas/sally.yaml": _persona(
                "behaviour:\n     current: Smokes.\n    desired: Stops.\n"
            )
        },
        "playbooks/personas/sally.yaml:6:6: yaml: line 6 is indented by 5 spaces and line 7 by "
        "4: lines of one block line up; indent them the same",
    ),
    Case(
        "YAML",
        "a tab used for indentation",
        {"playbooks/personas/sally.yaml": "title: Sally\n\tsummary: s\n"},
        "playbooks/personas/sally.yaml:2:1: yaml: found character '\\t' that cannot start any "
        "token; fix the YAML syntax",
    ),
    Case(
        "YAML",
        "bytes that are not UTF-8",
        {"playbooks/personas/sally.yaml": b"title: Sally\nsummary: caf\xe9\n"},
        "playbooks/personas/sally.yaml:2:13: encoding: is not valid UTF-8 (byte 0xe9); save "
        "the file as UTF-8",
    ),
    Case(
        "YAML",
        "a control character",
        {"playbooks/personas/sally.yaml": "title: Sal\x07ly\n"},
        "playbooks/personas/sally.yaml:1:11: yaml: the control character U+0007 is not allowed "
        "in YAML; remove it",
    ),
    Case(
        "YAML",
        "an empty file",
        {"playbooks/personas/sally.yaml": ""},
        "playbooks/personas/sally.yaml:1:1: yaml: the file is empty; write the entity's fields",
    ),
    Case(
        "YAML",
        "a list at the top level",
        {"playbooks/personas/sally.yaml": "- title: Sally\n"},
        "playbooks/personas/sally.yaml:1:1: yaml: expected a mapping of fields at the top "
        "level, got a list; write 'title: ...', 'summary: ...' and so on",
    ),
    Case(
        "YAML",
        "a scalar at the top level",
        {"playbooks/personas/sally.yaml": "Sally\n"},
        "playbooks/personas/sally.yaml:1:1: yaml: expected a mapping of fields at the top "
        "level, got text; write 'title: ...', 'summary: ...' and so on",
    ),
    Case(
        "YAML",
        "several documents in one file",
        {"playbooks/personas/sally.yaml": PERSONA + "---\n" + PERSONA},
        "playbooks/personas/sally.yaml:5:1: yaml: found a second document ('---'); keep one "
        "entity per file",
    ),
    Case(
        "YAML",
        "a duplicate key",
        {"playbooks/personas/sally.yaml": _persona("title: Sal\n")},
        "playbooks/personas/sally.yaml:5:1: title: duplicate key 'title' (first set at line "
        "1); keep one of them",
    ),
    Case(
        "YAML",
        "a value YAML reads as syntax ('=')",
        {"playbooks/personas/sally.yaml": PERSONA.replace("title: Sally", "title: =")},
        "playbooks/personas/sally.yaml:1:8: title: '=' means something else to YAML; put the "
        "value in quotes",
    ),
    Case(
        "YAML",
        "a value YAML reads as a merge ('<<')",
        {"playbooks/personas/sally.yaml": PERSONA.replace("title: Sally", "title: <<")},
        "playbooks/personas/sally.yaml:1:8: title: '<<' means something else to YAML; put the "
        "value in quotes",
    ),
    Case(
        "YAML",
        "unquoted text with a colon and a space",
        {"playbooks/personas/sally.yaml": PERSONA.replace("title: Sally", "title: Plan: B")},
        "playbooks/personas/sally.yaml:1:12: yaml: mapping values are not allowed here; if the "
        "':' belongs to the text, put the value in quotes",
    ),
    Case(
        "YAML",
        "unquoted text that starts with '@'",
        {"playbooks/personas/sally.yaml": PERSONA.replace("title: Sally", "title: @sally")},
        "playbooks/personas/sally.yaml:1:8: yaml: found character '@' that cannot start any "
        "token; put the value in quotes",
    ),
    Case(
        "YAML",
        "unquoted text that starts with '*'",
        {"playbooks/personas/sally.yaml": PERSONA.replace("title: Sally", "title: *Sally*")},
        "playbooks/personas/sally.yaml:1:14: yaml: expected alphabetic or numeric character, but "
        "found '*'; to start text with '*' or '&', put the value in quotes",
    ),
    # -- unsafe YAML ---------------------------------------------------------------------------
    Case(
        "Unsafe YAML",
        "a tag that builds a Python object",
        {"playbooks/personas/sally.yaml": "title: !!python/object/apply:os.system [id]\n"},
        "playbooks/personas/sally.yaml:1:8: yaml: the YAML tag "
        "'tag:yaml.org,2002:python/object/apply:os.system' is not allowed; remove it "
        "(playbooks hold plain text, numbers, lists and mappings), or put the value in quotes "
        "if the '!' is part of the text",
    ),
    Case(
        "Unsafe YAML",
        "a custom tag",
        {"playbooks/personas/sally.yaml": "title: !secret Sally\n"},
        "playbooks/personas/sally.yaml:1:8: yaml: the YAML tag '!secret' is not allowed; "
        "remove it (playbooks hold plain text, numbers, lists and mappings), or put the value "
        "in quotes if the '!' is part of the text",
    ),
    Case(
        "Unsafe YAML",
        "an alias bomb (billion laughs)",
        {
            "playbooks/personas/sally.yaml": "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n"
                for p, n in zip("abcdef", "bcdefg", strict=True)
            )
        },
        "playbooks/personas/sally.yaml:1:35: yaml: the file expands to more than 100000 values "
        "through aliases; write the values out instead of repeating anchors",
    ),
    Case(
        "Unsafe YAML",
        "an alias that contains itself",
        {"playbooks/personas/sally.yaml": "title: &a [*a]\n"},
        "playbooks/personas/sally.yaml:1:8: yaml: an alias refers to itself; remove the recursion",
    ),
    Case(
        "Unsafe YAML",
        "a merge key",
        {"playbooks/personas/sally.yaml": "<<: {title: Sally}\n"},
        "playbooks/personas/sally.yaml:1:1: yaml: merge keys ('<<') are not supported; write "
        "the fields out",
    ),
    Case(
        "Unsafe YAML",
        "nesting deeper than 64 levels",
        {"playbooks/personas/sally.yaml": "title: " + "[" * 70 + "]" * 70 + "\n"},
        "playbooks/personas/sally.yaml:1:72: yaml: the YAML is nested more than 64 deep",
    ),
    Case(
        "Unsafe YAML",
        "a file over the size limit (1 MiB by default)",
        {"playbooks/personas/sally.yaml": PERSONA + "# " + "x" * (1024 * 1024) + "\n"},
        "playbooks/personas/sally.yaml:1:1: file: is 1048650 bytes, over the limit of "
        "1048576; split it, or raise the plugin's max_file_size option",
    ),
    # -- schema ------------------------------------------------------------------------------
    Case(
        "Schema",
        "a missing required field",
        {"playbooks/personas/sally.yaml": "title: Sally\nbarriers: [a]\nmotivators: [b]\n"},
        "playbooks/personas/sally.yaml:1:1: summary: is required; add 'summary:'",
    ),
    Case(
        "Schema",
        "null in a required field",
        {"playbooks/personas/sally.yaml": PERSONA.replace("title: Sally", "title:")},
        "playbooks/personas/sally.yaml:1:7: title: is empty; give it a value",
    ),
    Case(
        "Schema",
        "a required text of only spaces",
        {"playbooks/personas/sally.yaml": PERSONA.replace("title: Sally", 'title: "   "')},
        "playbooks/personas/sally.yaml:1:8: title: is only blank space; give it a value",
    ),
    Case(
        "Schema",
        "a Markdown field of only blank lines",
        {"playbooks/personas/sally.yaml": _persona('body: "\\n\\n"\n')},
        "playbooks/personas/sally.yaml:5:7: body: is only blank space; give it a value",
    ),
    Case(
        "Schema",
        "a control character written as an escape",
        {"playbooks/personas/sally.yaml": PERSONA.replace("title: Sally", 'title: "Sal\\x1bly"')},
        "playbooks/personas/sally.yaml:1:8: title: contains U+001B, a control character or "
        "noncharacter; remove it",
    ),
    Case(
        "Schema",
        "a noncharacter in a tag",
        {"playbooks/personas/sally.yaml": _persona('tags: ["a\\uFDD0b"]\n')},
        "playbooks/personas/sally.yaml:5:8: tags[0]: contains U+FDD0, a control character or "
        "noncharacter; remove it",
    ),
    Case(
        "Schema",
        "a list where text belongs",
        {"playbooks/personas/sally.yaml": PERSONA.replace("title: Sally", "title: [Sally]")},
        "playbooks/personas/sally.yaml:1:8: title: expected text, got a list",
    ),
    Case(
        "Schema",
        "text where a list belongs",
        {"playbooks/personas/sally.yaml": PERSONA.replace("[Stress]", "Stress")},
        "playbooks/personas/sally.yaml:3:11: barriers: expected a list, got text; write it "
        "as a list ('- item' lines)",
    ),
    Case(
        "Schema",
        "a mapping where a list belongs",
        {"playbooks/personas/sally.yaml": _persona("goals: {a: b}\n")},
        "playbooks/personas/sally.yaml:5:8: goals: expected a list, got a mapping",
    ),
    Case(
        "Schema",
        "true or false where text belongs",
        {"playbooks/personas/sally.yaml": _persona("quote: false\n")},
        "playbooks/personas/sally.yaml:5:8: quote: expected text, got false (a yes/no value); "
        "put the value in quotes",
    ),
    Case(
        "Schema",
        "a date where text belongs",
        {"playbooks/personas/sally.yaml": _persona("segment: 2024-01-01\n")},
        "playbooks/personas/sally.yaml:5:10: segment: expected text, got the date 2024-01-01; "
        "put the value in quotes",
    ),
    Case(
        "Schema",
        "a wrong type for a number",
        {"playbooks/stages/research.yaml": STAGE.replace("order: 1", "order: first")},
        "playbooks/stages/research.yaml:3:8: order: expected a whole number, got text",
    ),
    Case(
        "Schema",
        "a value outside an enumeration",
        {"playbooks/metrics/reach.yaml": METRIC + "category: awarenes\n"},
        "playbooks/metrics/reach.yaml:3:11: category: 'awarenes' is not one of: awareness, "
        "engagement, traffic, conversion, behaviour, service; did you mean 'awareness'?",
    ),
    Case(
        "Schema",
        "an unknown key",
        {"playbooks/personas/sally.yaml": _persona("segmnt: smokers\n")},
        "playbooks/personas/sally.yaml:5:1: segmnt: unknown field 'segmnt'; did you mean "
        "'segment'?",
    ),
    Case(
        "Schema",
        "an unknown key inside a list item",
        {"playbooks/strategies/plan.yaml": STRATEGY + "    ownr: Sam\n"},
        "playbooks/strategies/plan.yaml:9:5: objectives[0].ownr: unknown field 'ownr'; did you "
        "mean 'owner'?",
    ),
    Case(
        "Schema",
        "a play time of the wrong shape",
        {"playbooks/plays/p.yaml": "title: P\nsummary: s\nwhy: w\nhow: [a]\ntime: [1, 2]\n"},
        'playbooks/plays/p.yaml:5:7: time: expected {min, max, unit} or text such as "2 hours"',
    ),
    Case(
        "Schema",
        "a source URL that is not http(s)",
        {
            "playbooks/personas/sally.yaml": _persona(
                "sources:\n  - title: T\n    url: javascript:alert(1)\n"
            )
        },
        "playbooks/personas/sally.yaml:7:10: sources[0].url: 'javascript:alert(1)' is not an "
        "http(s) or mailto URL; write the full address",
    ),
    Case(
        "Schema",
        "a comparison with one subject",
        {
            "playbooks/comparisons/c.yaml": "title: C\nsummary: s\nsubjects: [metric:reach]\n"
            "dimensions:\n  - name: Goal\n    values: {reach: x}\n"
        },
        "playbooks/comparisons/c.yaml:3:11: subjects: needs at least 2 items",
    ),
    # -- ids and files -----------------------------------------------------------------------
    Case(
        "Ids and files",
        "an id with capitals",
        {"playbooks/personas/Sally.yaml": PERSONA},
        "playbooks/personas/Sally.yaml:1:1: id: 'Sally' is not a valid id: use 1 to 64 "
        "lowercase letters, digits and hyphens, starting with a letter or digit; rename the "
        "file",
    ),
    Case(
        "Ids and files",
        "an id with a space or a dot",
        {"playbooks/personas/sally v2.yaml": PERSONA},
        "playbooks/personas/sally v2.yaml:1:1: id: 'sally v2' is not a valid id: use 1 to 64 "
        "lowercase letters, digits and hyphens, starting with a letter or digit; rename the "
        "file",
    ),
    Case(
        "Ids and files",
        "an id over 64 characters",
        {f"playbooks/personas/{'s' * 65}.yaml": PERSONA},
        f"playbooks/personas/{'s' * 65}.yaml:1:1: id: '{'s' * 65}' is not a valid id: use 1 "
        "to 64 lowercase letters, digits and hyphens, starting with a letter or digit; rename "
        "the file",
    ),
    Case(
        "Ids and files",
        "the same id as .yml and .yaml",
        {"playbooks/personas/sally.yml": PERSONA},
        "playbooks/personas/sally.yml:1:1: id: the id 'sally' is already used by "
        "playbooks/personas/sally.yaml; rename or remove one of them",
    ),
    Case(
        "Ids and files",
        "the id of the collection's index page",
        {"playbooks/personas/index.yaml": PERSONA},
        "playbooks/personas/index.yaml:1:1: id: 'index' is the name of the collection's index "
        "page, which the playbook generates; rename the file",
    ),
    Case(
        "Ids and files",
        "an unknown collection folder",
        {"playbooks/persona/sally.yaml": PERSONA},
        "playbooks/persona:1:1: collection: 'persona' is not a collection folder; did you "
        "mean 'personas'?",
    ),
    Case(
        "Ids and files",
        "a file outside any collection",
        {"playbooks/sally.yaml": PERSONA},
        "playbooks/sally.yaml:1:1: collection: files belong in a collection folder such as "
        "disciplines/; move it there, or start its name with '_' to leave it out",
    ),
    Case(
        "Ids and files",
        "a file that is not YAML",
        {"playbooks/personas/sally.json": "{}"},
        "playbooks/personas/sally.json:1:1: file: only .yaml and .yml files are entities; "
        "rename it, or start its name with '_' to leave it out",
    ),
    Case(
        "Ids and files",
        "a folder inside a collection",
        {"playbooks/personas/old/sally.yaml": PERSONA},
        "playbooks/personas/old:1:1: collection: folders inside a collection are not read; "
        "move its files up, or start its name with '_' to leave it out",
    ),
    Case(
        "Ids and files",
        "a symlink to a file outside the playbooks folder",
        {"secret.yaml": PERSONA},
        "playbooks/personas/eve.yaml:1:1: file: is a link to a file outside the playbooks "
        "folder; refusing to read it",
        links={"playbooks/personas/eve.yaml": "secret.yaml"},
    ),
    Case(
        "Ids and files",
        "a linked folder that leads outside the project",
        {"../outside/channels/radio.yaml": METRIC, "../outside/channels/_index.md": "Hi.\n"},
        "playbooks/channels:1:1: file: is a link that leads outside the project (to "
        "../outside/channels); nothing is read through it: move what it points to into the "
        "project, or remove the link",
        links={"playbooks/channels": "../outside/channels"},
    ),
    Case(
        "Ids and files",
        "an unreadable file (a dangling link)",
        {},
        "playbooks/personas/eve.yaml:1:1: file: cannot be read: No such file or directory",
        links={"playbooks/personas/eve.yaml": "playbooks/personas/_gone.yaml"},
    ),
    # -- kind files ----------------------------------------------------------------------------
    Case(
        "Kind files",
        "an icon that climbs out of the icon folder",
        _risk("icon: material/../../../etc/passwd\n"),
        f"{RISK}:2:7: icon: 'material/../../../etc/passwd' {NOT_AN_ICON}",
    ),
    Case(
        "Kind files",
        "an icon holding markup",
        _risk("icon: 'material/<img src=x onerror=alert(1)>'\n"),
        f"{RISK}:2:7: icon: 'material/<img src=x onerror=alert(1)>' {NOT_AN_ICON}",
    ),
    Case(
        "Kind files",
        "an icon with an attribute list",
        _risk("icon: 'material/target{ .evil }'\n"),
        f"{RISK}:2:7: icon: 'material/target{{ .evil }}' {NOT_AN_ICON}",
    ),
    Case(
        "Kind files",
        "an icon with a space",
        _risk("icon: material/target outline\n"),
        f"{RISK}:2:7: icon: 'material/target outline' {NOT_AN_ICON}",
    ),
    Case(
        "Kind files",
        "an icon Material does not have",
        _risk("icon: material/targt\n"),
        f"{RISK}:2:7: icon: 'material/targt' is not one of Material's icons; did you mean "
        "'material/target'?",
    ),
    Case(
        "Kind files",
        "an icon set Material does not have",
        _risk("icon: materal/target\n"),
        f"{RISK}:2:7: icon: 'materal' is not a set of Material's icons; did you mean 'material'?",
    ),
    Case(
        "Kind files",
        "a collection folder with markup in its name",
        {"playbooks/<b>risks/_kind.yaml": "name: risk\n", "playbooks/<b>risks/a.yaml": PERSONA},
        f"playbooks/<b>risks:1:1: collection: '<b>risks' {NOT_A_FOLDER}",
    ),
    Case(
        "Kind files",
        "a collection folder with capitals",
        {"playbooks/Risks/_kind.yaml": "name: risk\n", "playbooks/Risks/a.yaml": PERSONA},
        f"playbooks/Risks:1:1: collection: 'Risks' {NOT_A_FOLDER}",
    ),
    Case(
        "Kind files",
        "a collection folder with a space",
        {"playbooks/my risks/_kind.yaml": "name: risk\n"},
        f"playbooks/my risks:1:1: collection: 'my risks' {NOT_A_FOLDER}",
    ),
    Case(
        "Kind files",
        "a folder of a built-in kind in capitals",
        {"playbooks/Personas/sally.yaml": PERSONA},
        f"playbooks/Personas:1:1: collection: 'Personas' {NOT_A_FOLDER}; did you mean 'personas'?",
    ),
    Case(
        "Kind files",
        "collection folders named both authors and for-authors",
        {
            "playbooks/authors/_kind.yaml": "name: author\n",
            "playbooks/authors/a.yaml": PERSONA,
            "playbooks/for-authors/_kind.yaml": "name: writer\n",
            "playbooks/for-authors/a.yaml": PERSONA,
        },
        "playbooks/for-authors:1:1: collection: 'for-authors' is where the site puts its "
        "pages for authors when a collection takes 'authors'; a collection there would "
        "replace them: rename this folder or 'authors'",
    ),
    _reserved_folder("schemas", "schemas/discipline.schema.json"),
    _reserved_folder("which-do-i-need", "which-do-i-need.md"),
    _reserved_folder("assets", "assets/playbook/"),
    _reserved_folder("search", "search/search_index.json"),
    _reserved_folder("404", "404.html"),
    _field_named("model_config"),
    _field_named("model_dump"),
    _field_named("model_validate"),
    _field_named("model_extra"),
    _field_named("model_fields_set"),
    _field_named("json"),
    Case(
        "Kind files",
        "a field name starting with an underscore",
        _risk("fields:\n  _secret: {type: text}\n"),
        f"{RISK}:3:3: fields._secret: '_secret' is not a field name: use lowercase letters, "
        "digits and underscores, starting with a letter",
    ),
    Case(
        "Kind files",
        "a template that is a partial",
        _risk("template: _fields.md.jinja\n"),
        f"{RISK}:2:11: template: '_fields.md.jinja' {A_PARTIAL}",
    ),
    Case(
        "Kind files",
        "a template of macros",
        _risk("template: _macros.md.jinja\n"),
        f"{RISK}:2:11: template: '_macros.md.jinja' {A_PARTIAL}",
    ),
    Case(
        "Kind files",
        "a template of another page (the kind index)",
        _risk("template: index.md.jinja\n"),
        f"{RISK}:2:11: template: 'index.md.jinja' makes another page of the site, not an "
        "entity page; name a page template such as 'generic.md.jinja', or one of your own",
    ),
    Case(
        "Kind files",
        "a template that does not exist",
        _risk("template: generik.md.jinja\n"),
        f"{RISK}:2:11: template: 'generik.md.jinja' {NOT_A_PAGE_TEMPLATE}; did you mean "
        "'generic.md.jinja'?",
    ),
    Case(
        "Kind files",
        "an enum without values",
        _risk("fields:\n  level: {type: enum}\n"),
        f"{RISK}:3:10: fields.level: an enum needs its values: add 'values: [a, b, ...]'",
    ),
    Case(
        "Kind files",
        "a type named as in JSON Schema (string)",
        _risk("fields:\n  cost: {type: string}\n"),
        f"{RISK}:3:16: fields.cost.type: 'string' is not a field type; write 'text' (one string)",
    ),
    Case(
        "Kind files",
        "a list without item",
        _risk("fields:\n  notes: {type: list}\n"),
        f"{RISK}:3:3: fields.notes: a list needs 'item:', the type of its items ('item: text', "
        "'item: markdown') or a mapping of their sub-fields",
    ),
    Case(
        "Kind files",
        "order_by naming an enum field",
        _risk("order_by: level\nfields:\n  level: {type: enum, values: [low, high]}\n"),
        f"{RISK}:2:11: order_by: 'level' is an enum field; order by a field of type integer, "
        "number, date, text",
    ),
    Case(
        "Kind files",
        "a kind file without a name, whose ref field names no kind",
        {RISK: "fields:\n  owner: {type: ref, kind: zzz}\n"},
        f"{RISK}:2:28: fields.owner.kind: 'zzz' is not a kind; the kinds are: campaign, "
        "case-study, channel, comparison, discipline, metric, persona, play, stage, strategy",
    ),
    Case(
        "Kind files",
        "required written as maybe",
        _risk("fields:\n  owner: {type: text, required: maybe}\n"),
        f"{RISK}:3:33: fields.owner.required: expected true or false (or yes or no), got 'maybe'",
    ),
    Case(
        "Kind files",
        "flow written as sometimes",
        _risk("flow: sometimes\n"),
        f"{RISK}:2:7: flow: expected true or false (or yes or no), got 'sometimes'",
    ),
    Case(
        "Kind files",
        "an enum value in capitals",
        {
            RISK: "name: risk\nfields:\n  level: {type: enum, values: [sev1, sev2]}\n",
            "playbooks/risks/a.yaml": "title: A\nsummary: s\nlevel: SEV1\n",
        },
        "playbooks/risks/a.yaml:3:8: level: 'SEV1' is not one of: sev1, sev2; did you mean 'sev1'?",
    ),
    Case(
        "Kind files",
        "an address without its scheme in a url field",
        {
            RISK: "name: risk\nfields:\n  site: {type: url}\n",
            "playbooks/risks/a.yaml": "title: A\nsummary: s\nsite: example.org\n",
        },
        "playbooks/risks/a.yaml:3:7: site: 'example.org' is not an http, https or mailto "
        "address; write the full address, such as https://example.org/page",
    ),
    Case(
        "Kind files",
        "words in a date field",
        {
            RISK: "name: risk\nfields:\n  due: {type: date}\n",
            "playbooks/risks/a.yaml": "title: A\nsummary: s\ndue: next week\n",
        },
        "playbooks/risks/a.yaml:3:6: due: expected a date written YYYY-MM-DD, such as "
        "2024-01-31, got text 'next week'",
    ),
    Case(
        "Kind files",
        "a kind file with a problem, and files that refer to its kind",
        {
            RISK: "name: risk\nfields:\n  level: {type: enum}\n",
            "playbooks/risks/a.yaml": "title: A\nsummary: s\n",
            "playbooks/personas/sally.yaml": _persona(
                "related: [risk:a, risk:b]\nbody: See [](risk:a).\n"
            ),
        },
        f"{RISK}:1:1: kind: the kind 'risk' is left out of the build until the problems above "
        "are fixed; refs to it are not checked until then, in playbooks/personas/sally.yaml",
    ),
    # -- refs ----------------------------------------------------------------------------------
    Case(
        "Refs",
        "an unknown ref",
        {"playbooks/plays/p.yaml": "title: P\nsummary: s\nwhy: w\nhow: [a]\nstage: reserch\n"},
        "playbooks/plays/p.yaml:5:8: stage: unknown stage 'reserch'; did you mean 'research'?",
        warning=True,
    ),
    Case(
        "Refs",
        "an unknown ref with nothing close",
        {"playbooks/plays/p.yaml": "title: P\nsummary: s\nwhy: w\nhow: [a]\nstage: zzz\n"},
        "playbooks/plays/p.yaml:5:8: stage: unknown stage 'zzz'; create stages/zzz.yaml or fix "
        "the ref",
        warning=True,
    ),
    Case(
        "Refs",
        "a ref of the wrong kind for its field",
        {"playbooks/plays/p.yaml": "title: P\nsummary: s\nwhy: w\nhow: [a]\nstage: metric:reach\n"},
        "playbooks/plays/p.yaml:5:8: stage: 'metric:reach' is a metric, but this field takes "
        "a stage",
    ),
    Case(
        "Refs",
        "a path-like ref",
        {"playbooks/personas/sally.yaml": _persona("related: [persona:../../etc/passwd]\n")},
        "playbooks/personas/sally.yaml:5:11: related[0]: '../../etc/passwd' in "
        "'persona:../../etc/passwd' is not an id: ids are lowercase letters, digits and "
        "hyphens",
    ),
    Case(
        "Refs",
        "an unknown kind in a ref",
        {"playbooks/personas/sally.yaml": _persona("related: [persnoa:sally]\n")},
        "playbooks/personas/sally.yaml:5:11: related[0]: 'persnoa' in 'persnoa:sally' is not "
        "a kind; did you mean 'persona'?",
    ),
    Case(
        "Refs",
        "a bare id where the field takes any kind",
        {"playbooks/personas/sally.yaml": _persona("related: [research]\n")},
        "playbooks/personas/sally.yaml:5:11: related[0]: 'research' needs its kind here: "
        "write it as kind:id, e.g. stage:research",
    ),
    Case(
        "Refs",
        "a whole kind where one entity belongs",
        {"playbooks/plays/p.yaml": "title: P\nsummary: s\nwhy: w\nhow: [a]\nstage: kind:stage\n"},
        "playbooks/plays/p.yaml:5:8: stage: 'kind:stage' is a whole kind; this field takes "
        "one stage",
    ),
    Case(
        "Refs",
        "a self-reference",
        {"playbooks/personas/sally.yaml": _persona("related: [persona:sally]\n")},
        "playbooks/personas/sally.yaml:5:11: related[0]: 'persona:sally' refers to itself; "
        "remove the ref",
        warning=True,
    ),
    Case(
        "Refs",
        "an unknown inline ref in a Markdown field",
        {
            "playbooks/personas/sally.yaml": _persona(
                "body: |\n  Line one.\n  See [](stage:reserch).\n"
            )
        },
        "playbooks/personas/sally.yaml:7:3: body: unknown stage 'reserch'; did you mean "
        "'research'?",
        warning=True,
    ),
    Case(
        "Refs",
        "an unknown inline ref in a docs/ page",
        {"docs/guide.md": "# Guide\n\nAsk [Sal](persona:sallly).\n"},
        "docs/guide.md:3:1: link: unknown persona 'sallly'; did you mean 'sally'?",
        warning=True,
    ),
    Case(
        "Refs",
        "an inline ref in a docs/ page to a packaged kind that `builtin_kinds` leaves out",
        {"docs/guide.md": "# Guide\n\nRun [it](campaign:launch).\n"},
        "docs/guide.md:3:1: link: 'campaign' in 'campaign:launch' is not a kind; the kinds "
        "are: persona, strategy, stage, metric",
        builtin_kinds=("persona", "strategy", "stage", "metric"),
    ),
    # -- rules -----------------------------------------------------------------------------------
    Case(
        "Rules",
        "a campaign without a strategy",
        {"playbooks/campaigns/c.yaml": "title: C\nsummary: s\n"},
        "playbooks/campaigns/c.yaml:1:1: strategy: is missing: every campaign runs under a "
        "strategy; add 'strategy: <strategy id>'",
    ),
    Case(
        "Rules",
        "comparison values that miss a subject",
        {
            "playbooks/comparisons/c.yaml": "title: C\nsummary: s\n"
            "subjects: [metric:reach, stage:research]\ndimensions:\n  - name: Goal\n"
            "    values:\n      reach: x\n"
        },
        "playbooks/comparisons/c.yaml:7:7: dimensions[0].values: misses the subject "
        "'research'; add 'research: ...'",
    ),
    Case(
        "Rules",
        "comparison values that name a non-subject",
        {
            "playbooks/comparisons/c.yaml": "title: C\nsummary: s\n"
            "subjects: [metric:reach, stage:research]\ndimensions:\n  - name: Goal\n"
            "    values:\n      reach: x\n      research: y\n      sally: z\n"
        },
        "playbooks/comparisons/c.yaml:9:7: dimensions[0].values.sally: 'sally' is not a "
        "subject of this comparison; the subjects are: reach, research",
    ),
    Case(
        "Rules",
        "stage orders that repeat",
        {"playbooks/stages/review.yaml": STAGE.replace("Research", "Review")},
        "playbooks/stages/review.yaml:3:8: order: order 1 is also used by "
        "playbooks/stages/research.yaml; give every stage its own order",
    ),
]

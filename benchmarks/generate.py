"""Generate a synthetic playbook of N entities for the benchmarks.

`generate(root, n, seed)` writes `playbooks/`, `docs/index.md` and `mkdocs.yml` under
``root``. The same ``(n, seed)`` gives the same bytes: every choice comes from one
``random.Random(seed)`` and the entities are made in a fixed order.

The shape follows CONTENT_MODEL.md and a real playbook:

- all ten kinds. Disciplines and stages are small vocabularies in a real playbook, so
  they grow with N only up to a cap (30 disciplines, 12 stages); the other kinds take
  fixed shares of the rest;
- every entity has a Markdown body of a few hundred words (200 to about 500: paragraphs,
  an occasional heading, list, emphasis, code span and outside link);
- every entity writes 3 to 10 refs, in fields (bare ids and full `kind:id`) and inline
  (`[text](kind:id)` and `[](kind:id)`, in the body and in other Markdown fields).
  Targets are drawn with a mild skew, so some entities are hubs with many backlinks;
- comparisons have 3 subjects (disciplines, whole kinds or any entities) and 6
  dimensions; campaigns have stage plans, messages and KPIs; stages have unique orders.

Run it on its own: `python benchmarks/generate.py DIR N [--seed S]`.
"""

from __future__ import annotations

import argparse
import datetime
import random
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

KINDS: tuple[str, ...] = (
    "discipline",
    "comparison",
    "persona",
    "strategy",
    "campaign",
    "stage",
    "metric",
    "channel",
    "case-study",
    "play",
)
COLLECTION = {
    "discipline": "disciplines",
    "comparison": "comparisons",
    "persona": "personas",
    "strategy": "strategies",
    "campaign": "campaigns",
    "stage": "stages",
    "metric": "metrics",
    "channel": "channels",
    "case-study": "case-studies",
    "play": "plays",
}
CAPPED = {"discipline": (0.02, 3, 30), "stage": (0.01, 3, 12)}
"""Kinds that are small vocabularies: (share of N, least, most)."""
SHARES = {
    "comparison": 5,
    "persona": 10,
    "strategy": 8,
    "campaign": 20,
    "metric": 10,
    "channel": 7,
    "case-study": 15,
    "play": 25,
}
"""How the rest of N is shared (percent)."""
MIN_N = 14
"""Three disciplines, three stages and one of every other kind."""

# -- vocabulary -----------------------------------------------------------------------------


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _wrap(text: str) -> str:
    return textwrap.fill(text, 88, break_long_words=False, break_on_hyphens=False)


def _slug(title: str) -> str:
    """A title as an id: lowercase words joined by hyphens, at most 56 characters."""
    words = "".join(c if c.isalnum() else " " for c in title.lower()).split()
    return "-".join(words)[:56].strip("-")


FILLER = _split(
    "the a our their every each this that some most many few more less with for to of in on "
    "by from about across after before during while when where because so and but or yet"
)
NOUNS = _split(
    "audience brand budget campaign channel community content conversation customer data "
    "engagement event feedback focus goal growth habit insight journey launch loyalty market "
    "message metric mission newsletter offer outcome partner persona plan platform post "
    "programme reach report research response result review schedule segment signal story "
    "strategy survey target team tone trust update value video voice volunteer website week "
    "workshop neighbourhood library clinic school council charity shop venue season"
)
VERBS = _split(
    "builds measures tests reaches tracks shapes plans reviews answers schedules publishes "
    "listens invites compares explains shares supports improves focuses grows reduces "
    "encourages rewards records reports adapts"
)
ADJECTIVES = _split(
    "local weekly monthly small clear steady honest visible early late quiet busy simple "
    "careful public digital organic paid direct shared regular seasonal practical useful "
    "friendly loyal curious first new older younger rural urban"
)
PLAY_VERBS = _split(
    "Answer Audit Test Schedule Publish Invite Interview Measure Map Plan Review Reply Share "
    "Track Write Run Host Pilot Segment Survey Tag Record Reuse Thank"
)
DISCIPLINES = (
    "Social marketing",
    "Social media marketing",
    "Social media management",
    "Organic social media",
    "Digital marketing",
    "Content marketing",
    "Email marketing",
    "Search marketing",
    "Community management",
    "Influencer marketing",
    "Public relations",
    "Event marketing",
    "Brand management",
    "Customer service",
    "Partnership marketing",
)
STAGES = (
    "Research",
    "Planning",
    "Pretesting",
    "Implementation",
    "Monitoring",
    "Evaluation",
    "Scoping",
    "Delivery",
    "Review",
    "Handover",
    "Follow up",
    "Archive",
)
DIMENSIONS = (
    "Goal",
    "Audience",
    "Time span",
    "Channels",
    "Measurement",
    "Budget",
    "Team",
    "Tone",
    "Risk",
    "Reach",
    "Cost per result",
    "Skills needed",
)
TAGS = (
    tuple(
        f"{a} {b}"
        for a, b in zip(ADJECTIVES[:20], NOUNS[:40:2], strict=True)  # 20 two-word tags
    )
    + tuple(NOUNS[:20])
)
METRIC_CATEGORIES = ("awareness", "engagement", "traffic", "conversion", "behaviour", "service")
MEDIA = ("social", "search", "email", "web", "mobile", "broadcast", "print", "event", "other")
PLACES = ("Riverside", "Northgate", "Eastfield", "Hillcrest", "Old Town", "Harbour", "Westbrook")
ORGANISATIONS = ("Council", "Library", "Health Trust", "Food Bank", "Museum", "Housing Group")


class Generator:
    """Makes one playbook: ids first (so refs can point anywhere), then every entity."""

    def __init__(self, n: int, seed: int) -> None:
        if n < MIN_N:
            raise ValueError(f"n must be at least {MIN_N} (one of every kind), got {n}")
        self.rng = random.Random(seed)
        self.n = n
        self.counts = kind_counts(n)
        self.titles: dict[str, list[str]] = {}
        self.ids: dict[str, list[str]] = {}
        for kind in KINDS:
            self._name(kind)

    # -- names ------------------------------------------------------------------------------

    def _name(self, kind: str) -> None:
        titles: list[str] = []
        ids: list[str] = []
        used: set[str] = set()
        for index in range(self.counts[kind]):
            title = self._title(kind, index)
            ident = _slug(title)
            if ident in used:
                suffix = 2
                while f"{ident}-{suffix}" in used:
                    suffix += 1
                ident = f"{ident}-{suffix}"
            used.add(ident)
            titles.append(title)
            ids.append(ident)
        self.titles[kind] = titles
        self.ids[kind] = ids

    def _title(self, kind: str, index: int) -> str:
        rng = self.rng
        noun, adjective = rng.choice(NOUNS), rng.choice(ADJECTIVES)
        if kind == "discipline":
            if index < len(DISCIPLINES):
                return DISCIPLINES[index]
            return f"{adjective.capitalize()} {noun} marketing"
        if kind == "stage":
            return STAGES[index] if index < len(STAGES) else f"Stage {index + 1}"
        if kind == "comparison":
            return f"{adjective.capitalize()} {noun} versus {rng.choice(NOUNS)} {rng.choice(NOUNS)}"
        if kind == "persona":
            name = rng.choice(_split("Sam Alex Priya Tom Ada Omar Lin Rosa Ben Maya Kofi Eve"))
            return f"{name} the {adjective} {noun} fan"
        if kind == "strategy":
            return f"{rng.choice(PLACES)} {adjective} {noun} strategy"
        if kind == "campaign":
            word = rng.choice(("push", "campaign", "drive", "challenge", "month"))
            return f"{adjective.capitalize()} {noun} {rng.choice(NOUNS)} {word}"
        if kind == "metric":
            return f"{adjective.capitalize()} {noun} {rng.choice(('rate', 'count', 'share'))}"
        if kind == "channel":
            return (
                f"{rng.choice(PLACES)} {adjective} {noun} {rng.choice(('feed', 'list', 'board'))}"
            )
        if kind == "case-study":
            return f"{rng.choice(PLACES)} {noun} {rng.choice(('pilot', 'trial', 'story'))}"
        return f"{rng.choice(PLAY_VERBS)} the {adjective} {noun} {rng.choice(NOUNS)}"

    # -- refs ------------------------------------------------------------------------------

    def pick(self, kind: str, count: int, exclude: tuple[str, str] | None = None) -> list[str]:
        """Up to ``count`` distinct ids of a kind, skewed towards the first ones (hubs)."""
        pool = self.ids[kind]
        banned = exclude[1] if exclude and exclude[0] == kind else None
        available = [ident for ident in pool if ident != banned]
        count = min(count, len(available))
        chosen: list[str] = []
        for _ in range(count * 8):
            if len(chosen) == count:
                break
            ident = pool[int(len(pool) * self.rng.random() ** 1.5)]
            if ident != banned and ident not in chosen:
                chosen.append(ident)
        for ident in available:  # rarely needed: fill up without skew
            if len(chosen) == count:
                break
            if ident not in chosen:
                chosen.append(ident)
        return chosen

    def field_ref(self, kind: str, ident: str) -> str:
        """A ref as written in a field whose kind is fixed: bare id or full ref."""
        return f"{kind}:{ident}" if self.rng.random() < 0.3 else ident

    def any_target(self, me: tuple[str, str]) -> tuple[str, str]:
        """A random ref target of any kind (now and then a whole kind), never ``me``."""
        if self.rng.random() < 0.04:
            return "kind", self.rng.choice(KINDS)
        while True:
            kind = self.rng.choice(KINDS)
            found = self.pick(kind, 1, exclude=me)
            if found:
                return kind, found[0]

    # -- text ------------------------------------------------------------------------------

    def words(self, count: int) -> list[str]:
        rng = self.rng
        out = []
        for _ in range(count):
            roll = rng.random()
            if roll < 0.35:
                out.append(rng.choice(FILLER))
            elif roll < 0.7:
                out.append(rng.choice(NOUNS))
            elif roll < 0.85:
                out.append(rng.choice(ADJECTIVES))
            else:
                out.append(rng.choice(VERBS))
        return out

    def sentence(self, low: int = 8, high: int = 18) -> str:
        words = self.words(self.rng.randint(low, high))
        roll = self.rng.random()
        if roll < 0.08:
            at = self.rng.randrange(len(words))
            words[at] = f"**{words[at]}**"
        elif roll < 0.14:
            at = self.rng.randrange(len(words))
            words[at] = f"*{words[at]}*"
        elif roll < 0.17:
            at = self.rng.randrange(len(words))
            words[at] = f"`utm_{words[at]}`"
        elif roll < 0.19:
            at = self.rng.randrange(len(words))
            words[at] = f"[{words[at]}](https://example.org/{words[at]})"
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def inline(self, target: tuple[str, str]) -> str:
        """An inline ref: with its own text, or empty text that takes the title."""
        kind, ident = target
        if self.rng.random() < 0.5:
            return f"[]({kind}:{ident})"
        return f"[{' '.join(self.words(self.rng.randint(1, 4)))}]({kind}:{ident})"

    def short_md(self, refs: list[tuple[str, str]], sentences: tuple[int, int] = (1, 2)) -> str:
        """One or two sentences; takes one pending inline ref now and then."""
        text = " ".join(self.sentence() for _ in range(self.rng.randint(*sentences)))
        if refs and self.rng.random() < 0.3:
            text = text[:-1] + " with " + self.inline(refs.pop()) + "."
        return text

    def body(self, refs: list[tuple[str, str]]) -> str:
        """A Markdown body of 200 to 400 words that holds every pending inline ref."""
        rng = self.rng
        budget = rng.randint(200, 400)
        blocks: list[list[str]] = []  # paragraphs as lists of sentences
        extras: dict[int, str] = {}  # block index → heading or list to put before it
        words = 0
        while words < budget:
            index = len(blocks)
            if index and rng.random() < 0.25:
                extras[index] = "### " + " ".join(self.words(rng.randint(2, 5))).capitalize()
            elif index and rng.random() < 0.25:
                items = [self.sentence(4, 10) for _ in range(rng.randint(3, 5))]
                extras[index] = "\n".join(f"- {item}" for item in items)
                words += sum(len(item.split()) for item in items)
            paragraph = [self.sentence() for _ in range(rng.randint(3, 5))]
            words += sum(len(s.split()) for s in paragraph)
            blocks.append(paragraph)
        for target in refs:
            paragraph = rng.choice(blocks)
            at = rng.randrange(len(paragraph))
            paragraph[at] = paragraph[at][:-1] + ", see " + self.inline(target) + "."
        refs.clear()
        parts: list[str] = []
        for index, paragraph in enumerate(blocks):
            if index in extras:
                parts.append(extras[index])
            parts.append(_wrap(" ".join(paragraph)))
        return "\n\n".join(parts) + "\n"

    def summary(self) -> str:
        return " ".join(self.sentence(10, 16) for _ in range(self.rng.randint(1, 2)))

    # -- entities --------------------------------------------------------------------------

    def entity(self, kind: str, index: int) -> dict[str, Any]:
        rng = self.rng
        me = (kind, self.ids[kind][index])
        total = rng.randint(3, 10)
        inline_count = max(1, round(total * rng.uniform(0.3, 0.6)))
        budget = Budget(total - inline_count)
        pending = [self.any_target(me) for _ in range(inline_count)]
        data: dict[str, Any] = {"title": self.titles[kind][index], "summary": self.summary()}
        own = BUILDERS[kind](self, index, me, budget, pending)
        data["body"] = self.body(pending)
        if rng.random() < 0.7:
            data["tags"] = rng.sample(TAGS, rng.randint(1, 3))
        related = [self.any_target(me) for _ in range(budget.left)]
        if related:
            data["related"] = [f"{k}:{i}" for k, i in dict.fromkeys(related)]
        if rng.random() < 0.6:
            data["sources"] = [self.source() for _ in range(rng.randint(1, 2))]
        data.update(own)
        return data

    def source(self) -> dict[str, Any]:
        words = self.words(self.rng.randint(2, 5))
        source: dict[str, Any] = {"title": " ".join(words).capitalize()}
        if self.rng.random() < 0.8:
            source["url"] = "https://example.org/" + "-".join(w for w in words if w.isalpha())
        if self.rng.random() < 0.5:
            source["note"] = self.sentence(4, 9)
        return source


class Budget:
    """How many field refs an entity may still write."""

    def __init__(self, left: int) -> None:
        self.left = left

    def take(self, want: int, least: int = 0) -> int:
        """Grant up to ``want`` refs (always ``least``), and spend them."""
        granted = max(least, min(want, self.left))
        self.left = max(0, self.left - granted)
        return granted


Builder = Callable[[Generator, int, tuple[str, str], Budget, list[tuple[str, str]]], dict[str, Any]]


def _discipline(
    g: Generator, index: int, me: tuple[str, str], b: Budget, refs: list[tuple[str, str]]
) -> dict[str, Any]:
    rng = g.rng
    data: dict[str, Any] = {}
    if rng.random() < 0.6:
        data["aka"] = [" ".join(g.words(2)) for _ in range(rng.randint(1, 2))]
    for name in ("goal", "approach", "audience", "measurement"):
        data[name] = g.short_md(refs)
    data["horizon"] = rng.choice(("3 months", "1 year+", "2 years or more", "ongoing"))
    channels = g.pick("channel", b.take(rng.randint(1, 2)))
    if channels:
        data["channels"] = [g.field_ref("channel", c) for c in channels]
    metrics = g.pick("metric", b.take(rng.randint(1, 2)))
    if metrics:
        data["metrics"] = [g.field_ref("metric", m) for m in metrics]
    data["strengths"] = [g.short_md(refs) for _ in range(rng.randint(2, 3))]
    data["weaknesses"] = [g.short_md(refs) for _ in range(rng.randint(1, 3))]
    return data


def _comparison(
    g: Generator, index: int, me: tuple[str, str], b: Budget, refs: list[tuple[str, str]]
) -> dict[str, Any]:
    rng = g.rng
    b.take(3, least=3)
    roll = rng.random()
    if roll < 0.6:
        subjects = [f"discipline:{d}" for d in g.pick("discipline", 3)]
    elif roll < 0.8:
        subjects = [f"kind:{k}" for k in rng.sample(("strategy", "campaign", "play", "stage"), 3)]
    else:
        found: list[str] = []
        while len(found) < 3:
            kind, ident = g.any_target(me)
            ref = f"{kind}:{ident}"
            if kind not in ("kind", "comparison") and ref not in found:
                found.append(ref)
        subjects = found
    keys = subject_keys(subjects)
    dimensions = []
    for name in rng.sample(DIMENSIONS, 6):
        dimension: dict[str, Any] = {
            "name": name,
            "values": {key: g.short_md(refs, (1, 1)) for key in keys},
        }
        if rng.random() < 0.2:
            dimension["note"] = g.short_md(refs, (1, 1))
        dimensions.append(dimension)
    return {
        "subjects": subjects,
        "dimensions": dimensions,
        "choose_when": {key: g.short_md(refs, (1, 1)) for key in keys},
    }


def subject_keys(subjects: list[str]) -> list[str]:
    """The key of each subject in `values`: its id, or the full ref where ids are shared."""
    ids = [subject.partition(":")[2] for subject in subjects]
    return [s if ids.count(i) > 1 else i for s, i in zip(subjects, ids, strict=True)]


def _persona(
    g: Generator, index: int, me: tuple[str, str], b: Budget, refs: list[tuple[str, str]]
) -> dict[str, Any]:
    rng = g.rng
    data: dict[str, Any] = {
        "segment": " ".join(g.words(3)).capitalize(),
        "demographics": {
            "Age": rng.choice(("18 to 24", "25 to 34", "35 to 49", "50 to 64", "65 plus")),
            "Location": rng.choice(PLACES),
            "Household": " ".join(g.words(3)),
        },
        "psychographics": [" ".join(g.words(4)) for _ in range(rng.randint(2, 4))],
        "behaviour": {"current": g.short_md(refs), "desired": g.short_md(refs)},
        "goals": [g.short_md(refs) for _ in range(rng.randint(1, 3))],
        "barriers": [g.short_md(refs) for _ in range(rng.randint(2, 4))],
        "motivators": [g.short_md(refs) for _ in range(rng.randint(2, 3))],
    }
    channels = g.pick("channel", b.take(rng.randint(1, 3)))
    if channels:
        data["channels"] = [g.field_ref("channel", c) for c in channels]
    data["quote"] = g.sentence(6, 12)
    return data


def _strategy(
    g: Generator, index: int, me: tuple[str, str], b: Budget, refs: list[tuple[str, str]]
) -> dict[str, Any]:
    rng = g.rng
    data: dict[str, Any] = {}
    if b.take(1):
        data["discipline"] = g.field_ref("discipline", g.pick("discipline", 1)[0])
    data["horizon"] = rng.choice(("12 months", "18 months", "2 years", "3 years"))
    objectives = []
    for metric in g.pick("metric", b.take(rng.randint(1, 3), least=1)):
        objective: dict[str, Any] = {
            "statement": g.short_md(refs, (1, 1)),
            "metric": g.field_ref("metric", metric),
            "target": rng.choice(("+20%", "500 sign ups", "halve the wait", "3 in 10")),
            "deadline": (
                datetime.date(2027, rng.randint(1, 12), rng.randint(1, 28))
                if rng.random() < 0.6
                else f"Q{rng.randint(1, 4)} {rng.randint(2026, 2029)}"
            ),
        }
        if rng.random() < 0.5:
            objective["owner"] = rng.choice(("Head of marketing", "Comms lead", "Director"))
        objectives.append(objective)
    data["objectives"] = objectives
    audiences = g.pick("persona", b.take(rng.randint(1, 2)))
    if audiences:
        data["audiences"] = [g.field_ref("persona", p) for p in audiences]
    channels = g.pick("channel", b.take(rng.randint(1, 2)))
    if channels:
        data["channels"] = [
            {"channel": g.field_ref("channel", c), "mission": g.short_md(refs, (1, 1))}
            for c in channels
        ]
    data["pain_points"] = [g.short_md(refs, (1, 1)) for _ in range(rng.randint(1, 3))]
    data["tactics"] = [g.short_md(refs) for _ in range(rng.randint(2, 4))]
    plays = g.pick("play", b.take(rng.randint(0, 2)))
    if plays:
        data["plays"] = [g.field_ref("play", p) for p in plays]
    metrics = g.pick("metric", b.take(rng.randint(0, 1)))
    if metrics:
        data["metrics"] = [g.field_ref("metric", m) for m in metrics]
    data["resources"] = g.short_md(refs)
    return data


def _campaign(
    g: Generator, index: int, me: tuple[str, str], b: Budget, refs: list[tuple[str, str]]
) -> dict[str, Any]:
    rng = g.rng
    data: dict[str, Any] = {
        "strategy": g.field_ref("strategy", g.pick("strategy", b.take(1, least=1))[0])
    }
    # The refs every campaign has come first: two stage plans and a KPI.
    stage_count = b.take(2, least=2)
    kpi_count = b.take(1, least=1)
    stage_count += b.take(rng.randint(0, 2))
    kpi_count += b.take(rng.randint(0, 2))
    if b.take(1):
        data["discipline"] = g.field_ref("discipline", g.pick("discipline", 1)[0])
    data["duration"] = rng.choice(("4 weeks", "6 weeks", "3 months", "one season"))
    # Stage plans, in flow order (the stage ids are made in order).
    order = {ident: at for at, ident in enumerate(g.ids["stage"])}
    stages = sorted(g.pick("stage", stage_count), key=order.__getitem__)
    data["stages"] = [
        {
            "stage": g.field_ref("stage", s),
            "plan": g.short_md(refs, (1, 3)),
            "milestones": [g.sentence(4, 9) for _ in range(rng.randint(1, 3))],
        }
        for s in stages
    ]
    kpis = g.pick("metric", kpi_count)
    personas = g.pick("persona", b.take(rng.randint(1, 2)))
    if personas:
        data["personas"] = [g.field_ref("persona", p) for p in personas]
    messages = []
    for _ in range(rng.randint(1, 3)):
        message: dict[str, Any] = {"text": g.sentence(5, 10)}
        if personas and rng.random() < 0.5 and b.take(1):
            message["persona"] = g.field_ref("persona", rng.choice(personas))
        if rng.random() < 0.7:
            message["framing"] = rng.sample(("fun", "easy", "popular"), rng.randint(1, 2))
        if rng.random() < 0.3:
            message["tested_with"] = "Two focus groups"
        messages.append(message)
    data["messages"] = messages
    channels = g.pick("channel", b.take(rng.randint(1, 2)))
    if channels:
        data["channels"] = [g.field_ref("channel", c) for c in channels]
    data["kpis"] = [
        {"metric": g.field_ref("metric", m), "target": f"{rng.randint(2, 90) * 10} more"}
        for m in kpis
    ]
    plays = g.pick("play", b.take(rng.randint(0, 1)))
    if plays:
        data["plays"] = [g.field_ref("play", p) for p in plays]
    data["budget"] = f"{rng.randint(1, 40) * 500} pounds"
    return data


def _stage(
    g: Generator, index: int, me: tuple[str, str], b: Budget, refs: list[tuple[str, str]]
) -> dict[str, Any]:
    return {
        "order": index + 1,
        "activities": [g.short_md(refs) for _ in range(g.rng.randint(2, 4))],
        "outputs": [g.short_md(refs, (1, 1)) for _ in range(g.rng.randint(1, 3))],
    }


def _metric(
    g: Generator, index: int, me: tuple[str, str], b: Budget, refs: list[tuple[str, str]]
) -> dict[str, Any]:
    return {
        "category": g.rng.choice(METRIC_CATEGORIES),
        "unit": g.rng.choice(("percent", "people", "clicks per week", "days", "replies")),
        "how_to_measure": g.short_md(refs, (2, 3)),
    }


def _channel(
    g: Generator, index: int, me: tuple[str, str], b: Budget, refs: list[tuple[str, str]]
) -> dict[str, Any]:
    rng = g.rng
    data: dict[str, Any] = {
        "medium": rng.choice(MEDIA),
        "online": rng.random() < 0.7,
        "mode": rng.choice(("one-to-one", "one-to-many")),
        "formats": [" ".join(g.words(2)).capitalize() for _ in range(rng.randint(1, 3))],
    }
    stats = []
    for _ in range(rng.randint(0, 2)):
        stat: dict[str, Any] = {
            "figure": f"{rng.randint(2, 95)}%",
            "claim": g.short_md(refs, (1, 1)),
            "source": rng.choice(("Pew Research Center", "Ofcom", "Internal survey")),
        }
        if rng.random() < 0.7:
            stat["year"] = rng.randint(2018, 2025)
        stats.append(stat)
    if stats:
        data["stats"] = stats
    return data


def _case_study(
    g: Generator, index: int, me: tuple[str, str], b: Budget, refs: list[tuple[str, str]]
) -> dict[str, Any]:
    rng = g.rng
    data: dict[str, Any] = {
        "organisation": f"{rng.choice(PLACES)} {rng.choice(ORGANISATIONS)}",
    }
    illustrates = [g.any_target(me) for _ in range(b.take(rng.randint(1, 3)))]
    if illustrates:
        data["illustrates"] = [f"{k}:{i}" for k, i in dict.fromkeys(illustrates)]
    data["lessons"] = [g.short_md(refs) for _ in range(rng.randint(2, 3))]
    return data


def _play(
    g: Generator, index: int, me: tuple[str, str], b: Budget, refs: list[tuple[str, str]]
) -> dict[str, Any]:
    rng = g.rng
    data: dict[str, Any] = {
        "why": g.short_md(refs, (2, 3)),
        "how": [g.short_md(refs, (1, 1)) for _ in range(rng.randint(3, 6))],
    }
    if b.take(1):
        data["stage"] = g.field_ref("stage", g.pick("stage", 1)[0])
    disciplines = g.pick("discipline", b.take(rng.randint(1, 2)))
    if disciplines:
        data["disciplines"] = [g.field_ref("discipline", d) for d in disciplines]
    if rng.random() < 0.7:
        low = rng.randint(1, 4)
        data["time"] = {
            "min": low,
            "max": low + rng.randint(0, 4),
            "unit": rng.choice(("hours", "days", "weeks", "months")),
        }
    else:
        data["time"] = rng.choice(("one afternoon a month", "2 hours a week"))
    data["people"] = rng.choice(("1", "2-4", "a small team"))
    data["difficulty"] = rng.choice(("easy", "medium", "hard"))
    data["outputs"] = [g.short_md(refs, (1, 1)) for _ in range(rng.randint(1, 2))]
    metrics = g.pick("metric", b.take(rng.randint(0, 2)))
    if metrics:
        data["metrics"] = [g.field_ref("metric", m) for m in metrics]
    channels = g.pick("channel", b.take(rng.randint(0, 2)))
    if channels:
        data["channels"] = [g.field_ref("channel", c) for c in channels]
    return data


BUILDERS: dict[str, Builder] = {
    "discipline": _discipline,
    "comparison": _comparison,
    "persona": _persona,
    "strategy": _strategy,
    "campaign": _campaign,
    "stage": _stage,
    "metric": _metric,
    "channel": _channel,
    "case-study": _case_study,
    "play": _play,
}


def kind_counts(n: int) -> dict[str, int]:
    """How many entities of each kind make up N."""
    counts = {
        kind: min(high, max(low, round(n * share))) for kind, (share, low, high) in CAPPED.items()
    }
    rest = n - sum(counts.values())
    quotas = {kind: rest * weight / 100 for kind, weight in SHARES.items()}
    shares = {kind: max(1, int(quota)) for kind, quota in quotas.items()}
    while sum(shares.values()) < rest:
        kind = max(quotas, key=lambda k: quotas[k] - shares[k])
        shares[kind] += 1
    while sum(shares.values()) > rest:
        kind = max(shares, key=lambda k: shares[k] - quotas[k] if shares[k] > 1 else -1)
        shares[kind] -= 1
    counts.update(shares)
    return {kind: counts[kind] for kind in KINDS}


# -- files -----------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Multi-line text as `|` blocks, the way authors write bodies."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None
    )


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: dict[str, Any]) -> str:
    """An entity as YAML text, fields in the order given."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)


MARKDOWN_EXTENSIONS = """\
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""


def mkdocs_yml(
    site_name: str,
    *,
    playbook: bool = True,
    settings: str = MARKDOWN_EXTENSIONS,
    nav: list[Any] | None = None,
    not_in_nav: str | None = None,
) -> str:
    """An mkdocs.yml: Material, search and (``playbook``) the playbook plugin.

    ``settings`` is YAML text for the Markdown extensions and the like; the generated
    project lists the usual ones, a plugin-free build gets the plugin's effective ones.
    """
    text = yaml.safe_dump({"site_name": site_name}, allow_unicode=True, width=1000)
    text += (
        "theme:\n"
        "  name: material\n"
        "  features:\n"
        "    - navigation.indexes\n"
        "    - navigation.top\n"
        "    - search.suggest\n"
        "    - search.highlight\n"
    )
    text += "plugins:\n  - search\n" + ("  - playbook\n" if playbook else "")
    text += settings
    if nav is not None:
        text += yaml.safe_dump({"nav": nav}, sort_keys=False, allow_unicode=True, width=1000)
    if not_in_nav is not None:
        text += "not_in_nav: |\n" + "".join(f"  {line}\n" for line in not_in_nav.splitlines())
    return text


INTRO_KINDS = ("persona", "strategy", "stage", "channel", "play")


def generate(root: Path, n: int, seed: int = 0) -> dict[str, int]:
    """Write a playbook of ``n`` entities, `docs/index.md` and `mkdocs.yml` under ``root``.

    Returns the number of entities of each kind.
    """
    g = Generator(n, seed)
    playbooks = root / "playbooks"
    for kind in KINDS:
        folder = playbooks / COLLECTION[kind]
        folder.mkdir(parents=True, exist_ok=True)
        for index, ident in enumerate(g.ids[kind]):
            text = dump_yaml(g.entity(kind, index))
            (folder / f"{ident}.yaml").write_text(text, encoding="utf-8")
        if kind in INTRO_KINDS:
            intro = g.body([g.any_target(("kind", kind))])
            (folder / "_index.md").write_text(intro, encoding="utf-8")
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Benchmark playbook",
        "",
        f"A synthetic playbook of {n} entities (seed {seed}), made by `benchmarks/generate.py`.",
        "",
        "| Kind | Entities | Start with |",
        "| --- | --- | --- |",
    ]
    for kind in KINDS:
        lines.append(f"| {COLLECTION[kind]} | {g.counts[kind]} | []({kind}:{g.ids[kind][0]}) |")
    lines += ["", g.body([("kind", "campaign"), ("strategy", g.ids["strategy"][0])])]
    (docs / "index.md").write_text("\n".join(lines), encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        mkdocs_yml(f"Benchmark playbook of {n} entities"), encoding="utf-8"
    )
    return dict(g.counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the project folder to write")
    parser.add_argument("n", type=int, help="how many entities")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    counts = generate(args.root, args.n, args.seed)
    print(", ".join(f"{count} {COLLECTION[kind]}" for kind, count in counts.items()))


if __name__ == "__main__":
    main()

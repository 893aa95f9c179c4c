"""A small example playbook, one entity of each kind, whose refs resolve among themselves.

The authoring guide shows these files; its error examples and the tests load them, so an
example that stops validating fails the tests instead of misleading an author.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import KIND_BY_NAME, Kind


@dataclass(frozen=True)
class Example:
    """One example entity file."""

    kind: Kind
    id: str
    yaml: str

    @property
    def path(self) -> str:
        """Where it sits in a playbook folder: `personas/<id>.yaml`."""
        return f"{self.kind.collection}/{self.id}.yaml"


def _example(kind: str, ident: str, text: str) -> Example:
    return Example(KIND_BY_NAME[kind], ident, text)


EXAMPLES: tuple[Example, ...] = (
    _example(
        "discipline",
        "social-marketing",
        """\
title: Social marketing
summary: Uses marketing to change behaviour for the good of people and society.
aka: [behaviour change marketing]
goal: Change what people **do**, such as quitting smoking.
channels: [facebook]
metrics: [people-taking-action]
""",
    ),
    _example(
        "comparison",
        "strategy-vs-campaign",
        """\
title: Strategy versus campaign
summary: The long-term plan set against the short push that runs under it.
subjects: [kind:strategy, kind:campaign]
dimensions:
  - name: Time span
    values:
      strategy: A year or more.
      campaign: One to three months.
choose_when:
  campaign: One message needs a visible push.
""",
    ),
    _example(
        "persona",
        "social-smoker-sally",
        """\
title: Social smoker Sally
summary: Smokes only on nights out with friends.
demographics:
  age: 24
barriers:
  - Smoking is part of how she socialises.
motivators:
  - Wants to save money for travel.
channels: [facebook]
""",
    ),
    _example(
        "strategy",
        "quit-smoking",
        """\
title: Quit smoking strategy
summary: A two-year plan to help young adults stop smoking.
discipline: social-marketing
horizon: 2 years
objectives:
  - statement: Help 500 social smokers quit.
    metric: people-taking-action
    target: 500 people
    deadline: 2027-06-30
audiences: [social-smoker-sally]
plays: [respond-to-every-comment]
""",
    ),
    _example(
        "campaign",
        "smoke-free-nights-out",
        """\
title: Smoke-free nights out
summary: A three-month push in bars and clubs.
body: Aimed at [smokers like Sally](persona:social-smoker-sally).
strategy: quit-smoking
duration: 3 months
personas: [social-smoker-sally]
stages:
  - stage: understand-the-audience
    plan: Interview bar staff and regulars.
kpis:
  - metric: people-taking-action
    target: 200 people
""",
    ),
    _example(
        "stage",
        "understand-the-audience",
        """\
title: Understand the audience
summary: Find out who the campaign is for and what stops them changing.
order: 1
activities:
  - Run two focus groups.
""",
    ),
    _example(
        "metric",
        "people-taking-action",
        """\
title: People taking the action
summary: How many people made the change the campaign asked for.
category: behaviour
unit: people
""",
    ),
    _example(
        "channel",
        "facebook",
        """\
title: Facebook
summary: The largest social network.
medium: social
online: true
mode: one-to-many
stats:
  - figure: 69%
    claim: of adults use it.
    source: Pew Research Center
    year: 2021
""",
    ),
    _example(
        "case-study",
        "pub-quiz-pilot",
        """\
title: Pub quiz pilot
summary: A quiz night where the prize was a month of free nicotine patches.
organisation: City health team
illustrates: [discipline:social-marketing, play:respond-to-every-comment]
lessons:
  - A reward people want beats a warning they ignore.
""",
    ),
    _example(
        "play",
        "respond-to-every-comment",
        """\
title: Respond to every comment
summary: Reply to every comment, the critical ones first.
why: People who get a reply come back and talk again.
how:
  - Check each platform twice a day.
  - Reply within four hours.
stage: understand-the-audience
time: {min: 1, max: 2, unit: hours}
difficulty: easy
channels: [facebook]
""",
    ),
)

EXAMPLE_BY_KIND: dict[str, Example] = {example.kind.name: example for example in EXAMPLES}

"""axe-core on one page of each type: no serious or critical accessibility violation.

axe-core comes from the npm registry as a file (tests/browser/install-deps.sh installs it
from package-lock.json); it is injected into each page, so no browser is downloaded.
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Browsing, Site
from .support import AXE_JS, page_types

BLOCKING = ("serious", "critical")
PAGE_TYPES = page_types()

RUN_AXE = """async () => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    return results.violations.map(v => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map(node => node.target.join(" ")),
    }));
}"""


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(v["targets"][:5])
        more = f" (+{len(v['targets']) - 5} more)" if len(v["targets"]) > 5 else ""
        lines.append(f"  {v['id']} [{v['impact']}] x{len(v['targets'])}: {v['help']}")
        lines.append(f"      {targets}{more}")
    return "\n".join(lines)


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_no_serious_accessibility_violation(shared: Browsing, site: Site, path: str) -> None:
    assert AXE_JS.is_file(), f"{AXE_JS} is missing: run tests/browser/install-deps.sh"
    assert (site.directory / path / "index.html").is_file(), f"/{path} is not in the site"
    page = shared.open(site / path)
    page.add_script_tag(path=AXE_JS)
    violations = page.evaluate(RUN_AXE)
    print(f"\naxe /{path}: {len(violations)} violation(s)\n{describe(violations)}")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"axe on /{path}:\n{describe(blocking)}"

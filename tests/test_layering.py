"""The model, loading, refs and rendering work without MkDocs: only `engine` imports it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import mkdocs_playbook


def test_every_module_but_the_engine_adapter_imports_without_mkdocs() -> None:
    modules = [
        info.name
        for info in pkgutil.walk_packages(mkdocs_playbook.__path__, "mkdocs_playbook.")
        if not info.name.startswith("mkdocs_playbook.engine")
    ]
    for phase in ("kinds.registry", "load.loader", "resolve.refs", "render.pages", "pipeline"):
        assert f"mkdocs_playbook.{phase}" in modules
    # MkDocs and Material blocked: any import of them raises ImportError.
    code = (
        "import sys\n"
        "for name in ('mkdocs', 'material'):\n"
        "    sys.modules[name] = None\n"
        f"for module in {modules!r}:\n"
        "    __import__(module)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

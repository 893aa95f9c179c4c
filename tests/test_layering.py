"""The model, loading, refs and rendering work without MkDocs: only `plugin` imports it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import mkdocs_playbook


def test_every_module_but_the_plugin_imports_without_mkdocs() -> None:
    modules = [
        f"mkdocs_playbook.{info.name}"
        for info in pkgutil.iter_modules(mkdocs_playbook.__path__)
        if info.name != "plugin"
    ]
    assert "mkdocs_playbook.render" in modules
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

"""mkdocs-playbook: structured YAML strategy playbooks as a cross-linked MkDocs Material site.

The model, loader, ref resolver and renderer work without MkDocs; `plugin` adapts them.
"""

__version__ = "0.2.0"

"""Phase 4: entities to Markdown pages through Jinja templates, and the safety of their HTML."""

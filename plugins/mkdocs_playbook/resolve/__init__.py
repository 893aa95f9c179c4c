"""Phase 3: resolve refs in fields and Markdown, and gather backlinks."""

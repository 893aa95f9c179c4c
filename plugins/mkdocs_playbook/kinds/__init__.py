"""Kinds as data: the `_kind.yaml` language, the built-in kinds, and the registry."""

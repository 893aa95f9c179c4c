"""Phase 1 and 2: read the YAML files safely and validate them into entities."""

"""The MkDocs (and ProperDocs) adapter: the only code that imports the engine."""

"""The rules over a loaded project: cross-record rules and review lints."""

"""A folder becomes a project: records read with their positions and diagnostics; never raises on bad input."""

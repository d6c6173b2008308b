"""Documents: the notice context (plain data for templates), Jinja in a sandbox, the Word notice, the templates."""

"""The JSON Schema of the record files, from the pydantic models, for editors (yaml-language-server) and CI."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from rectifykit.i18n import N_, _
from rectifykit.model.fielddocs import DOCS, EXAMPLES, STATE_LABELS
from rectifykit.model.records import Finding, Inspection, State

KINDS: dict[str, type[BaseModel]] = {"finding": Finding, "inspection": Inspection}
"""``finding``: a file of data/findings; ``inspection``: data/inspection.yaml."""
TITLES = {
    "finding": N_("rectifykit: one feedback problem (data/findings/ID.yaml)"),
    "inspection": N_("rectifykit: the inspection record (data/inspection.yaml)"),
}
TRACKED = ("Response", "Part")
"""Models holding the tracking fields, documented once as ``Tracking.field``."""

SCHEMA_DIR = ".schemas"
"""Where ``rectify schema --editor`` writes the schemas in a project."""
RECORD_GLOBS = {"finding": "data/findings/*.yaml", "inspection": "data/inspection.yaml"}
MODELINE_UP = {"finding": "../../", "inspection": "../"}
"""From a record file of each kind up to the project folder."""


def schema_id(kind: str) -> str:
    """A stable identifier (no public URL is published; a URN needs none)."""
    return f"urn:rectifykit:schema:{kind}"


def json_schema(kind: str = "finding") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of record file, every field explained in the active language.

    Dates are strings in ``format: date`` (YAML 1.2, which editors use, reads 2024-07-11 as text).
    The schema checks the shape of one file; rules across records are ``rectify validate``'s.
    """
    schema = KINDS[kind].model_json_schema(mode="validation")
    _describe(KINDS[kind].__name__, schema)
    for name, node in schema.get("$defs", {}).items():
        _describe(name, node)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schema_id(kind), **schema,
            "title": _(TITLES[kind])}


def _key(table: dict[str, Any], model: str, field: str) -> str:
    key = f"{model}.{field}"
    return f"Tracking.{field}" if key not in table and model in TRACKED else key


def _describe(model: str, node: dict[str, Any]) -> None:
    """Titles, descriptions and examples from the table of field docs; the states with their wording."""
    if model in DOCS:
        node["title"], node["description"] = (_(text) for text in DOCS[model])
    if model == State.__name__:
        node["enumDescriptions"] = [_(STATE_LABELS[State(value)]) for value in node["enum"]]
    for field, prop in node.get("properties", {}).items():
        key = _key(DOCS, model, field)
        if key not in DOCS:
            raise KeyError(f"{model}.{field} has no entry in rectifykit/model/fielddocs.py DOCS")
        prop["title"], prop["description"] = (_(text) for text in DOCS[key])
        key = _key(EXAMPLES, model, field)
        if key in EXAMPLES:
            prop["examples"] = EXAMPLES[key]


def to_text(kind: str = "finding") -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n"


def schema_path(kind: str) -> str:
    """The schema file of a kind, relative to the project folder."""
    return f"{SCHEMA_DIR}/{kind}.schema.json"


def modeline(kind: str) -> str:
    """The first line that ties a record file of this kind to its schema in yaml-language-server."""
    return f"# yaml-language-server: $schema={MODELINE_UP[kind]}{schema_path(kind)}"


def vscode_settings(existing: str | None) -> str:
    """VS Code's settings.json with ``yaml.schemas`` mapping each schema to its record files.

    Every other setting and schema mapping is kept. Raises ValueError when ``existing`` is not a plain
    JSON object (VS Code also allows comments, which a JSON round trip would drop).
    """
    settings = {} if existing is None or not existing.strip() else json.loads(existing)
    if not isinstance(settings, dict) or not isinstance(settings.get("yaml.schemas", {}), dict):
        raise ValueError("not a JSON object")
    settings["yaml.schemas"] = {**settings.get("yaml.schemas", {}), **yaml_schemas()}
    return json.dumps(settings, ensure_ascii=False, indent=2) + "\n"


def yaml_schemas() -> dict[str, str]:
    """The ``yaml.schemas`` entries of a project: schema file → the record files it describes."""
    return {schema_path(kind): RECORD_GLOBS[kind] for kind in KINDS}

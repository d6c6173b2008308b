"""The JSON Schema of the record files, from the pydantic models, for editors (yaml-language-server) and CI."""

from __future__ import annotations

import json
from typing import Any

from rectifykit.model.records import Finding, Inspection

KINDS = {"finding": Finding, "inspection": Inspection}
"""``finding``: a file of data/findings; ``inspection``: data/inspection.yaml."""
TITLES = {
    "finding": "rectifykit: one feedback problem (data/findings/ID.yaml)",
    "inspection": "rectifykit: the inspection record (data/inspection.yaml)",
}


def json_schema(kind: str = "finding") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of record file.

    Dates are strings in ``format: date`` (YAML 1.2, which editors use, reads 2024-07-11 as text).
    The schema checks the shape of one file; rules across records are ``rectify validate``'s.
    """
    schema = KINDS[kind].model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "title": TITLES[kind]}


def to_text(kind: str = "finding") -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n"

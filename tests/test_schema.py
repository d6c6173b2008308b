"""`rectify schema`: the JSON Schema accepts every record of data/ and rejects broken ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rectifykit.cli import app
from rectifykit.yamlio import compose

jsonschema = pytest.importorskip("jsonschema")

REPO = Path(__file__).resolve().parents[1]


def schema_of(kind: str) -> dict:
    result = CliRunner().invoke(app, ["--lang", "en", "schema", kind])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def data(path: Path) -> object:
    return compose(path.read_text(encoding="utf-8")).data  # YAML 1.2, as editors read it: dates stay text


def test_the_schemas_accept_every_record_of_the_example() -> None:
    finding, inspection = (jsonschema.Draft202012Validator(schema_of(k)) for k in ("finding", "inspection"))
    files = sorted((REPO / "data/findings").glob("*.yaml"))
    assert len(files) == 18
    for path in files:
        assert list(finding.iter_errors(data(path))) == [], path
    assert list(inspection.iter_errors(data(REPO / "data/inspection.yaml"))) == []


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (("order: 6", "order: six"), "order"),
        (("title: 矫正工作存在薄弱环节。", "titel: 矫正工作存在薄弱环节。"), ""),  # unknown key, and title missing
        (("states: [completed]", "states: [done]"), "states"),
        (("covers: [1, 3]", "covers: one"), "covers"),
    ],
)
def test_the_schema_rejects_a_broken_record(change: tuple[str, str], where: str) -> None:
    validator = jsonschema.Draft202012Validator(schema_of("finding"))
    text = (REPO / "data/findings/community-correction.yaml").read_text(encoding="utf-8").replace(*change, 1)
    errors = list(validator.iter_errors(compose(text).data))
    assert errors
    assert any(where in [str(p) for p in e.absolute_path] or not where for e in errors)


def test_schema_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "finding.schema.json"
    assert CliRunner().invoke(app, ["schema", "finding", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["$schema"].endswith("2020-12/schema")

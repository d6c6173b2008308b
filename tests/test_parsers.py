"""Both YAML paths (libyaml's composer and ruamel.yaml's) give the same data and verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rectifykit.yamlio import Located, YamlProblem, compose, resolve_plain
from rectifykit.yamlio import scalars as scalars_

REPO = Path(__file__).resolve().parents[1]
RECORDS = sorted((REPO / "data").rglob("*.yaml"))

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30),
    st.sampled_from(["yes", "no", "on", "off", "010", "0o17", "0x1F", "1:30", "2024-02-30", "~", "", "中文：冒号"]),
)
keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=20,
)


def both(text: str) -> tuple[Located | YamlProblem, Located | YamlProblem]:
    return compose(text, "libyaml"), compose(text, "ruamel")


def verdict(result: Located | YamlProblem):
    if isinstance(result, YamlProblem):
        return ("problem", result.code, result.line, result.column)
    return ("data", result.data, result.values, result.keys)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.sampled_from([False, True]))
def test_both_parsers_read_the_same_data_at_the_same_places(document, flow: bool) -> None:
    text = yaml.safe_dump({"doc": document}, allow_unicode=True, default_flow_style=flow)
    fast, slow = both(text)
    assert verdict(fast) == verdict(slow)


def test_every_record_of_the_example_reads_the_same_with_both_parsers() -> None:
    assert RECORDS
    for path in RECORDS:
        fast, slow = both(path.read_text(encoding="utf-8"))
        assert isinstance(fast, Located), path
        assert verdict(fast) == verdict(slow), path


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(RECORDS),
    st.sampled_from(["delete", "duplicate", "truncate", "insert", "indent", "dedent"]),
    st.integers(min_value=0, max_value=10_000),
    st.text(max_size=8),
)
def test_mutated_records_get_the_same_verdict_from_both_parsers(path: Path, how: str, where: int, junk: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    i = where % len(lines)
    if how == "delete":
        del lines[i]
    elif how == "duplicate":
        lines.insert(i, lines[i])
    elif how == "truncate":
        lines = [*lines[:i], lines[i][:len(lines[i]) // 2]]
    elif how == "insert":
        lines[i] = lines[i][: where % (len(lines[i]) or 1)] + junk + lines[i][where % (len(lines[i]) or 1) :]
    elif how == "indent":
        lines[i] = "  " + lines[i]
    else:
        lines[i] = lines[i].lstrip(" ")
    text = "".join(lines)
    fast, slow = both(text)
    if isinstance(fast, YamlProblem) and fast.code == "RK005":
        # Both reject broken syntax; where their grammars recover differently
        # (e.g. a stray "!" read as a tag by one), the place may differ.
        assert isinstance(slow, YamlProblem) and slow.code == "RK005"
    else:
        assert verdict(fast) == verdict(slow)


@given(st.text(st.sampled_from("0123456789-+.eEoxXaf_:~ nNtT中"), max_size=24))
@example("2024-03-01")
@example("1e-5")
@example("1E-3")
@example("0-1")
@example("1.5e-3")
@example("-1")
def test_the_shortcuts_of_scalar_resolution_agree_with_its_patterns(value: str) -> None:
    try:
        expected = scalars_._by_patterns(value)
    except scalars_.NumberTooLong:
        with pytest.raises(scalars_.NumberTooLong):
            resolve_plain(value)
        return
    resolved = resolve_plain(value)
    assert resolved == expected or (resolved != resolved and expected != expected)  # NaN is no number's equal
    assert type(resolved) is type(expected)


def test_yaml_1_2_scalars() -> None:
    assert [resolve_plain(v) for v in ("yes", "no", "on", "010", "0o17", "0x1F", "1_000", "~", "1e3")] == [
        "yes", "no", "on", 10, 15, 31, "1_000", None, 1000.0,
    ]

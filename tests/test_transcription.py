"""The embedded example holds the whole seed notice: every sentence is in the records."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from rectifykit import check
from rectifykit.check.rules import narrative_texts
from rectifykit.model import dates, placeholders
from support import REPO, SEED, fragments, sentences, squeeze, strings

SHARED_SEED = REPO.parent / "shared" / "seed" / "000_2289b50be2cd3afc.txt"

def seed_body() -> str:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    end = max(i for i, line in enumerate(lines) if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", line.strip()))
    return "\n".join(lines[: end + 1])


def record_corpus(root: Path) -> str:
    """All record text, narrative placeholders resolved, NFKC, no white space."""
    project = check.load(root, today=dt.date(2026, 1, 1))
    assert not project.errors, project.errors
    inspection = project.inspection.record
    findings = [f.record for f in project.findings]
    texts = [placeholders.resolve(text, inspection, findings) for _, text in narrative_texts(inspection)]
    texts.append(dates.cn_date(inspection.publication_date))
    texts += [inspection.signature or ""]
    for item in project.findings:
        texts += strings(item.located.data)
    return "\n".join(squeeze(t) for t in texts)


@pytest.fixture(scope="module")
def corpus() -> str:
    return record_corpus(REPO)


def missing_from(corpus: str) -> list[tuple[str, str]]:
    return [
        (sentence, fragment)
        for sentence in sentences(seed_body())
        for fragment in fragments(sentence)
        if fragment not in corpus
    ]


def test_fixture_is_the_shared_seed() -> None:
    if not SHARED_SEED.exists():
        pytest.skip("../shared is not beside this checkout")
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_has_the_expected_size() -> None:
    found = sentences(seed_body())
    assert len(found) > 300  # the whole notice, not a stub
    assert found[0].startswith("按照鄂城区委统一部署")


def test_every_sentence_of_the_seed_is_in_the_records(corpus: str) -> None:
    missing = missing_from(corpus)
    assert not missing, f"{len(missing)} fragments missing, first: {missing[:3]}"


def test_the_check_catches_a_sentence_dropped_from_a_record(tmp_path: Path) -> None:
    shutil.copytree(REPO / "data", tmp_path / "data")
    record = tmp_path / "data" / "findings" / "party-building.yaml"
    text = record.read_text(encoding="utf-8")
    sentence = "2021年6月以党组会记录代替支委会记录，"
    assert sentence in text
    record.write_text(text.replace(sentence, ""), encoding="utf-8")
    missing = missing_from(record_corpus(tmp_path))
    assert len(missing) == 1
    assert squeeze(sentence) in missing[0][1]


def test_records_add_no_text_of_their_own(corpus: str) -> None:
    """Every record string stands in the seed (no invented sentences)."""
    seed = squeeze(seed_body())
    project = check.load(REPO, today=dt.date(2026, 1, 1))
    internal = {"department", "leader", "person", "reviewer", "notes", "evidence", "id", "category",
                "deadline", "completed_on", "next_review"}
    invented = []
    for item in project.findings:
        for key, value in walk(item.located.data):
            if key in internal or key in ("states", "state") or not isinstance(value, str):
                continue
            if squeeze(value) not in seed:
                invented.append((item.path, key, value[:40]))
    assert not invented, invented


def walk(value: object, key: str = ""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v, key)
    else:
        yield key, value

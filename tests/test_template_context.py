"""Templates see data, not objects (SECURITY.md; issue 12 point 1).

A pull request can add ``templates/notice.md.j2`` (or ``.html.j2``) beside a pickle or point it at
any file. Jinja's sandbox stops Jinja's own tricks, not the methods of the objects a template is
handed: a pydantic record's ``parse_file`` reads any file and unpickles. So the context is plain
data (dicts, tuples, str, int, float, bool, None, dates), and a template may call only an explicit
list of harmless methods. The walk below looks at everything a template can reach.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Undefined
from typer.testing import CliRunner

from rectifykit import check
from rectifykit.cli import app
from rectifykit.notice import render
from rectifykit.notice.context import build_context

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2024-12-25"
SECRET = "the CI machine's secret 7f3a"


def invoke(*args: str):
    result = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "120"}).invoke(app, ["--lang", "en", *args])
    assert "Traceback" not in result.output, result.output
    assert result.exit_code != 3, result.output
    return result


class _Payload:
    """Unpickling this runs ``touch MARKER``: what an attacker's evidence.pkl would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch '{self.marker}'",))


@pytest.fixture
def attack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A copy of the embedded example with a pickle in it, a secret file outside it, and a scratch
    working directory."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "data", root / "data")
    (root / "templates").mkdir()
    marker = tmp_path / "pwned"
    (root / "evidence.pkl").write_bytes(pickle.dumps(_Payload(marker)))
    secret = tmp_path / "outside" / "secret.json"
    secret.parent.mkdir()
    secret.write_text(json.dumps({"id": SECRET, "category": "x", "order": 1, "title": "t", "responses": []}),
                      encoding="utf-8")
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    return {"root": root, "pickle": root / "evidence.pkl", "marker": marker, "secret": secret}


EXPLOITS = [
    # pydantic's deprecated loaders: unpickle a file of the pull request, read any file
    "{{ problems[0].finding.parse_file(PICKLE, proto='pickle', allow_pickle=True) }}",
    "{{ problems[0].blocks[1].response.parse_file(PICKLE, proto='pickle', allow_pickle=True) }}",
    "{{ inspection.record.parse_file(SECRET) }}",
    "{{ inspection.parse_file(SECRET) }}",
    "{{ problems[0].finding.parse_raw('{\"id\": 1}') }}",
    "{{ inspection.record.model_validate_json('{}') }}",
    "{{ problems[0].finding.model_construct(id='forged').id }}",
    "{{ problems[0].finding.copy(update={'id': 'forged'}).id }}",
    "{{ problems[0].finding.model_copy().id }}",
    "{{ problems[0].finding.model_dump_json() }}",
    "{{ problems[0].finding.model_json_schema() }}",
    "{{ problems[0].finding.model_fields }}",
    "{{ inspection.record.schema_json() }}",
    "{{ categories[0].summary.by_state.copy() }}",
    "{{ problems[0].blocks[1].status.states[0].closed }}",
    "{{ problems[0].blocks[1].status.least }}",
    "{{ problems[0].finding.__class__ }}",
    "{{ problems[0].finding.__init__ }}",
    "{{ summary.__class__.__init__ }}",
    # dates: a class method of date, the clock
    "{{ as_of.today() }}",
    "{{ as_of.fromisoformat('2020-01-01') }}",
    "{{ publication_date.fromtimestamp(0) }}",
    # mutating the context
    "{{ problems.append(1) }}{{ inspection.update({'unit': 'x'}) }}",
    "{{ inspection.pop('unit') }}",
    # Jinja's globals: unbounded text, a class's functions
    "{{ lipsum(n=100000)|length }}",
    "{{ cycler.next }}",
    "{{ dict.fromkeys(range(3)) }}",
]


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("template", EXPLOITS)
def test_a_template_reaches_no_method_of_a_record(fmt: str, template: str, attack: dict[str, Path]) -> None:
    """Each exploit fails with exit 2 at the template's line; nothing is unpickled, nothing outside
    the project is read into the output."""
    source = template.replace("PICKLE", repr(str(attack["pickle"]))).replace("SECRET", repr(str(attack["secret"])))
    name = f"notice.{fmt}.j2"
    (attack["root"] / "templates" / name).write_text("前言\n" + source + "\n", encoding="utf-8")
    result = invoke("render", "--root", str(attack["root"]), "--format", fmt, "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    assert f"templates/{name}:2" in result.output, result.output
    assert not attack["marker"].exists(), "the pickle ran"
    assert SECRET not in result.output
    assert "forged" not in result.output


def test_a_template_named_on_the_command_line_reaches_no_method_either(attack: dict[str, Path]) -> None:
    (attack["root"] / "templates" / "other.md.j2").write_text(
        f"{{{{ problems[0].finding.parse_file({str(attack['pickle'])!r}, proto='pickle', allow_pickle=True) }}}}\n",
        encoding="utf-8",
    )
    result = invoke("render", "--root", str(attack["root"]), "--template", "other.md.j2", "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    assert "templates/other.md.j2:1" in result.output
    assert not attack["marker"].exists()


def test_a_refused_call_says_what_was_called_and_where(attack: dict[str, Path]) -> None:
    (attack["root"] / "templates" / "notice.md.j2").write_text(
        "{{ inspection.unit }}\n\n{{ inspection.unit.encode('utf-8') }}\n", encoding="utf-8"
    )
    result = invoke("render", "--root", str(attack["root"]), "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    assert "templates/notice.md.j2:3" in result.output
    assert "str.encode" in result.output and "README" in result.output


# --- what a template may still do ----------------------------------------------------------

DOCUMENTED = """\
{{ inspection.unit }}|{{ inspection.team }}|{{ inspection.title }}|{{ inspection.signature }}
{{ inspection.contact.phone }}|{{ inspection.period.start|cn_date }}|{{ inspection.feedback_date.year }}
{{ inspection.opening[:6] }}|{{ inspection.record.opening[:6] }}|{{ inspection.closing is string }}
{% for section in sections %}{{ section.number|cn_section }}{{ section.title }}{{ section.findings }}\
{{ section.paragraphs|length }}{{ section.categories|length }};{% endfor %}
{% for category in categories %}{{ category.key }}={{ category.number }}/{{ category.order }}\
/{{ category.problems|length }}/{{ category.summary.items }}/{{ category.summary.done }};{% endfor %}
{% set p = problems[0] %}{{ p.number }} {{ p.id }} {{ p.category }} {{ p.title[:4] }} {{ p.inline }}\
 {{ p.points|length }} {{ p.finding.id }} {{ p.finding.responses[0].status.label }}
{% for block in p.blocks %}{{ block.kind }}:{{ block.points|map(attribute='number')|join(',') }}\
{% if block.kind == 'response' %}:{{ block.status.label }}:{{ block.status.states|join('+') }}\
:{{ block.measures_label }}:{{ block.measures|length }}:{{ block.measures[0].items|length }}\
:{{ block.response.department }}{% endif %};{% endfor %}
{{ summary.problems }} {{ summary.items }} {{ summary.done }} {{ summary.open }} {{ summary.completion_rate|percent }}
{% for state, n in summary.by_state.items() %}{{ state|status_wording }}={{ n }};{% endfor %}
{{ summary.by_state['completed'] }} {{ summary.by_state.get('in_progress') }} {{ summary.by_state.keys()|list|length }}
{{ publication_date|cn_date }} {{ as_of.isoformat() }} {{ as_of.strftime('%Y/%m') }} {{ as_of.year }}
{{ inspection.unit.startswith('中共') }} {{ inspection.unit.replace('中共', '') }} {{ '{}年'.format(as_of.year) }}
{% for p in problems if p.finding.responses|length > 1 %}{{ loop.index }}{{ loop.cycle('a', 'b') }}\
{% endfor %}
{% macro line(text) %}[{{ text }}]{% endmacro %}{% macro wrap() %}[{{ caller() }}]{% endmacro %}\
{{ line('x') }}{% call wrap() %}yz{% endcall %}{% set ns = namespace(n=0) %}{% set ns.n = ns.n + 1 %}{{ ns.n }}\
{{ dict(a=1).a }}{{ range(3)|sum }}
"""


def _context() -> dict[str, Any]:
    loaded = check.load(REPO, today=dt.date.fromisoformat(AS_OF))
    assert loaded.inspection is not None
    return build_context(loaded.inspection.record, [f.record for f in loaded.findings],
                         as_of=dt.date.fromisoformat(AS_OF))


def test_every_documented_name_still_works() -> None:
    context = _context()
    text = render.environment("md").from_string(DOCUMENTED).render(context)
    lines = text.splitlines()
    assert lines[0].startswith(context["inspection"]["unit"] + "|")
    inspection = context["inspection"]
    start = inspection["period"]["start"]
    assert lines[1] == (f"{inspection['contact']['phone']}|{start.year}年{start.month}月{start.day}日"
                        f"|{inspection['feedback_date'].year}")
    assert lines[2] == f"{inspection['opening'][:6]}|{inspection['record']['opening'][:6]}|True"
    assert "{" not in inspection["opening"] and "{" in inspection["record"]["opening"]
    summary = context["summary"]
    assert f"{summary['problems']} {summary['items']} {summary['done']} {summary['open']} " in text
    assert "整改完成=" in text and "[x][yz]113" in text
    assert "2024/12" in text and "2024-12-25" in text


def test_the_context_is_plain_data() -> None:
    """Only dicts with str keys, tuples, str, int, float, bool, None and dates: no record object."""
    plain = (str, int, float, bool, type(None), dt.date)

    def check(value: object, path: str) -> None:
        if isinstance(value, dict):
            assert type(value) is dict, path
            for key, item in value.items():
                assert type(key) is str, f"{path}: key {key!r}"
                check(item, f"{path}.{key}")
        elif isinstance(value, tuple):
            assert type(value) is tuple, path
            for index, item in enumerate(value):
                check(item, f"{path}[{index}]")
        else:
            assert type(value) in plain, f"{path}: {type(value).__name__}"

    check(_context(), "context")


# --- everything reachable --------------------------------------------------------------------

CALLABLE_METHODS = {
    "str": {
        "capitalize", "casefold", "count", "endswith", "find", "format", "index", "isalnum", "isalpha",
        "isdecimal", "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper", "join", "lower",
        "lstrip", "partition", "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rpartition",
        "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "title", "upper",
    },
    "dict": {"get", "items", "keys", "values"},
    "tuple": {"count", "index"},
    "list": {"count", "index"},  # the plan's and the pages' rows
    "date": {"isoformat", "isoweekday", "strftime", "weekday"},
}
CALLABLE_METHODS["Markup"] = CALLABLE_METHODS["str"] | {"striptags", "unescape"}  # the pages' SVG, built by us
"""The methods a template may call, by the type they belong to: text, lookups and date formatting."""

CALLABLE_GLOBALS = {"range", "dict", "cycler", "joiner", "namespace"}
"""Jinja's own helpers a template may call."""


def _describe(value: Any) -> str:
    value = getattr(value, "__wrapped__", value)
    owner = getattr(value, "__self__", None)
    if owner is not None and not isinstance(owner, type):
        return f"{type(owner).__name__}.{getattr(value, '__name__', '?')}"
    return f"{type(value).__name__} {getattr(value, '__qualname__', value)!r}"


def _allowed(value: Any) -> bool:
    """An allowed method, or the sandbox's wrapper around one (``str.format`` runs through Jinja's
    sandboxed formatter)."""
    value = getattr(value, "__wrapped__", value)
    owner = getattr(value, "__self__", None)
    if owner is None or isinstance(owner, type):
        return False
    return getattr(value, "__name__", None) in CALLABLE_METHODS.get(type(owner).__name__, set())


def _walk(env: Any, roots: Mapping[str, Any], limit: int = 50_000) -> Iterator[tuple[str, Any]]:
    """Every value a template can reach from ``roots`` by ``.name`` and ``[key]``, as the sandbox
    answers (a refused attribute is Undefined and not followed). Scalars' attributes are walked
    once per type; every other object once."""
    seen: set[int] = set()
    keep: list[Any] = []
    walked_types: set[type] = set()
    stack = list(roots.items())
    while stack:
        path, value = stack.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        keep.append(value)
        assert len(keep) < limit, f"more than {limit} values reachable; the walk cannot finish"
        yield path, value
        if callable(value) and not _allowed(value) and path not in CALLABLE_GLOBALS:
            continue  # an offender: reported, not followed
        if isinstance(value, Mapping):
            stack += [(f"{path}[{key!r}]", env.getitem(value, key)) for key in value]
        elif isinstance(value, list | tuple):
            stack += [(f"{path}[{i}]", env.getitem(value, i)) for i in range(len(value))]
        if isinstance(value, str | int | float | dt.date | type(None)) or hasattr(value, "__self__"):
            if type(value) in walked_types:
                continue
            walked_types.add(type(value))
        for name in dir(value):
            child = env.getattr(value, name)
            if not isinstance(child, Undefined):
                stack.append((f"{path}.{name}", child))


def _offenders(env: Any, roots: Mapping[str, Any]) -> list[str]:
    found = {}
    for path, value in _walk(env, roots):
        if callable(value) and not _allowed(value) and path not in CALLABLE_GLOBALS:
            found.setdefault(_describe(value), path)
    return sorted(f"{path}: {what}" for what, path in found.items())


@pytest.mark.parametrize("fmt", render.FORMATS)
def test_nothing_callable_is_reachable_beyond_the_allow_list(fmt: str) -> None:
    """The context of the embedded example and Jinja's globals, walked through the sandbox."""
    env = render.environment(fmt)
    offenders = _offenders(env, {**env.globals, **_context()})
    assert not offenders, "\n".join(offenders[:60])


def test_every_allowed_method_is_callable_and_nothing_else() -> None:
    """The allow-list is the sandbox's: each method on it can be called from a template, a method
    next to it cannot."""
    env = render.environment("md")
    lookups = "{{ 'a,b'.split(',')|join('-') }} {{ {'k': 1}.items()|list|length }} {{ (1, 2).index(2) }}"
    assert env.from_string(lookups).render() == "a-b 1 1"
    out = env.from_string("{{ d.isoformat() }} {{ d.strftime('%d') }} {{ d.weekday() }} {{ 'Ab'.lower() }}").render(
        d=dt.date(2024, 7, 11)
    )
    assert out == "2024-07-11 11 3 ab"
    from jinja2.sandbox import SecurityError

    for expression in ("{{ 'a'.encode() }}", "{{ d.replace(year=1) }}", "{{ d.ctime() }}", "{{ (1,).__len__() }}",
                       "{{ {}.setdefault('a', 1) }}", "{{ 'a'.center(9) }}"):
        with pytest.raises(SecurityError):
            env.from_string(expression).render(d=dt.date(2024, 7, 11))


def test_a_callable_handed_in_is_refused_at_the_call() -> None:
    """Defence in depth: even a callable that reached a template another way cannot be called."""
    from jinja2.sandbox import SecurityError

    env = render.environment("md")
    with pytest.raises(SecurityError, match=r"open\(\)"):
        env.from_string("{{ f('/etc/passwd') }}").render(f=open)
    for expression in ("{{ 'a'.format_map({}) }}", "{{ 'a'.format.__wrapped__ }}", "{{ 'a'['__class__'] }}"):
        with pytest.raises(SecurityError):
            env.from_string(expression).render()
    assert env.from_string("{{ '{}-{}'.format(1, 'b') }}").render() == "1-b"


BOMBS = [
    "{{ '{:>300000000}'.format(1) }}",
    "{{ '{:.300000000f}'.format(1) }}",
    "{{ '{:>{w}}'.format(1, w=300000000) }}",
    "{{ '%300000000d' % 1 }}",
    "{{ '%*d' % (300000000, 1) }}",
    "{{ '%300000000d'|format(1) }}",
    "{{ 'x'|center(300000000) }}",
    "{{ 'a\nb'|indent(300000000) }}",
    "{{ ('a' * 1000000)|replace('a', 'b' * 300) }}",
    "{{ ('a' * 1000000).replace('a', 'b' * 300) }}",
    "{{ [1]|batch(300000000, 0)|list }}",
    "{{ [1]|slice(300000000)|list }}",
    "{{ {'a': [1, 2]}|tojson(indent=300000000) }}",
]


@pytest.mark.parametrize("template", BOMBS)
def test_widths_and_amplifying_filters_are_bounded(template: str) -> None:
    """A width, a fill or a replacement cannot make a text of hundreds of megabytes."""
    from jinja2.sandbox import SecurityError

    with pytest.raises(SecurityError):
        render.environment("md").from_string(template).render()


def test_ordinary_widths_and_filters_still_work() -> None:
    env = render.environment("md")
    source = ("{{ '{:>4}'.format(7) }}|{{ '%03d' % 7 }}|{{ '%s=%d'|format('a', 1) }}|{{ 'x'|center(3) }}"
              "|{{ 'a b'|replace(' ', '-') }}|{{ 'ab'.replace('a', 'c') }}|{{ [1, 2, 3]|batch(2, 0)|list|length }}")
    assert env.from_string(source).render() == "   7|007|a=1| x |a-b|cb|2"


@pytest.mark.parametrize("kind", ["plan", "report", "status page", "rollup page"])
def test_the_other_documents_hand_templates_nothing_callable(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plan, the report and the HTML pages run project templates too: the same walk over their contexts."""
    from rectifykit.notice import plan
    from rectifykit.reports import charts
    from rectifykit.reports import rollup as rollup_report
    from rectifykit.track import rollup, status

    day = dt.date.fromisoformat(AS_OF)
    loaded = check.load(REPO, today=day)
    assert loaded.inspection is not None
    inspection, findings = loaded.inspection.record, [f.record for f in loaded.findings]
    seen: dict[str, Any] = {}
    monkeypatch.setattr(charts, "render_page", lambda name, context, root=None: seen.update(context) or "")
    if kind == "plan":
        seen.update(plan.plan_context(inspection, findings, as_of=day))
    elif kind == "report":
        seen.update(plan.report_context(inspection, findings, as_of=day))
    elif kind == "status page":
        report = status.build(inspection, findings, as_of=day)
        charts.status_page(report, report.items, unit=inspection.unit)
    else:
        rollup_report.to_html(rollup.rollup([("unit", inspection, findings)], as_of=day, sample=2, seed=1))
    assert seen, kind
    env = render.environment("html")
    offenders = _offenders(env, {**env.globals, **seen})
    assert not offenders, "\n".join(offenders[:60])

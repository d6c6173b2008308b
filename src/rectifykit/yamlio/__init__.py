"""YAML in and out: compose a located tree with libyaml or ruamel.yaml, round-trip writes.

Reading composes a node tree (libyaml's C composer when available: ~15x
faster than ruamel.yaml's pure-Python round trip, see PERFORMANCE.md) and
turns it into plain data with YAML 1.2 core-schema scalars, recording where
every value and key stands. Both composers go through the same conversion,
so they give the same data and the same diagnostics. Bad input becomes
``YamlProblem`` values; nothing here raises on user input.
"""

from rectifykit.yamlio.compose import compose, fullwidth_colon_key, positions, tab_indent
from rectifykit.yamlio.located import Located, Parser, Path_, YamlProblem
from rectifykit.yamlio.roundtrip import dump, impossible_date, plain, restyled, round_trip, rt_dump, rt_load
from rectifykit.yamlio.scalars import CONTROL, MAX_DEPTH, MAX_INT_DIGITS, MAX_VALUES, NumberTooLong, resolve_plain

__all__ = [
    "CONTROL",
    "MAX_DEPTH",
    "MAX_INT_DIGITS",
    "MAX_VALUES",
    "Located",
    "NumberTooLong",
    "Parser",
    "Path_",
    "YamlProblem",
    "compose",
    "dump",
    "fullwidth_colon_key",
    "impossible_date",
    "plain",
    "positions",
    "resolve_plain",
    "restyled",
    "round_trip",
    "rt_dump",
    "rt_load",
    "tab_indent",
]

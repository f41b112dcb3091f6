"""Front matter is read by a shortcut for plain values; it must read exactly as PyYAML's safe
loader does, value for value and error for error, or an entry would change meaning on load."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.knowledge.front_matter import _YAML_LOADER, _FrontMatterLoader, load_yaml
from bot.knowledge.loader import entry_files, knowledge_folders


def pyyaml(text: str) -> object:
    return yaml.load(text, Loader=_YAML_LOADER)


def outcome(read, text: str) -> tuple[str, object]:  # type: ignore[no-untyped-def]
    try:
        return "value", repr(read(text))  # repr: a recursive list compares too
    except Exception as error:  # the error itself is what is compared
        return type(error).__name__, str(error)


# Documents off the plain path: anchors, merge keys, tags, timestamps, errors in odd places.
UNUSUAL = [
    "", "# only a comment", "id: x\nid: y", "a: &shared [1, 2]\nb: *shared",
    "base: &base {x: 1}\nmerged:\n  <<: *base\n  y: 2", "= : value", "? [a, b]\n: c",
    "when: 2026-11-30", "when: 2026-11-30T10:00:00Z", "blob: !!binary aGVsbG8=",
    "n: !!int 12", "n: !!int twelve", "s: !!str 12", "t: !foo bar", "a: [!foo x]\nb: !bar y",
    "set: !!set {a, b}", "ordered: !!omap [a: 1, b: 2]", "yes: yes\nno: no\non: on\nnull: ~",
    "f: .inf\ng: -.NaN\nh: 1_000\ni: 0x1F\nj: 0o17\nk: 1e3", "key: 'unclosed", "- a\nb: c",
    "a: 1\n---\nb: 2", "title: {en: \"A\", ko: \"가\"}\nsignatures:\n  - \"x: y\"\n  - 'z'\n",
    "self: &loop [*loop]", "1: one\n2.5: two\ntrue: three\n~: four",
]


@pytest.mark.parametrize("text", UNUSUAL)
def test_unusual_documents_read_as_pyyaml_reads_them(text: str) -> None:
    assert outcome(load_yaml, text) == outcome(pyyaml, text)


def test_every_shipped_entry_reads_as_pyyaml_reads_it() -> None:
    for folder in knowledge_folders(extra=""):
        for path in entry_files(folder):
            front = path.read_text(encoding="utf-8").split("---", 2)[1]
            assert load_yaml(front) == pyyaml(front), path


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20),
                    st.floats(allow_nan=False), st.sampled_from(["yes", "~", "1e3", "0x1F",
                                                                 "2026-11-30", "<<", "="]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(values, st.sampled_from([None, False, True]), st.sampled_from([None, "'", '"']))
def test_dumped_values_read_as_pyyaml_reads_them(value: object, flow: bool | None,
                                                 style: str | None) -> None:
    text = yaml.safe_dump(value, default_flow_style=flow, default_style=style,
                          allow_unicode=True)
    assert outcome(load_yaml, text) == outcome(pyyaml, text)


# Scalars that start with every character some implicit resolver is filed under, and others.
_STARTS = sorted({first for first in _YAML_LOADER.yaml_implicit_resolvers if first}
                 | set("aZ가 _\t"))
_SCALARS = st.one_of(
    st.just(""), st.tuples(st.sampled_from(_STARTS), st.text(max_size=12)).map("".join),
    st.sampled_from(["yes", "No", "~", "null", "0x1F", "1_000", ".inf", "-.NaN", "<<", "=",
                     "2026-11-30", "1e3", "+1", "0o17", "true", "off"]))


@settings(max_examples=1000, deadline=None)
@given(_SCALARS, st.booleans(), st.booleans())
def test_every_tag_is_resolved_as_pyyaml_resolves_it(value: str, plain: bool,
                                                     quoted: bool) -> None:
    ours, theirs = _FrontMatterLoader(""), _YAML_LOADER("")
    try:
        for kind in (yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode):
            assert (ours.resolve(kind, value, (plain, quoted))
                    == theirs.resolve(kind, value, (plain, quoted)))
    finally:
        ours.dispose()
        theirs.dispose()

"""The YAML block at the top of a Markdown file, read one way for every reader: KB entries (the
loader), the guides `kb import` and `kb check` read, and the drafts `kb import` may overwrite."""

from __future__ import annotations

import re

import yaml

# libyaml's parser when PyYAML was built with it (the wheels are): the same safe subset of
# YAML, about ten times faster, which is most of the start-up time of a large KB.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)


class FrontMatterError(ValueError):
    """The file has a front matter block that is not a YAML mapping; the message says why."""


def normalise_text(text: str) -> str:
    """Drop a byte-order mark and turn Windows (and old Mac) line endings into `\\n`."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[dict[str, object] | None, str]:
    """The front matter as a mapping (None when the text has no `---` block at the top) and the
    Markdown after it, with line endings normalised."""
    text = normalise_text(text)
    found = _FRONT_MATTER.match(text)
    if not found:
        return None, text
    try:
        meta = load_yaml(found.group(1)) or {}
    except yaml.YAMLError as error:
        raise FrontMatterError(f"front matter is not valid YAML: {error}") from error
    if not isinstance(meta, dict):
        raise FrontMatterError("front matter must be a mapping of keys to values")
    return {str(key): value for key, value in meta.items()}, text[found.end():]


def load_yaml(text: str) -> object:
    """`yaml.load(text, Loader=_YAML_LOADER)` (a safe loader), the same value or error.

    PyYAML turns libyaml's nodes into Python values in Python, through generators that exist
    for recursive documents; front matter is strings, lists and mappings, built here directly
    (about a third faster, a tenth of loading a large KB). Anything else (anchors shared between
    collections, merge keys, explicit tags, a value PyYAML would refuse) is left to PyYAML.
    """
    loader = _FrontMatterLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _plain_value(node, loader, set())
        except _NotPlain:
            pass
    finally:
        loader.dispose()
    return yaml.load(text, Loader=_YAML_LOADER)  # a safe loader


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


# The safe loader's implicit resolvers (tag, regex) by a scalar's first character ("" for an
# empty scalar), those for any first character appended, as its resolve() tries them.
_ANY_FIRST = tuple(_YAML_LOADER.yaml_implicit_resolvers.get(None, []))
_RESOLVERS = {first: (*resolvers, *_ANY_FIRST)
              for first, resolvers in _YAML_LOADER.yaml_implicit_resolvers.items()
              if first is not None}


class _FrontMatterLoader(_YAML_LOADER):  # type: ignore[misc,valid-type]
    """The safe loader with its tag resolution looked up once per scalar.

    libyaml calls back into Python to resolve the tag of every node; PyYAML's resolve()
    concatenates the lists of resolvers for the scalar's first character on every call and
    asks about path resolvers the safe loader never has: a tenth of reading front matter.
    This is the same rule with the lists joined once (tests/test_front_matter.py compares
    every tag with PyYAML's on generated documents)."""

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        if self.yaml_path_resolvers:  # none in the safe loader; PyYAML's rule if one is added
            return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _RESOLVERS.get(value[:1], _ANY_FIRST):
                    if regexp.match(value):
                        return tag  # type: ignore[no-any-return]
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


class _NotPlain(Exception):
    """A node _plain_value() leaves to PyYAML."""


# Scalars PyYAML's safe constructor turns into a value on their own, without looking elsewhere.
_SIMPLE_SCALARS = frozenset({"tag:yaml.org,2002:null", "tag:yaml.org,2002:bool",
                             "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})


def _plain_value(node: yaml.Node, loader: yaml.constructor.SafeConstructor,
                 seen: set[int]) -> object:
    if type(node) is yaml.ScalarNode:
        if node.tag == _STR:
            return node.value
        if node.tag not in _SIMPLE_SCALARS:
            raise _NotPlain
        try:
            return loader.construct_object(node)
        except Exception as error:  # PyYAML reports it, in its own order
            raise _NotPlain from error
    if id(node) in seen:  # an alias: PyYAML gives the same object twice
        raise _NotPlain
    seen.add(id(node))
    if type(node) is yaml.SequenceNode and node.tag == _SEQ:
        return [_plain_value(item, loader, seen) for item in node.value]
    if type(node) is yaml.MappingNode and node.tag == _MAP:
        mapping: dict[str, object] = {}
        for key, value in node.value:
            if type(key) is not yaml.ScalarNode or key.tag != _STR:
                raise _NotPlain  # merge keys (`<<`), `=`, non-string keys
            mapping[key.value] = _plain_value(value, loader, seen)
        return mapping
    raise _NotPlain

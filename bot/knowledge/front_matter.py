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
        meta = yaml.load(found.group(1), Loader=_YAML_LOADER) or {}  # a safe loader
    except yaml.YAMLError as error:
        raise FrontMatterError(f"front matter is not valid YAML: {error}") from error
    if not isinstance(meta, dict):
        raise FrontMatterError("front matter must be a mapping of keys to values")
    return {str(key): value for key, value in meta.items()}, text[found.end():]

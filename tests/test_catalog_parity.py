"""Every sentence the bot says exists in Korean and English, with the same placeholders.

Found by shape rather than by name, so that a catalogue that moves or a domain that keeps its own
strings is still checked: in every module of the `bot` package, each `Catalog`, each table
`{key: {"ko": ..., "en": ...}}` and each table `{"ko": {key: ...}, "en": {key: ...}}`.
A key missing in one language would show English (or raise) in the middle of a Korean answer; a
placeholder missing in one would drop a figure or an incident number from it.
"""

from __future__ import annotations

import importlib
import pkgutil
import string
from collections.abc import Iterator
from typing import Any

import bot
from bot.i18n import LANGUAGES, Catalog

FORMATTER = string.Formatter()


def placeholders(template: str) -> set[str]:
    return {field for _text, field, _spec, _conv in FORMATTER.parse(template) if field}


def modules() -> Iterator[Any]:
    for info in pkgutil.walk_packages(bot.__path__, "bot."):
        if info.name == "bot.__main__":  # runs the command line when imported
            continue
        try:
            yield importlib.import_module(info.name)
        except ImportError:  # an optional extra that is not installed (azureml-core)
            continue


def by_key(table: Any) -> dict[str, dict[str, Any]] | None:
    """The table as {key: {language: text}}, if it is a catalogue of either shape."""
    if isinstance(table, Catalog):
        return table.strings
    if not isinstance(table, dict) or not table:
        return None
    if set(LANGUAGES) <= set(table) and all(isinstance(table[lang], dict) for lang in LANGUAGES):
        keys = set().union(*(table[lang] for lang in LANGUAGES))
        return {key: {lang: table[lang].get(key) for lang in LANGUAGES} for key in keys}
    if all(isinstance(value, dict) and set(LANGUAGES) <= set(value)
           and all(isinstance(value[lang], str) for lang in LANGUAGES)
           for value in table.values()):
        return table
    return None


def catalogues() -> dict[str, dict[str, dict[str, Any]]]:
    found: dict[str, dict[str, dict[str, Any]]] = {}
    seen: set[int] = set()
    for module in modules():
        for name, value in vars(module).items():
            table = by_key(value)
            if table is not None and id(table) not in seen:  # a Catalog and its dict: once
                seen.add(id(table))
                found[f"{module.__name__}.{name}"] = table
    return found


CATALOGUES = catalogues()


def test_the_catalogues_are_found() -> None:
    # If this fails the search is broken (a new shape), not the strings.
    assert len(CATALOGUES) >= 5
    assert sum(len(table) for table in CATALOGUES.values()) > 150


def test_every_key_exists_in_both_languages_with_the_same_placeholders() -> None:
    problems = []
    for where, table in CATALOGUES.items():
        for key, texts in table.items():
            missing = [lang for lang in LANGUAGES
                       if not isinstance(texts.get(lang), str | tuple)]
            if missing:
                problems.append(f"{where}[{key!r}]: no {', '.join(missing)}")
                continue
            if isinstance(texts["ko"], tuple) or isinstance(texts["en"], tuple):  # day names
                if len(texts["ko"]) != len(texts["en"]):
                    problems.append(f"{where}[{key!r}]: lists of different lengths")
                continue
            ko, en = placeholders(texts["ko"]), placeholders(texts["en"])
            if ko != en:
                problems.append(f"{where}[{key!r}]: ko {sorted(ko)} != en {sorted(en)}")
    assert not problems, "\n".join(problems)

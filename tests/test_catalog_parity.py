"""Every string table of the bot is one the catalogue test checks.

tests/test_catalog.py checks each table listed in `bot.i18n.CATALOGS` (each key in Korean and
English, with the same placeholders). This finds the tables by their shape instead of by that
list, in every module of the `bot` package: a table of sentences left out of the list, or one
kept in another shape (`{"ko": {key: ...}, "en": {key: ...}}`), would escape that check and could
show English, or drop a figure, in the middle of a Korean answer.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import bot
from bot.i18n import CATALOGS, LANGUAGES, Catalog, load_catalog, problems


def modules() -> Iterator[Any]:
    for info in pkgutil.walk_packages(bot.__path__, "bot."):
        if info.name == "bot.__main__":  # runs the command line when imported
            continue
        try:
            yield importlib.import_module(info.name)
        except ImportError:  # an optional extra that is not installed (azureml-core)
            continue


def is_sentence_table(value: Any) -> bool:
    """`{key: {"ko": str, "en": str}}`: the one catalogue shape."""
    return (isinstance(value, dict) and bool(value)
            and all(isinstance(texts, dict) and set(LANGUAGES) <= set(texts)
                    and all(isinstance(texts[lang], str) for lang in LANGUAGES)
                    for texts in value.values()))


def is_language_first_table(value: Any) -> bool:
    """`{"ko": {key: str}, "en": {key: str}}`: the other shape, which no table should have."""
    return (isinstance(value, dict) and set(LANGUAGES) <= set(value)
            and all(isinstance(value[lang], dict) and value[lang]
                    and all(isinstance(text, str) for text in value[lang].values())
                    for lang in LANGUAGES))


# Searched when a test asks, once per process: at import, every pytest-xdist worker would import
# the whole package while collecting, though only one of them runs these tests.
@functools.cache
def tables() -> dict[str, Any]:
    """reference -> table, each table once (a Catalog counts as the table it reads)."""
    found: dict[int, tuple[str, Any]] = {}
    for module in modules():
        for name, value in vars(module).items():
            if isinstance(value, Catalog):
                value = value.strings
            if is_sentence_table(value) or is_language_first_table(value):
                found.setdefault(id(value), (f"{module.__name__}:{name}", value))
    return dict(found.values())


def listed() -> set[int]:
    return {id(load_catalog(reference)) for reference in CATALOGS}

# Terminal labels kept language-first by the renderers the answer service replaces
# (bot/answers); listed here so that any other table in that shape fails.
KNOWN_LANGUAGE_FIRST = {"bot.incidents.cli_ask:_LABELS", "bot.matching.text_output:_LABELS"}


def test_the_search_finds_the_listed_catalogues() -> None:
    # If this fails the search is broken (a new shape), not the strings.
    assert {id(table) for table in tables().values()} >= listed()


def test_every_string_table_is_listed_in_one_shape() -> None:
    unlisted = [reference for reference, table in tables().items()
                if is_sentence_table(table) and id(table) not in listed()]
    other_shape = [reference for reference, table in tables().items()
                   if is_language_first_table(table) and reference not in KNOWN_LANGUAGE_FIRST]
    assert not unlisted, f"add to bot.i18n.CATALOGS: {unlisted}"
    assert not other_shape, f"use key -> {{ko, en}} and list it in CATALOGS: {other_shape}"


def test_the_digest_tables_are_complete() -> None:
    for reference in ("bot.digest.render:STRINGS", "bot.digest.chart:STRINGS",
                      "bot.slack.listeners.digest:STRINGS"):
        assert problems(load_catalog(reference)) == [], reference

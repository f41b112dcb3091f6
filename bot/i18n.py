"""Korean and English strings: one shape and one lookup for every layer.

The shape: each domain keeps its sentences in a `STRINGS` table, `key -> {"ko": ..., "en": ...}`,
and looks them up through a `Catalog` over it, `t = Catalog(STRINGS)`, called as
`t(key, lang, **values)`. Nothing here knows Slack or the terminal, so domain code, the CLI and
the Slack layer all use it the same way. Every table is listed in CATALOGS, and
tests/test_catalog.py checks that each key has both languages with the same placeholders.
"""

from __future__ import annotations

import importlib
import string
from collections.abc import Mapping
from typing import ClassVar

LANGUAGES = ("ko", "en")

Strings = Mapping[str, Mapping[str, str]]

# Every string table, as "module:attribute". A new table is one line here.
CATALOGS = (
    "bot.answers.strings:STRINGS",  # the facts of an answer, the same on every surface
    "bot.slack.i18n:STRINGS",  # what the Slack app says
    "bot.logs.render:TEXTS",  # log fetches and their diagnoses
    "bot.logs.source:REASONS",  # why a log fetch failed, inside render's "failed" line
    "bot.deployments.render:TEXTS",  # failed deployments and the deployments watch
    "bot.slack.listeners.digest:STRINGS",  # the digest's sub-command
    "bot.knowledge.msdocs_render:STRINGS",  # labels in drafts made from a guide
    "bot.knowledge.draft_files:STRINGS",  # the note on top of each draft's sections
    "bot.matching.text_output:STRINGS",  # `match` and `ask` in a terminal
    "bot.digest.render:STRINGS",  # the weekly digest message and its terminal text
    "bot.digest.chart:STRINGS",  # the digest chart's title, axis and legend
    "bot.slack.render_teaching:STRINGS",  # team knowledge: drafts, approvals
    "bot.settings:STRINGS",  # why a variable's value cannot be used
    "bot.cli_errors:STRINGS",  # what the command says when it cannot do what was asked
    "bot.storage.check:STRINGS",  # why the database cannot be used yet
    "bot.storage.cli_db:STRINGS",  # `db upgrade / downgrade / current` in a terminal
    "bot.incidents.cli_incidents:STRINGS",  # `incidents resolve / list / purge` in a terminal
    "bot.digest.cli_digest:STRINGS",  # `digest` in a terminal: its notes and errors
    "bot.digest.worker:STRINGS",  # `worker`'s lines for its operator on stderr
    "bot.teaching.cli_kb:STRINGS",  # `kb drafts / teach / export / disable` in a terminal
    "bot.teaching.refusals:STRINGS",  # the teaching service's refusals, on every surface
    "bot.knowledge.check:STRINGS",  # `kb check`'s own lines (its problems stay as written)
    "bot.knowledge.cli_problems:STRINGS",  # `kb eval / train / import` when they cannot
    "bot.knowledge.cli_reports:STRINGS",  # `kb import / train` when they can: what they made
    "bot.slack.config:STRINGS",  # why `serve` does not start
)


class Catalog:
    """`key -> {language: template}`; calling it gives the sentence in a language.

    English stands in for a missing translation; `{placeholders}` are filled only when values
    are given, so a template may show literal braces when used bare.
    """

    def __init__(self, strings: Strings) -> None:
        self.strings = strings

    def __call__(self, key: str, lang: str, **values: object) -> str:
        table = self.strings[key]
        template = table.get(lang) or table["en"]
        return template.format(**values) if values else template


class KeyedMessage:
    """A sentence carried as its `key` in a `catalog` and the `values` it was made from, so
    each surface says it in its reader's language (`said_in`) without parsing English.

    Mixed into a refusal (a `str`), a problem (a `ValueError`) or a start-up error (a
    `SystemExit`): each keeps its own base, so `except` clauses do not change, and passes it
    `english(...)`, which `str()` and the logs read.
    """

    catalog: ClassVar[Catalog]
    key: str
    values: Mapping[str, object]

    @classmethod
    def english(cls, key: str, values: Mapping[str, object]) -> str:
        """The sentence from the values as given: what `str()` and the logs read."""
        return cls.catalog(key, "en", **values)

    def said_in(self, lang: str) -> str:
        return self.catalog(self.key, lang, **self.values_in(lang))

    def values_in(self, lang: str) -> Mapping[str, object]:
        """The values as a reader of `lang` sees them (a class may word some per language)."""
        return self.values


def normalize_language(value: str | None, default: str = "ko") -> str:
    value = (value or "").strip().lower()
    return value if value in LANGUAGES else default


def placeholders(template: str) -> frozenset[str]:
    """The names a template fills: `{id}`, `{seconds:.1f}` -> {"id", "seconds"}."""
    return frozenset(name for _text, name, _spec, _conv in string.Formatter().parse(template)
                     if name)


def problems(strings: Strings) -> list[str]:
    """What is wrong with a table: a language missing or empty, placeholders that differ."""
    found = []
    for key, table in strings.items():
        missing = [lang for lang in LANGUAGES if not table.get(lang)]
        if missing:
            found.append(f"{key}: no {', '.join(missing)}")
            continue
        names = {lang: placeholders(table[lang]) for lang in LANGUAGES}
        if len(set(names.values())) > 1:
            found.append(f"{key}: placeholders differ: "
                         + ", ".join(f"{lang} {sorted(names[lang])}" for lang in LANGUAGES))
    return found


def load_catalog(reference: str) -> Strings:
    """The table a CATALOGS line names."""
    module, _, attribute = reference.partition(":")
    table: Strings = getattr(importlib.import_module(module), attribute)
    return table

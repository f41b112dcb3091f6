"""Every string table has one shape: each key in Korean and English with the same placeholders."""

from __future__ import annotations

import re

import pytest

from bot.i18n import CATALOGS, Catalog, load_catalog, placeholders, problems


@pytest.mark.parametrize("reference", CATALOGS)
def test_every_key_has_both_languages_with_the_same_placeholders(reference: str) -> None:
    assert problems(load_catalog(reference)) == []


def test_a_missing_language_or_a_lost_placeholder_is_found() -> None:
    broken = {"ok": {"ko": "인시던트 #{id}", "en": "Incident #{id}"},
              "half": {"en": "only English"},
              "lost": {"ko": "{count}회", "en": "{count} times by {who}"}}
    assert problems(broken) == ["half: no ko",
                                "lost: placeholders differ: ko ['count'], en ['count', 'who']"]


def test_placeholders_ignore_format_specs_and_literal_braces() -> None:
    assert placeholders("{seconds:.1f} s, {{literal}}, {total:,}") == {"seconds", "total"}


def test_one_lookup_for_every_layer() -> None:
    t = Catalog({"seen": {"ko": "{count}번째 발생", "en": "seen {count} times"}})
    assert t("seen", "ko", count=3) == "3번째 발생"
    assert t("seen", "en", count=3) == "seen 3 times"
    assert t("seen", "ko") == "{count}번째 발생"  # bare: the template as written


# Names that stay as they are in Korean text: products, places, the command, a language's name.
NAMES = {"Azure", "Monitor", "Slack", "Kubernetes", "Asia", "Seoul", "English", "troubleshoot",
         "TODO",
         # formats and protocols, which Korean writes by their names too
         "JSON", "UTF-", "HTTP", "Markdown"}


@pytest.mark.parametrize("reference", CATALOGS)
def test_korean_sentences_have_no_english_words_left(reference: str) -> None:
    # The digest told Korean channels to add an entry "with the error text as signature로":
    # an English word in a Korean sentence. Code spans, placeholders, emoji codes, links,
    # Slack markup and parenthesised asides (ids, examples) may hold English.
    left = {}
    for key, table in load_catalog(reference).items():
        prose = re.sub(r"`[^`]*`|\{[^}]*\}|:[a-z_+-]+:|<[^>]*>|https?://\S+|\([^)]*\)", " ",
                       table.get("ko") or "")
        words = set(re.findall(r"[A-Za-z][A-Za-z_-]{3,}", prose)) - NAMES
        if words:
            left[key] = sorted(words)
    assert left == {}

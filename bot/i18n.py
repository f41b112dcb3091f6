"""Korean and English string catalogues: one lookup for every domain's sentences."""

from __future__ import annotations

LANGUAGES = ("ko", "en")


class Catalog:
    """`key -> {language: template}`; calling it gives the sentence in a language.

    English stands in for a missing translation; `{placeholders}` are filled only when values
    are given, so a template may show literal braces when used bare.
    """

    def __init__(self, strings: dict[str, dict[str, str]]) -> None:
        self.strings = strings

    def __call__(self, key: str, lang: str, **values: object) -> str:
        table = self.strings[key]
        template = table.get(lang) or table["en"]
        return template.format(**values) if values else template


def normalize_language(value: str | None, default: str = "ko") -> str:
    value = (value or "").strip().lower()
    return value if value in LANGUAGES else default

"""Korean as the engineers who use the bot write it, checked over every Korean string the bot
can say (the string literals of the `bot` package, wherever the catalogue keeps them) and every
knowledge-base entry's Korean title and body.

- One word per concept, the one engineers use in chat rather than the translated-docs term:
  워크스페이스 (not 작업 영역), 스코어링/추론 (not 채점), 엔트리 스크립트 (not 입력 스크립트),
  레플리카 (not 복제본), 스케줄링 (not 예약(스케줄)), 오토스케일링 (not 자동 크기 조정).
- No particle guessed after a number or a name that is filled in later (`#{id}를`, `{name}이`,
  `{what}이(가)`): whether it takes 을 or 를 depends on a sound the template cannot know, so the
  sentence is built so that no particle follows it ("#13번 인시던트를", "{name} 파일을").
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

from bot.knowledge.loader import load_knowledge_base

PACKAGE = Path(__file__).resolve().parents[1] / "bot"
HANGUL = re.compile(r"[가-힣]")
BANNED = {
    "작업 영역": "워크스페이스",
    "작업영역": "워크스페이스",
    "채점": "스코어링 / 추론",
    "입력 스크립트": "엔트리 스크립트",
    "복제본": "레플리카",
    "예약(스케줄)": "스케줄링",
    "자동 크기 조정": "오토스케일링",
}
# A particle right after a placeholder or a number: 을/를, 이/가, 은/는, 와/과, 으로/로, and the
# hedges that admit the guess: 을(를), 이(가), 은(는), 와(과), (으)로.
GUESSED_PARTICLE = re.compile(
    r"(\}|#\d+|#\{[^}]*\})(을\(를\)|를\(을\)|이\(가\)|은\(는\)|와\(과\)|\(으\)로"
    r"|을|를|이|가|은|는|와|과|으로|로)(?=$|[\s.,:;!?)\]'\"`*_~])")
HEDGE = re.compile(r"을\(를\)|이\(가\)|은\(는\)|와\(과\)|\(으\)로")


# Scanned when a test asks, once per process: at import, every pytest-xdist worker would parse
# the whole package while collecting, though only one of them runs these tests.
@functools.cache
def korean_strings() -> list[tuple[str, str]]:
    """(where, text) for every string literal with Hangul in the bot package (f-strings too)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                text = "".join(part.value if isinstance(part, ast.Constant) else "{}"
                               for part in node.values)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
            else:
                continue
            if HANGUL.search(text):
                found.append((f"{path.relative_to(PACKAGE.parent)}:{node.lineno}", text))
    return found


@functools.cache
def knowledge_texts() -> list[tuple[str, str]]:
    """(where, text) for each entry's Korean title and body (signatures are what people paste,
    in whatever words they use, and are not checked)."""
    texts = []
    for entry in load_knowledge_base().entries:
        texts.append((f"{entry.id} title", entry.title_in("ko")))
        body = entry.body.get("ko")
        if body is not None:
            texts.append((f"{entry.id} body",
                          "\n".join([body.cause, body.fix_intro, *body.steps, body.extra])))
    return texts


def corpus_texts(corpus: str) -> list[tuple[str, str]]:
    return korean_strings() if corpus == "strings" else knowledge_texts()


def test_the_scan_sees_the_catalogue_and_the_knowledge_base() -> None:
    # If these fail the scan is broken (the package or the KB moved), not the Korean.
    assert len(korean_strings()) > 150
    assert any("인시던트" in text for _where, text in korean_strings())
    assert len(knowledge_texts()) >= 30 and all(text for _where, text in knowledge_texts())


@pytest.mark.parametrize("corpus", ["strings", "knowledge"])
def test_engineers_vocabulary(corpus: str) -> None:
    texts = corpus_texts(corpus)
    found = [f"{where}: '{term}' → {better}" for where, text in texts
             for term, better in BANNED.items() if term in text]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("corpus", ["strings", "knowledge"])
def test_no_particle_is_guessed_after_a_number_or_a_name(corpus: str) -> None:
    texts = corpus_texts(corpus)
    found = sorted({f"{where}: …{text[max(0, m.start() - 20):m.end() + 5]}…"
                    for where, text in texts
                    for m in [*GUESSED_PARTICLE.finditer(text), *HEDGE.finditer(text)]})
    assert not found, "\n".join(found)


@pytest.mark.parametrize(("text", "bad"), [
    ("인시던트 #{id}를 해결합니다", True),
    ("#13를 봤어요", True),
    ("`{word}`을(를) 이해하지 못했습니다", True),
    ("{what}이(가) 두 번 입력되었습니다", True),
    ("첨부 파일 {name}을 읽을 수 없습니다", True),
    ("#13번 인시던트를 해결합니다", False),
    ("{count}회 발생", False),
    ("<@{user}> 님이 해결", False),
    ("#{id}의 재발", False),
    ("입력하신 `{word}` 부분을 이해하지 못했습니다", False),
])
def test_the_particle_rule_itself(text: str, bad: bool) -> None:
    assert bool(GUESSED_PARTICLE.search(text) or HEDGE.search(text)) is bad

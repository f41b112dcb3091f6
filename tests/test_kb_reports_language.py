"""What `kb import` and `kb train` say when they succeed, in the team's language.

A Korean team (BOT_LANGUAGE=ko, the default) read their errors in Korean, then the import's
report (what it made, what it skipped and why, what it assumed) and training's "wrote ..."
lines in English. Each runs the real command in its own process, as a person runs it; English
stays as it was written before (scripts and the docs quote it).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "msdocs"
EVAL = REPO_ROOT / "tests" / "eval"
BASE = "https://learn.microsoft.com/azure/machine-learning/"
# A Korean line may name code, paths, ids and numbers; no English sentence is left in it.
ENGLISH_WORDS = re.compile(r"\b(Imported|Skipped|Note|Next|wrote|items|precedents|words|row|"
                           r"signatures?|entries|sections|introduction|heading|assume)\b")


def bot(*args: str, lang: str, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("BOT_", "DATABASE_", "KNOWLEDGE_"))}
    env.update(BOT_LANGUAGE=lang, OPENBLAS_NUM_THREADS="1")
    done = subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done


def guide(folder: Path) -> Path:
    """The endpoint fixture with every kind of skip, and no `ms.service` (a note on links)."""
    text = (FIXTURES / "endpoint-errors.md").read_text(encoding="utf-8")
    text = text.replace("ms.service: machine-learning\n", "").replace(
        '## <a name="common-deployment-errors">',
        '## <a name="prerequisites"></a>Prerequisites\n\nAn Azure subscription.\n\n'
        '## <a name="empty-section"></a>Empty section\n\n'
        '## <a name="common-deployment-errors">')
    path = folder / "endpoints.md"
    path.write_text(text, encoding="utf-8")
    return path


def import_into(tmp_path: Path, lang: str) -> str:
    out = tmp_path / f"drafts-{lang}"
    out.mkdir()
    (out / "older.md").write_text("---\nid: older\ndraft: true\ntitle: {en: old}\n---\n",
                                  encoding="utf-8")
    return bot("kb", "import", str(guide(tmp_path)), "--out", str(out), lang=lang).stdout


def test_kb_import_reports_what_it_made_and_skipped_in_korean(tmp_path: Path) -> None:
    said = import_into(tmp_path, "ko")
    out = tmp_path / "drafts-ko"
    lines = said.splitlines()
    assert lines[0] == f"초안 항목 6개를 만들었습니다 (가이드: endpoints.md, 폴더: {out}):"
    assert lines[1].split() == ["error-outofquota", "ERROR:", "OutOfQuota", "(시그니처", "1개)"]
    assert "건너뛴 섹션 6개:" in lines
    reasons = {line.split(None, 1)[0]: line.split(None, 1)[1] for line in lines
               if line.startswith("  ")}
    assert reasons["troubleshoot-sample-endpoints"] == "페이지 제목과 소개"
    assert reasons["prerequisites"].startswith("문제나 절차가 아닌 정해진 섹션")
    assert reasons["empty-section"] == "제목 아래에 본문이 없음"
    assert reasons["common-deployment-errors"].startswith("하위 섹션 2개를 안내하는 도입부")
    assert reasons["http-status-codes"] == "표의 행마다 항목 하나씩, 3개로 나눔"
    assert re.search(r"^  http-status-codes 표 1행 +오류가 아니라 성공이나 리디렉션 상태 코드",
                     said, re.M), said  # the 200 row
    assert (f"참고: 가이드에 `ms.service`가 없어 출처 링크를 기본 주소({BASE}) 기준으로 "
            "만들었습니다.") in said
    assert "다음 단계: 초안마다 내용을 직접 다시 쓴 뒤 `draft: true` 줄을 지우세요." in said
    assert lines[-1] == (f"참고: 이번 가져오기가 만들지 않은 예전 초안 1개는 그대로 두었습니다 "
                         f"(폴더: {out}): older.md")
    # Titles stay in the guide's own language; nothing else is English.
    left = [line for line in lines if ENGLISH_WORDS.search(line)]
    assert left == [], left


def test_kb_import_reports_in_english_as_before(tmp_path: Path) -> None:
    out = tmp_path / "drafts-en"
    assert import_into(tmp_path, "en") == "\n".join([
        f"Imported 6 draft entries from endpoints.md into {out}:",
        "  error-outofquota        ERROR: OutOfQuota  (1 signature)",
        "  error-resourcenotready  ERROR: ResourceNotReady  (1 signature)",
        "  scaling                 Scaling  (0 signatures)",
        "  http-status-code-401    401 Unauthorized  (3 signatures)",
        "  http-status-code-429    429 Rate-limiting  (3 signatures)",
        "  http-status-code-429-2  429 Too many pending requests  (3 signatures)",
        "Skipped 6 sections:",
        "  troubleshoot-sample-endpoints  page title and introduction",
        "  prerequisites                  not a problem or procedure (well-known section)",
        "  empty-section                  no text under the heading",
        "  common-deployment-errors       lead-in to 2 subsections, each an entry",
        "  http-status-codes row 1        a success or redirect status, not an error",
        "  http-status-codes              split into 3 entries, one per table row",
        f"Note: ms.service is 'missing': source links assume {BASE}; pass --base-url if the "
        "guide lives elsewhere",
        "Next: rewrite each draft in your own words, then delete its `draft: true` line; "
        "`troubleshoot-bot kb check` validates the result.",
        f"Note: 1 older draft in {out} was not made by this import and was left as it is: "
        "older.md", ""])


def test_kb_import_counts_one_thing_in_the_singular(tmp_path: Path) -> None:
    """"Imported 1 draft entries", "Skipped 1 sections", "1 older drafts ... were left" read
    wrong; two older drafts keep the plural."""
    page = tmp_path / "one.md"
    page.write_text('---\ntitle: One error\n---\n# One error\n\nAbout this page.\n\n'
                    '## <a name="boom"></a>Boom\n\nThe scorer stops with `ERROR: Boom`.\n',
                    encoding="utf-8")
    out = tmp_path / "drafts"
    out.mkdir()
    for name in ("old-a.md", "old-b.md"):
        (out / name).write_text("---\nid: old\ndraft: true\ntitle: {en: old}\n---\n",
                                encoding="utf-8")
    lines = bot("kb", "import", str(page), "--out", str(out), lang="en").stdout.splitlines()
    assert lines[0] == f"Imported 1 draft entry from one.md into {out}:"
    assert "Skipped 1 section:" in lines
    assert lines[-1] == (f"Note: 2 older drafts in {out} were not made by this import and were "
                         "left as they are: old-a.md, old-b.md")


def test_kb_train_says_what_it_wrote_in_korean_and_in_english(tmp_path: Path) -> None:
    lines = (EVAL / "dev.jsonl").read_text(encoding="utf-8").splitlines()[::6]
    small = tmp_path / "small.jsonl"
    small.write_text("\n".join(lines) + "\n", encoding="utf-8")
    wrote = {}
    for lang in ("ko", "en"):
        out = tmp_path / lang / "model.json"
        stdout = bot("kb", "train", str(small), "--out", str(out), "--folds", "3",
                     lang=lang).stdout
        wrote[lang] = stdout.splitlines()[-3:]
    model, precedents, context = wrote["ko"]
    folder = tmp_path / "ko"
    assert model.startswith(f"모델을 저장했습니다: {folder / 'model.json'} (항목 {len(lines)}개, "
                            f"학습 파일: {small}). 임계값: `confident` 0.")
    assert re.fullmatch(rf"선례 색인을 저장했습니다: {re.escape(str(folder))}/precedents\.json "
                        rf"\(선례 {len(lines)}개, 단어 \d+개\)", precedents), precedents
    assert re.fullmatch(rf"붙여넣기 맥락 모델을 저장했습니다: {re.escape(str(folder))}/"
                        r"context\.json \(단어 \d+개\)", context), context
    model, precedents, context = wrote["en"]
    folder = tmp_path / "en"
    assert re.fullmatch(rf"wrote {re.escape(str(folder))}/model\.json: {len(lines)} items from "
                        rf"{re.escape(str(small))}; thresholds confident 0\.\d{{3}}, "
                        r"confident_exact 0\.\d{3}, likely 0\.\d{3}", model), model
    assert re.fullmatch(rf"wrote {re.escape(str(folder))}/precedents\.json: {len(lines)} "
                        r"precedents, \d+ words", precedents), precedents
    assert re.fullmatch(rf"wrote {re.escape(str(folder))}/context\.json: paste context over "
                        r"\d+ words", context), context

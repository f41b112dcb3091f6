"""`troubleshoot-bot kb import`: the real command on the real guide and on small fixtures.

Every import runs the installed CLI in a child process (`python -m bot kb import ...`) and reads
the drafts back with the real KB loader, the way a person finishing them would.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.knowledge.loader import load_entries
from bot.knowledge.model import Entry
from bot.knowledge.msdocs import split_table_row
from bot.knowledge.msdocs_render import render_plain, resolve_link
from tests.conftest import GUIDE_PATH, REPO_ROOT
from tests.support.cli import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "msdocs"
SAMPLE = FIXTURES / "sample-troubleshooting.md"
WINDOWS_GUIDE = FIXTURES / "windows-bom.ko.md"
GUIDE_URL = "https://learn.microsoft.com/azure/machine-learning/how-to-troubleshoot-deployment"
DESIGN_IDS = {
    "get-deployment-logs", "debug-locally", "azure-machine-learning-inference-http-server",
    "container-cannot-be-scheduled", "service-launch-fails", "function-fails-get_model_path",
    "function-fails-runinput_data", "http-status-code-502", "http-status-code-503",
    "http-status-code-504", "advanced-debugging", "http-status-code-409", "image-build-fails",
    "vm-out-of-memory", "fpga-quota",
}

needs_guide = pytest.mark.skipif(
    not GUIDE_PATH.is_file(),
    reason=f"the shared guide is not beside the checkout ({GUIDE_PATH} is absent)")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def kb_import(guide: Path | str, out: Path, *extra: str, lang: str = "en") -> Run:
    done = run_cli(["kb", "import", str(guide), "--out", str(out), *extra], cwd=REPO_ROOT,
                   env={"BOT_LANGUAGE": lang})
    return Run(done.exit_code, done.stdout, done.stderr)


def load_drafts(folder: Path) -> dict[str, Entry]:
    entries, problems = load_entries([folder], include_drafts=True)
    assert problems == []
    return {entry.id: entry for entry in entries}


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n", 1)[0][4:])


def ko_text(entry: Entry) -> str:
    body = entry.body["ko"]
    return "\n".join([body.cause, *body.steps, body.extra])


# --- the shared guide -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def guide_drafts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    if not GUIDE_PATH.is_file():
        pytest.skip(f"the shared guide is not beside the checkout ({GUIDE_PATH} is absent)")
    out = tmp_path_factory.mktemp("guide-drafts")
    run = kb_import(GUIDE_PATH, out)
    assert run.code == 0, run.stderr
    return out, run


@needs_guide
def test_the_guide_yields_exactly_the_design_ids(guide_drafts: tuple[Path, Run]) -> None:
    out, _run = guide_drafts
    assert {path.stem for path in out.glob("*.md")} == DESIGN_IDS
    assert set(load_drafts(out)) == DESIGN_IDS


@needs_guide
def test_every_guide_draft_loads_as_a_marked_draft_with_both_languages(
        guide_drafts: tuple[Path, Run]) -> None:
    out, _run = guide_drafts
    for entry_id, entry in load_drafts(out).items():
        meta = front_matter(out / f"{entry_id}.md")
        assert meta["draft"] is True
        assert set(entry.body) == {"en", "ko"}
        assert "own words" in entry.body["en"].cause  # the English text is left for a person
        assert entry.title["ko"] and entry.title["en"]
        assert entry.source.startswith(GUIDE_URL + "#")


@needs_guide
def test_guide_sections_and_rows_keep_their_titles_and_links(
        guide_drafts: tuple[Path, Run]) -> None:
    drafts = load_drafts(guide_drafts[0])
    assert drafts["http-status-code-502"].title == {"en": "HTTP status code 502",
                                                     "ko": "502 HTTP 상태 코드"}
    assert drafts["container-cannot-be-scheduled"].source == \
        f"{GUIDE_URL}#container-cannot-be-scheduled"
    assert drafts["fpga-quota"].source == f"{GUIDE_URL}#other-error-messages"
    assert "https://aka.ms/aml-real-time-ai" in ko_text(drafts["fpga-quota"])
    # Relative Docs links now point at learn.microsoft.com pages.
    logs = ko_text(drafts["get-deployment-logs"])
    assert ("(https://learn.microsoft.com/azure/machine-learning/how-to-deploy-and-where"
            "#connect-to-your-workspace)") in logs
    for entry in drafts.values():
        assert ".md)" not in ko_text(entry) and ".md#" not in ko_text(entry)


@needs_guide
def test_error_code_spans_become_signatures(guide_drafts: tuple[Path, Run]) -> None:
    drafts = load_drafts(guide_drafts[0])
    assert drafts["container-cannot-be-scheduled"].signatures == (
        "Couldn't Schedule because the kubernetes cluster didn't have available resources after "
        "trying for 00:05:00",
        "0/3 nodes are available: 3 Insufficient nvidia.com/gpu",
    )
    assert drafts["vm-out-of-memory"].signatures == (
        "['DaskOnBatch:context_managers.DaskOnBatch', 'setup.py']' died with "
        "<Signals.SIGKILL: 9>",)
    assert "CrashLoopBackOff" in drafts["service-launch-fails"].signatures
    assert drafts["function-fails-get_model_path"].signatures == ("get_model_path()",)
    assert "502 Bad Gateway" in drafts["http-status-code-502"].signatures
    assert "409 Conflict" in drafts["http-status-code-409"].signatures
    # Names of settings and functions are not error text.
    assert not any("autoscale" in s for s in drafts["http-status-code-503"].signatures)


@needs_guide
def test_both_tabs_code_survives_in_get_deployment_logs(guide_drafts: tuple[Path, Run]) -> None:
    text = ko_text(load_drafts(guide_drafts[0])["get-deployment-logs"])
    assert "az ml service get-logs --verbose --workspace-name <my workspace name>" in text
    assert "print(service.get_logs())" in text
    assert "**Azure CLI**" in text and "**Python**" in text
    assert "#tab/" not in text and "<a name" not in text


@needs_guide
def test_alerts_become_plain_text_in_http_503(guide_drafts: tuple[Path, Run]) -> None:
    text = ko_text(load_drafts(guide_drafts[0])["http-status-code-503"])
    assert "[!" not in text
    assert "팁: 이러한 두 가지 접근 방식은" in text
    assert "    중요: 이 변경으로 인해 복제본이" in text  # still inside its list item
    assert "참고: 새 최소 복제본에서" in text
    assert not any(line.lstrip().startswith(">") for line in text.splitlines())


@needs_guide
def test_the_cause_is_the_first_paragraph_and_numbered_steps_are_kept(
        guide_drafts: tuple[Path, Run]) -> None:
    drafts = load_drafts(guide_drafts[0])
    server = drafts["azure-machine-learning-inference-http-server"].body["ko"]
    assert server.cause.startswith("로컬 유추 서버를 사용하면")
    assert len(server.steps) == 3 and "azmlinfsrv --entry_script score.py" in server.steps[1]


@needs_guide
def test_the_report_names_what_was_skipped(guide_drafts: tuple[Path, Run]) -> None:
    report = guide_drafts[1].stdout
    assert "Imported 15 draft entries" in report
    for anchor in ("troubleshooting-remote-model-deployment", "prerequisites",
                   "steps-for-docker-deployment-of-machine-learning-models",
                   "model-deployment-user-forum", "next-steps"):
        assert anchor in report.split("Skipped", 1)[1]
    assert "other-error-messages" in report and "split into 4 entries" in report


@needs_guide
def test_reimport_overwrites_drafts_with_the_same_text(tmp_path: Path) -> None:
    assert kb_import(GUIDE_PATH, tmp_path).code == 0
    first = {path.name: path.read_bytes() for path in tmp_path.glob("*.md")}
    (tmp_path / "debug-locally.md").write_text("---\nid: debug-locally\ndraft: true\n"
                                               "title: {en: old}\n---\n", encoding="utf-8")
    (tmp_path / "renamed-section.md").write_text("---\nid: renamed-section\ndraft: true\n"
                                                  "title: {en: old}\n---\n", encoding="utf-8")
    again = kb_import(GUIDE_PATH, tmp_path)
    assert again.code == 0
    assert {path.name: path.read_bytes() for path in tmp_path.glob("*.md")
            if path.name != "renamed-section.md"} == first
    # A draft the guide no longer produces is named, and kept.
    assert (f"1 older draft in {tmp_path} was not made by this import and was left as it is: "
            "renamed-section.md") in again.stdout
    assert (tmp_path / "renamed-section.md").exists()


@needs_guide
def test_a_finished_entry_is_never_overwritten_without_force(tmp_path: Path) -> None:
    finished = "---\nid: debug-locally\ntitle: {en: Debug locally}\n---\n## en\nMine.\n"
    (tmp_path / "debug-locally.md").write_text(finished, encoding="utf-8")
    refused = kb_import(GUIDE_PATH, tmp_path)
    assert refused.code == 1
    assert "debug-locally.md" in refused.stderr and "--force" in refused.stderr
    assert "Traceback" not in refused.stderr
    # All or nothing: nothing else was written either.
    assert [path.name for path in tmp_path.iterdir()] == ["debug-locally.md"]
    assert (tmp_path / "debug-locally.md").read_text(encoding="utf-8") == finished

    assert kb_import(GUIDE_PATH, tmp_path, "--force").code == 0
    assert front_matter(tmp_path / "debug-locally.md")["draft"] is True


# --- small fixtures ---------------------------------------------------------------------------

@pytest.fixture
def sample(tmp_path: Path) -> tuple[dict[str, Entry], Run]:
    run = kb_import(SAMPLE, tmp_path)
    assert run.code == 0, run.stderr
    return load_drafts(tmp_path), run


def en_text(entry: Entry) -> str:
    body = entry.body["en"]
    return "\n".join([body.cause, *body.steps, body.extra])


def test_fixture_sections_rows_and_skips(sample: tuple[dict[str, Entry], Run]) -> None:
    drafts, run = sample
    assert set(drafts) == {
        "fetch-logs", "pod-keeps-restarting", "quota-is-exhausted", "http-status-code-429",
        "http-status-code-401", "modulenotfounderror-no-module-named-sklearn",
        "vm-out-of-memory", "resourcenotready-user-container-has-crashed-or-terminated"}
    skipped = run.stdout.split("Skipped", 1)[1]
    assert "empty-section" in skipped and "no text" in skipped
    assert "known-errors" in skipped and "split into 4 entries" in skipped
    assert "prerequisites" in skipped and "next-steps" in skipped


def test_a_section_without_anchor_gets_the_slug_of_its_title(
        sample: tuple[dict[str, Entry], Run]) -> None:
    quota = sample[0]["quota-is-exhausted"]
    assert quota.title["en"] == "Quota is exhausted"
    assert quota.signatures == ("Not enough quota available for Standard_DS3_v2 in "
                                "SubscriptionId",)


def test_fixture_tab_group_keeps_both_tabs_and_code_comments(
        sample: tuple[dict[str, Entry], Run]) -> None:
    text = en_text(sample[0]["fetch-logs"])
    assert "**Azure CLI**" in text and "**Python SDK**" in text
    assert "az ml online-deployment get-logs --name blue" in text
    assert "# a comment that looks like a heading must stay in the code" in text
    assert "\n---" not in text  # the tab group's closing rule is gone


def test_fixture_links_images_and_alerts_are_plain(sample: tuple[dict[str, Entry], Run]) -> None:
    drafts = sample[0]
    page = "https://learn.microsoft.com/azure/machine-learning/sample-troubleshooting"
    logs = en_text(drafts["fetch-logs"])
    assert "(https://learn.microsoft.com/azure/machine-learning/how-to-logs#stream)" in logs
    assert "(https://learn.microsoft.com/azure/aks/troubleshooting)" in logs
    assert f"({page}#pod-keeps-restarting)" in logs
    # The loader keeps only the numbered items of a fix, so read the file a person edits.
    pod = drafts["pod-keeps-restarting"].path.read_text(encoding="utf-8").split("## ko")[0]
    assert "\nImportant: Check `init()` in the scoring script first.\n" in pod
    assert ("![Pod restart count in the portal]"
            "(https://learn.microsoft.com/azure/machine-learning/media/pod-restarts.png)") in pod
    assert "[!" not in pod and ":::" not in pod
    assert drafts["pod-keeps-restarting"].signatures == ("Back-off restarting failed container",
                                                         "CrashLoopBackOff")
    assert drafts["pod-keeps-restarting"].body["en"].steps[-2:] == (
        "Read the logs.", "Fix the exception in `init()`.\n\n![Pod restart count in the portal]"
        "(https://learn.microsoft.com/azure/machine-learning/media/pod-restarts.png)")


def test_fixture_error_table_rows(sample: tuple[dict[str, Entry], Run]) -> None:
    drafts = sample[0]
    unauthorized = drafts["http-status-code-401"]
    assert unauthorized.signatures == ("401 Unauthorized", "HTTP 401", "status code 401")
    assert unauthorized.body["en"].cause == "The key or token is missing."
    module = drafts["modulenotfounderror-no-module-named-sklearn"]
    assert module.signatures == ("ModuleNotFoundError: No module named 'sklearn'",)
    assert module.body["en"].steps == ("Add `scikit-learn` to the conda file.\n"
                                       "Rebuild the image.",)
    # A known row (ROW_IDS) keeps its fixed id whatever the guide calls it.
    assert drafts["vm-out-of-memory"].title["en"] == "Out of memory in the container"
    # An escaped pipe inside a code span is part of the error text, not a cell border.
    crashed = drafts["resourcenotready-user-container-has-crashed-or-terminated"]
    assert crashed.signatures == (
        "ResourceNotReady: User container has crashed or terminated | exit code 1",)
    assert crashed.body["en"].cause.startswith("TODO")  # empty cause cell: left for a person


def test_the_other_language_gets_a_todo(sample: tuple[dict[str, Entry], Run]) -> None:
    entry = sample[0]["http-status-code-429"]
    assert entry.title == {"en": "429 HTTP status code", "ko": "TODO: 429 HTTP status code"}
    assert "TODO" in entry.body["ko"].cause and entry.body["ko"].steps == ("TODO",)


def test_base_url_override_changes_every_link(tmp_path: Path) -> None:
    run = kb_import(SAMPLE, tmp_path, "--base-url", "https://docs.example.com/ml")
    assert run.code == 0, run.stderr
    drafts = load_drafts(tmp_path)
    assert drafts["fetch-logs"].source == \
        "https://docs.example.com/ml/sample-troubleshooting#fetch-logs"
    assert "(https://docs.example.com/ml/how-to-logs#stream)" in en_text(drafts["fetch-logs"])


def test_windows_line_endings_and_bom(tmp_path: Path) -> None:
    raw = WINDOWS_GUIDE.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # the fixture is what it claims
    run = kb_import(WINDOWS_GUIDE, tmp_path / "crlf")
    assert run.code == 0, run.stderr
    lf_copy = tmp_path / "windows-bom.ko.md"
    lf_copy.write_bytes(raw[3:].replace(b"\r\n", b"\n"))
    assert kb_import(lf_copy, tmp_path / "lf").code == 0

    written = {p.name: p.read_bytes() for p in (tmp_path / "crlf").glob("*.md")}
    assert written == {p.name: p.read_bytes() for p in (tmp_path / "lf").glob("*.md")}
    assert not any(b"\r" in text or text.startswith(b"\xef\xbb\xbf") for text in written.values())

    drafts = load_drafts(tmp_path / "crlf")
    assert set(drafts) == {"restart-service", "http-status-code-409",
                           "insufficient-regional-vcpu-quota-left"}
    restart = ko_text(drafts["restart-service"])
    assert "참고: 다시 시작하는 동안 요청이 실패할 수 있습니다." in restart  # Korean alert label
    assert "az ml service update --name my-service" in restart and "service.update()" in restart
    assert drafts["restart-service"].title == {"ko": "서비스 다시 시작", "en": "Restart service"}
    assert drafts["insufficient-regional-vcpu-quota-left"].signatures == (
        "Insufficient regional vcpu quota left",)


def test_subsections_under_a_lead_in_become_entries_and_status_tables_split(
        tmp_path: Path) -> None:
    run = kb_import(FIXTURES / "endpoint-errors.md", tmp_path)
    assert run.code == 0, run.stderr
    drafts = load_drafts(tmp_path)
    assert set(drafts) == {"error-outofquota", "error-resourcenotready", "scaling",
                           "http-status-code-401", "http-status-code-429",
                           "http-status-code-429-2"}
    skipped = run.stdout.split("Skipped", 1)[1]
    assert "common-deployment-errors" in skipped and "lead-in to 2 subsections" in skipped
    assert "http-status-codes row 1" in skipped and "not an error" in skipped  # the 200 row
    # "ERROR: X" headings name the code people paste; a #### stays inside its ### entry.
    quota = drafts["error-outofquota"]
    assert quota.signatures == ("OutOfQuota",)
    assert "ask for a quota increase" in en_text(quota)
    # A section with its own text keeps its subsection, one level down.
    scaling = drafts["scaling"].path.read_text(encoding="utf-8")
    assert "\n#### Scale settings\n" in scaling and "instance counts" in scaling
    # Status-code rows: the reason phrase joins the title, "why" is the cause.
    assert drafts["http-status-code-401"].title["en"] == "401 Unauthorized"
    assert drafts["http-status-code-429-2"].body["en"].cause == (
        "More requests arrived than `max_concurrent_requests_per_instance` allows.")


def test_an_anchor_cannot_write_outside_the_folder(tmp_path: Path) -> None:
    guide = tmp_path / "evil.md"
    guide.write_text('## <a name="../../escaped"></a>Escape\n\nText `Error: it failed badly`.\n',
                     encoding="utf-8")
    out = tmp_path / "out"
    assert kb_import(guide, out).code == 0
    assert [path.name for path in out.iterdir()] == ["escaped.md"]
    assert not (tmp_path.parent / "escaped.md").exists()


# --- errors -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("make", "message"), [
    (lambda d: d / "missing.md", "guide not found"),
    (lambda d: d, "is a folder"),
    (lambda d: _write(d / "guide.txt", b"## <a name='x'></a>X\n\ntext\n"), "not a Markdown file"),
    (lambda d: _write(d / "guide.md", b"\x89PNG\r\n\x1a\n\x00\x00"), "binary"),
    (lambda d: _write(d / "guide.md", "## Fehler\n\nKaputt.\n".encode("latin-1") + b"\xff"),
     "not UTF-8"),
    (lambda d: FIXTURES / "no-sections.md", "no sections found"),
    (lambda d: _write(d / "guide.md", b"---\ntitle: [unclosed\n---\n## X\n\nx\n"),
     "front matter is not valid YAML"),
    (lambda d: _write(d / "guide.md", b"## <a name='next-steps'></a>Next\n\n* link\n"),
     "skipped as not problems or procedures: next-steps"),
])
def test_bad_input_gets_one_clear_line(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    run = kb_import(make(tmp_path), tmp_path / "out")
    assert run.code == 1
    assert message in run.stderr
    assert run.stderr.startswith("troubleshoot-bot kb import: error:")
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("make", "message"), [
    (lambda d: d / "missing.md", "가이드 파일이 없습니다"),
    (lambda d: d, "폴더입니다. 가이드의 .md 파일을 주세요"),
    (lambda d: _write(d / "guide.md", b"\x89PNG\r\n\x1a\n\x00\x00"), "바이너리 파일입니다"),
    (lambda d: FIXTURES / "no-sections.md", "섹션을 찾지 못했습니다"),
])
def test_a_korean_team_reads_why_in_korean(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    run = kb_import(make(tmp_path), tmp_path / "out", lang="ko")
    assert run.code == 1
    assert run.stderr.startswith("troubleshoot-bot kb import: 오류: ")
    assert message in run.stderr and "error:" not in run.stderr


def test_a_finished_entry_is_not_overwritten_and_a_korean_team_is_told_why(
        tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert kb_import(SAMPLE, out).code == 0
    finished = next(out.glob("*.md"))
    finished.write_text(finished.read_text(encoding="utf-8").replace("draft: true\n", ""),
                        encoding="utf-8")
    run = kb_import(SAMPLE, out, lang="ko")
    assert run.code == 1
    assert f"완성된 항목(`draft: true` 없음)은 덮어쓰지 않습니다: {finished.name}" in run.stderr
    assert "`--force`" in run.stderr and "Pass --force" not in run.stderr


def test_out_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    run = kb_import(SAMPLE, tmp_path / "out")
    assert run.code == 1 and "cannot write drafts" in run.stderr and "Traceback" not in run.stderr


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- small pure rules -------------------------------------------------------------------------

def test_table_cells_split_on_borders_only() -> None:
    assert split_table_row("| `a | b` | c \\| d |") == ("`a | b`", "c | d")
    assert split_table_row("x | y") == ("x", "y")


@pytest.mark.parametrize(("link", "expected"), [
    ("how-to-x.md#y", "https://learn.microsoft.com/azure/machine-learning/how-to-x#y"),
    ("./how-to-x.md", "https://learn.microsoft.com/azure/machine-learning/how-to-x"),
    ("../aks/a.md", "https://learn.microsoft.com/azure/aks/a"),
    ("/python/api/x?view=azure-ml-py", "https://learn.microsoft.com/python/api/x?view=azure-ml-py"),
    ("#z", "https://learn.microsoft.com/azure/machine-learning/page#z"),
    ("https://aka.ms/x", "https://aka.ms/x"),
    ("~/includes/a.md", "~/includes/a.md"),
])
def test_links_resolve_against_the_page(link: str, expected: str) -> None:
    assert resolve_link(link, "https://learn.microsoft.com/azure/machine-learning/page") == expected


def test_an_alert_with_a_list_gets_its_label_on_its_own_line() -> None:
    text = render_plain("> [!WARNING]\n> * one\n> * two\n\nAfter.", page_url="https://x/p")
    assert text == "Warning:\n\n* one\n* two\n\nAfter."


def test_alert_markup_inside_code_is_left_alone() -> None:
    code = "```markdown\n> [!NOTE]\n> kept\n```"
    assert render_plain(code, page_url="https://x/p") == code


# --- any input --------------------------------------------------------------------------------

_PIECES = st.sampled_from([
    "## ", "### ", "# ", '<a name="x"></a>', "[T](#tab/t)", "---\n", "> [!NOTE]\n", "> ",
    "| Error | Resolution |\n|---|---|\n", "| `a|b` | c |\n", "```\n", "`code span`", "**Bold**",
    "\r\n", "\n", "\n\n", "\ufeff", "409 ", "오류", "text ", ":::image source=\"a\":::",
    "[l](x.md)", "title: [", "\x00", "🙂", "שלום", "* ", "1. ",
])


@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=40).map("".join))
@settings(max_examples=150, deadline=None)
def test_any_text_imports_or_fails_cleanly_and_every_draft_loads(text: str) -> None:
    from bot.knowledge.draft_files import GuideInfo, render_draft
    from bot.knowledge.drafts import plan_import
    from bot.knowledge.loader import parse_entry
    from bot.knowledge.msdocs import GuideFormatError, parse_guide

    try:
        plan = plan_import(parse_guide(text), file_name="guide.md")
    except GuideFormatError:
        return
    for draft in plan.drafts:
        entry = parse_entry(render_draft(draft, GuideInfo("guide.md", "", "")))
        assert entry.id == draft.id and "/" not in entry.id and not entry.id.startswith(".")


def test_docs_directives_become_plain_markdown_or_visible_todos() -> None:
    page = "https://learn.microsoft.com/azure/machine-learning/page"
    text = render_plain(
        '[!INCLUDE [disclaimer](../includes/preview.md)]\n\n'
        '::: zone pivot="cli"\n\nCLI words.\n\n::: zone-end\n\n'
        ':::code language="python" source="~/samples/score.py" range="1-5":::\n\n'
        '### Deeper heading\n\n'
        '> [!div class="nextstepaction"]\n> [Deploy a model](how-to-deploy.md)',
        page_url=page)
    assert text == (
        "<!-- TODO: included text not imported: ../includes/preview.md -->\n\n"
        "CLI words.\n\n"
        "<!-- TODO: code sample not imported: ~/samples/score.py -->\n\n"
        "#### Deeper heading\n\n"
        "[Deploy a model](https://learn.microsoft.com/azure/machine-learning/how-to-deploy)")

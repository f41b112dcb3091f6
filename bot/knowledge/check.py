"""`troubleshoot-bot kb check`: validate every KB entry, shipped and from KNOWLEDGE_PATH.

Checks, each reported per entry with its file:
- the file reads as an entry (front matter, YAML, id, title) and ids are unique inside a folder
  (a KNOWLEDGE_PATH entry with a shipped id overrides it: that is allowed, and said);
- the title and the body exist in both languages, each body with a cause and fix steps;
- the source link is an http(s) URL (not fetched), or `team:...` for an entry the team
  taught the bot (`kb export` names the incident it was learnt from); a link into the
  troubleshooting guide uses the guide's v1 address and names a section (anchor) the guide
  has (links.py);
- every pattern compiles;
- every signature, matched on its own, names its entry first and confidently (by the
  hand-written rule of bot/matching/confidence.py: the signature is specific on its own);
- the confidence model (knowledge/_model/confidence.json) is present, has a known format
  version, the feature names of this code and sane thresholds;
- the precedents beside it (knowledge/_model/precedents.json, bot/matching/precedents.py) are
  present, of a known format version, and name only labels that are entries (or `none`);
- so is the paste-context model (knowledge/_model/context.json, bot/matching/context.py):
  present, of a known format version, one finite weight per word.
Exit status 1 when there is any problem, 0 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from bot.cli_errors import command_language
from bot.i18n import Catalog
from bot.knowledge.importer import ImportFailure
from bot.knowledge.links import find_guide, guide_anchors, guide_link_problem
from bot.knowledge.loader import entry_files, knowledge_folders, load_entries, parse_entry
from bot.knowledge.model import LANGUAGES, Entry, KnowledgeBase
from bot.knowledge.msdocs import GuideFormatError
from bot.matching.confidence import confident_count
from bot.matching.context import ContextFileError, context_path, read_context
from bot.matching.decision import ModelFileError, model_path, read_model
from bot.matching.matcher import Matcher
from bot.matching.precedents import (
    PrecedentFileError,
    precedents_path,
    read_index,
    unknown_labels,
)
from bot.paths import project_folder

# The source of an entry the team taught the bot: `team:incident/42` (bot/teaching).
TEAM_SOURCE = "team:"


# The report's own lines in BOT_LANGUAGE; each problem stays as the check wrote it (file names,
# field names and regexes are what a maintainer edits, in English).
STRINGS = {
    "summary": {"en": "{entries} entries from {folders} folder(s): {problems} problem(s)",
                "ko": "항목 {entries}개, 폴더 {folders}개: 문제 {problems}개"},
    "all_good": {"en": ", all good", "ko": ", 이상 없음"},
    "note": {"en": "note: {note}", "ko": "참고: {note}"},
    "overrides": {"en": "{path}: overrides {entry} from {earlier}",
                  "ko": "{path}: {earlier}의 {entry} 항목을 대신합니다"},
    "no_guide": {"en": "note: the troubleshooting guide (shared/guide/) was not found, so the "
                       "sections that guide links name were not verified; pass --guide",
                 "ko": "참고: 문제 해결 가이드(shared/guide/)를 찾지 못해 가이드 링크가 가리키는 "
                       "절은 확인하지 않았습니다. `--guide`로 가이드를 알려 주세요"},
}

say = Catalog(STRINGS)

@dataclass(frozen=True)
class Problem:
    where: str  # entry id or file
    message: str


def check_entries(entries: list[Entry],
                  anchors: frozenset[str] | None = None) -> list[Problem]:
    """Problems with the entries themselves (schema, languages, links, patterns, self-match).

    `anchors`: the guide's section anchors, to check links into the guide (None: not found).
    """
    problems: list[Problem] = []
    for entry in entries:
        problems += [Problem(entry.id, message) for message in _entry_problems(entry, anchors)]
    # The self-match test is about the signature's own strength (specific words, a clear lead),
    # which the hand-written rule states; the learned model judges whole pastes, and a bare line
    # without any deployment context is rightly less sure there (so are the precedents, which
    # know pastes, not signatures).
    matcher = Matcher(KnowledgeBase(tuple(entries)), model=None, precedents=None)
    for entry_id, pattern, error in (matcher.index.pattern_problems
                                     + matcher.index.compile_problems()):
        problems.append(Problem(entry_id, f"pattern {pattern!r} does not compile: {error}"))
    for entry in entries:
        for signature in entry.signatures:
            message = _self_match_problem(matcher, entry, signature)
            if message:
                problems.append(Problem(entry.id, message))
    return problems


def _entry_problems(entry: Entry, anchors: frozenset[str] | None) -> list[str]:
    messages = []
    if not entry.signatures and not entry.patterns:
        messages.append("has no signatures and no patterns: nothing can match it")
    for lang in LANGUAGES:
        if not (entry.title.get(lang) or "").strip():
            messages.append(f"title has no {lang!r} text")
        body = entry.body.get(lang)
        if body is None:
            messages.append(f"has no '## {lang}' section")
            continue
        if not body.cause.strip():
            messages.append(f"'## {lang}' has no cause")
        if not body.steps:
            messages.append(f"'## {lang}' has no numbered fix steps")
    if not entry.source:
        messages.append("has no source link")
    elif entry.source.startswith(TEAM_SOURCE):
        pass  # learnt from the team (`kb export`): it names the incident, not a web page
    else:
        parsed = urlparse(entry.source)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in entry.source:
            messages.append(f"source {entry.source!r} is not an http(s) URL")
        else:
            link_problem = guide_link_problem(entry.source, anchors)
            if link_problem:
                messages.append(link_problem)
    return messages


def _self_match_problem(matcher: Matcher, entry: Entry, signature: str) -> str | None:
    """What is wrong with `signature` as its entry's evidence: it must rank its entry first
    and, by its words alone, be clear enough for the hand rule (confidence.confident_count).
    The rule's one test of the paste around the words is left out here (a bare kill needs a
    deployment in sight: confident_count without a paste): a signature alone never shows one,
    and a kill's own wording is still a good signature (round 10, decision.may_be_sure)."""
    result = matcher.match(signature, top=3, lang="en")
    if not result.matches:
        return f"signature {signature!r} matches nothing"
    best = result.matches[0]
    if best.entry_id != entry.id:
        return f"signature {signature!r} matches {best.entry_id!r} first (score {best.score:.0f})"
    if not best.confident and not confident_count(matcher.assess(signature).ranked):
        runner_up = (f", runner-up {result.matches[1].entry_id!r} "
                     f"{result.matches[1].score:.0f}") if len(result.matches) > 1 else ""
        return (f"signature {signature!r} matches its entry but not confidently "
                f"(score {best.score:.0f}{runner_up}): make it longer or more specific")
    return None


def duplicate_ids_across_folders(folders: list[Path], lang: str = "en") -> list[str]:
    """Notes (not problems) about team entries that replace an entry of an earlier folder."""
    notes = []
    first_seen: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        ids_here: dict[str, Path] = {}
        for path in entry_files(folder):
            try:
                entry_id = parse_entry(path.read_text(encoding="utf-8"), path).id
            except Exception:  # reported by load_entries already
                continue
            ids_here.setdefault(entry_id, path)
        for entry_id, path in ids_here.items():
            if entry_id in first_seen:
                notes.append(say("overrides", lang, path=path, entry=repr(entry_id),
                                 earlier=first_seen[entry_id]))
            first_seen[entry_id] = path
    return notes


def model_problems(path: Path | None = None) -> list[Problem]:
    """The confidence model beside the KB: present, a known format version, the feature names
    of this code, sane thresholds (decision.model_from_json says which is wrong)."""
    path = path or model_path()
    try:
        read_model(path)
    except ModelFileError as error:
        return [Problem("confidence model", str(error))]
    return []


def precedent_problems(entry_ids: list[str], path: Path | None = None) -> list[Problem]:
    """The precedents beside the KB: present, a known format, and every label they vote for
    an entry the bot has (a precedent of a removed entry would vote for nothing)."""
    path = path or precedents_path()
    try:
        index = read_index(path)
    except PrecedentFileError as error:
        return [Problem("precedents", str(error))]
    return [Problem("precedents", f"{path}: label {label!r} is not an entry of the knowledge "
                                  "base: retrain with `troubleshoot-bot kb train`")
            for label in unknown_labels(index, entry_ids)]


def context_problems(path: Path | None = None) -> list[Problem]:
    """The paste-context model beside the KB: present and readable (context.context_from_json
    says what is wrong). Without it the matcher still works, but not as it was measured."""
    try:
        read_context(path or context_path())
    except ContextFileError as error:
        return [Problem("paste context model", str(error))]
    return []


def load_guide_anchors(given: str | None) -> tuple[frozenset[str] | None, list[Problem], str]:
    """The guide's anchors, problems reading it, and a note when no guide was found."""
    path = Path(given) if given else find_guide(project_folder("knowledge").parent)
    if path is None:
        return None, [], say("no_guide", command_language())
    try:
        return guide_anchors(path), [], ""
    except (ImportFailure, GuideFormatError) as error:
        return None, [Problem(str(path), f"cannot read the guide: {error}")], ""


def run_check(args: argparse.Namespace) -> int:
    folders = knowledge_folders()
    entries, load_problems = load_entries(folders)
    problems = [Problem(str(problem.path), problem.message) for problem in load_problems]
    problems += model_problems()
    problems += precedent_problems([entry.id for entry in entries])
    problems += context_problems()
    anchors, guide_problems, guide_note = load_guide_anchors(getattr(args, "guide", None))
    problems += guide_problems
    if guide_note:
        print(guide_note)
    problems += check_entries(entries, anchors)
    lang = command_language()
    for note in duplicate_ids_across_folders(folders, lang):
        print(say("note", lang, note=note))
    by_entry = {entry.id: entry for entry in entries}
    for problem in problems:
        entry = by_entry.get(problem.where)
        where = f"{problem.where} ({entry.path})" if entry and entry.path else problem.where
        print(f"{where}: {problem.message}")
    summary = say("summary", lang, entries=len(entries), folders=len(folders),
                  problems=len(problems))
    print(summary if problems else summary + say("all_good", lang), file=sys.stderr if problems
          else sys.stdout)
    return 1 if problems else 0

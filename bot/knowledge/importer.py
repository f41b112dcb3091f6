"""`troubleshoot-bot kb import GUIDE.md --out DIR`: a Docs troubleshooting guide -> draft entries.

Read the guide (`msdocs`), decide the entries (`drafts`), write them (`draft_files`), and tell
the person what was made and what was skipped. Problems are reported as one clear line on
standard error with exit status 1, never as a traceback.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli_errors import command_language
from bot.knowledge.cli_problems import KbProblem, complain
from bot.knowledge.cli_reports import counted, say
from bot.knowledge.draft_files import (
    DraftConflict,
    GuideInfo,
    file_name_for,
    is_draft_file,
    render_draft,
    write_files,
)
from bot.knowledge.drafts import ImportPlan, plan_import
from bot.knowledge.msdocs import GuideFormatError, parse_guide

MARKDOWN_SUFFIXES = {".md", ".markdown"}


class ImportFailure(KbProblem):
    """Why the import cannot go on, in words for the person who ran it."""


def run_import(args: argparse.Namespace) -> int:
    guide_path, out_dir = Path(args.guide), Path(args.out)
    try:
        text = read_guide(guide_path)
        guide = parse_guide(text)
        plan = plan_import(guide, file_name=guide_path.name,
                           base_url=getattr(args, "base_url", None))
        if not plan.drafts:
            raise no_sections(guide_path, plan)
        info = GuideInfo(guide_path.name, str(guide.meta.get("title") or ""),
                         str(guide.meta.get("ms.date") or ""))
        files = {file_name_for(draft): render_draft(draft, info) for draft in plan.drafts}
        write_files(files, out_dir, force=bool(getattr(args, "force", False)))
        stale = older_drafts(out_dir, set(files))
    except GuideFormatError as error:  # the YAML parser's own words stay as it wrote them
        return fail(ImportFailure("import_guide_format", path=guide_path, reason=error))
    except ImportFailure as error:
        return fail(error)
    except DraftConflict as conflict:
        names = ", ".join(path.name for path in conflict.args[0])
        return fail(ImportFailure("import_conflict", out=out_dir, names=names))
    except (OSError, ValueError) as error:
        return fail(ImportFailure("import_cannot_write", out=out_dir, reason=error))
    lang = command_language()
    print(report(plan, guide_path, out_dir, lang))
    if stale:
        print(counted("older_drafts", lang, count=len(stale), out=out_dir,
                      names=", ".join(stale)))
    return 0


def older_drafts(out_dir: Path, written: set[str]) -> list[str]:
    """Drafts from an earlier import (or another guide) that this run did not rewrite."""
    return sorted(path.name for path in out_dir.glob("*.md")
                  if path.name not in written and is_draft_file(path))


def read_guide(path: Path) -> str:
    """The guide's text, or an ImportFailure that says what is wrong with the file."""
    if not path.exists():
        raise ImportFailure("import_not_found", path=path)
    if path.is_dir():
        raise ImportFailure("import_folder", path=path)
    if path.suffix.lower() not in MARKDOWN_SUFFIXES:
        raise ImportFailure("import_not_markdown", path=path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailure("import_unreadable", path=path, reason=error) from error
    if b"\x00" in data:
        raise ImportFailure("import_binary", path=path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportFailure("import_not_utf8", path=path, byte=error.start) from error


def no_sections(path: Path, plan: ImportPlan) -> ImportFailure:
    if not plan.skipped:
        return ImportFailure("import_no_sections", path=path)
    skipped = ", ".join(item.where() or item.title for item in plan.skipped)
    return ImportFailure("import_no_sections_skipped", path=path, sections=skipped)


def report(plan: ImportPlan, guide_path: Path, out_dir: Path, lang: str) -> str:
    """What was made, what was skipped and why, in `lang`; titles stay in the guide's."""
    width = max(len(draft.id) for draft in plan.drafts)
    lines = [counted("imported", lang, count=len(plan.drafts), guide=guide_path.name,
                     out=out_dir)]
    for draft in plan.drafts:
        signatures = counted("signature_count", lang, count=len(draft.signatures))
        lines.append(f"  {draft.id:<{width}}  {draft.title.get(plan.lang, '')}  ({signatures})")
    if plan.skipped:
        lines.append(counted("skipped", lang, count=len(plan.skipped)))
        where = [item.where(lang) for item in plan.skipped]
        width = max(map(len, where))
        lines += [f"  {place:<{width}}  {item.reason.said_in(lang)}"
                  for place, item in zip(where, plan.skipped, strict=True)]
    lines += [say("note", lang, note=note.said_in(lang)) for note in plan.notes]
    lines.append(say("next", lang))
    return "\n".join(lines)


def fail(problem: ImportFailure) -> int:
    return complain("kb import", problem, code=1)

"""Links into the troubleshooting guide: every entry's link must open the section it names.

The guide the shipped entries come from (`../shared/guide/how-to-troubleshoot-deployment.ko.md`)
is the SDK v1 article. Microsoft Learn now serves it under its v1 address, with the v1 view
selected; the old address (without `/v1/`) is not where these sections are served. A link into
the guide is therefore right when it

- uses the v1 address with `?view=azureml-api-1`, and
- ends in `#anchor`, where the anchor is one of the guide's headings, computed the way the
  importer (and Learn) computes them: the explicit `<a name>` when the heading has one, else
  the slug of the heading text (`bot/knowledge/msdocs.py`).

Links to other pages (a team's runbook) are not checked here: only that they are http(s).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

from bot.knowledge.importer import read_guide
from bot.knowledge.msdocs import guide_front_matter, split_sections

GUIDE_FILE_NAME = "how-to-troubleshoot-deployment.ko.md"
GUIDE_PAGE = "https://learn.microsoft.com/azure/machine-learning/v1/how-to-troubleshoot-deployment"
GUIDE_VIEW = "azureml-api-1"
_GUIDE_SLUG = "/how-to-troubleshoot-deployment"
_LEARN_HOSTS = ("learn.microsoft.com", "docs.microsoft.com")
_DEEPEST_HEADING = 6  # every heading has an anchor, not only the sections the importer cuts at


def guide_link(anchor: str) -> str:
    """The address of one section of the guide."""
    return f"{GUIDE_PAGE}?view={GUIDE_VIEW}#{anchor}"


def find_guide(start: Path) -> Path | None:
    """`shared/guide/<GUIDE_FILE_NAME>` beside `start` or beside one of its parents.

    The guide lives outside the repository (`../shared/guide` of the main checkout); a git
    worktree sits deeper, so every ancestor is tried.
    """
    for folder in (start, *start.parents):
        candidate = folder / "shared" / "guide" / GUIDE_FILE_NAME
        if candidate.is_file():
            return candidate
    return None


def guide_anchors(path: Path) -> frozenset[str]:
    """Every heading anchor of a Docs guide (tab headings and code are not headings).

    Raises the importer's ImportFailure / GuideFormatError when the file is not a guide.
    """
    _, body = guide_front_matter(read_guide(path))
    return frozenset(section.anchor
                     for section in split_sections(body, max_level=_DEEPEST_HEADING)
                     if section.anchor)


def is_guide_link(source: str) -> bool:
    """True for a Learn address of the troubleshooting guide, in any version or locale."""
    parsed = urlparse(source)
    return parsed.netloc.lower() in _LEARN_HOSTS and parsed.path.rstrip("/").endswith(_GUIDE_SLUG)


def guide_link_problem(source: str, anchors: frozenset[str] | None) -> str | None:
    """What is wrong with a link into the guide, or None (also for links elsewhere).

    `anchors` None: the guide was not found, so only the address's form is checked.
    """
    if not is_guide_link(source):
        return None
    parsed = urlparse(source)
    anchor = parsed.fragment
    page = f"https://learn.microsoft.com{parsed.path.rstrip('/')}"
    if page != GUIDE_PAGE or parse_qs(parsed.query).get("view") != [GUIDE_VIEW]:
        suggestion = guide_link(anchor or "<section>")
        return (f"source {source!r} is not the guide's v1 address (the sections are served there); "
                f"use {suggestion!r}")
    if not anchor:
        return f"source {source!r} names no section of the guide: add '#<anchor>'"
    if anchors is not None and anchor not in anchors:
        return (f"source {source!r}: the guide has no heading with anchor {anchor!r}, so the "
                f"link opens the top of the page")
    return None

"""What a knowledge-base entry is, independent of where it was loaded from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

LANGUAGES = ("ko", "en")

# What an entry describes. A paste often shows a cause and its symptom together (OOMKilled and
# CrashLoopBackOff; a missing model and the crash it causes): the cause is the better answer.
KIND_CAUSE = "cause"  # a root cause with its own fix (the default)
KIND_SYMPTOM = "symptom"  # what many causes look like from outside (a crash loop, a 502)
KIND_PROCEDURE = "procedure"  # how to investigate (get logs, debug locally)
KINDS = (KIND_CAUSE, KIND_SYMPTOM, KIND_PROCEDURE)

# Where in a deployment's life a problem shows, in order: the image is built, the pod is
# scheduled, the container starts (init()), requests are served (run()). A paste that shows a
# later stage proves the earlier ones passed: a crash loop means the image was built and the pod
# scheduled, so a build or scheduling line in the same paste is history, not the cause.
STAGES = ("build", "schedule", "start", "serve")


@dataclass(frozen=True)
class LocalizedBody:
    """One language's text of an entry, split the way the answer shows it."""

    cause: str  # markdown paragraph(s); the first sentence is the one-line cause
    steps: tuple[str, ...]  # numbered fix steps, each markdown (may hold a fenced code block)
    extra: str = ""  # anything after the fix steps (notes, links)
    fix_intro: str = ""  # text of the fix section before its first numbered step

    @property
    def summary(self) -> str:
        """The first sentence of the cause: what the answer's one-liner shows."""
        text = " ".join(self.cause.split())
        for stop in (". ", "다. ", "요. ", "。"):
            index = text.find(stop)
            if index != -1:
                return text[: index + len(stop)].strip()
        return text


@dataclass(frozen=True)
class Entry:
    id: str
    title: dict[str, str]  # language -> title
    signatures: tuple[str, ...]  # literal error text as people paste it
    patterns: tuple[str, ...] = ()  # regular expressions for what a literal cannot say
    tags: tuple[str, ...] = ()
    source: str = ""  # link to the guide section
    kind: str = KIND_CAUSE  # cause / symptom / procedure (see KINDS)
    stage: str = ""  # one of STAGES, or "" when the problem can show at any stage
    # language -> body; the loader's parses its Markdown when first read (loader.ParsedOnUse)
    body: Mapping[str, LocalizedBody] = field(default_factory=dict)
    path: Path | None = None  # file it was loaded from (None when built in code)
    # An unfinished draft from `kb import` (`draft: true`, or its TODO note still in the body):
    # loaded so the importer can check it, never served as an answer.
    draft: bool = False

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("en") or self.id

    def body_in(self, lang: str) -> LocalizedBody | None:
        return self.body.get(lang) or self.body.get("en")


@dataclass(frozen=True)
class LoadProblem:
    """A knowledge file or folder that was not loaded, and why."""

    path: Path
    message: str

    def __str__(self) -> str:
        # One line (YAML's own messages span several): reports print one line per problem.
        return f"{self.path}: {' '.join(self.message.split())}"


@dataclass(frozen=True)
class KnowledgeBase:
    entries: tuple[Entry, ...]
    # What was skipped while loading: `serve` refuses to start with any, `match`/`ask` warn.
    problems: tuple[LoadProblem, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {entry.id: entry for entry in self.entries})

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.entries)

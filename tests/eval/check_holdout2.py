"""Check that holdout2.jsonl is independent of everything the matcher or the KB was built from.

holdout2 measures generalisation, so none of its reports may be one that the dev/holdout set or
the knowledge base already used.  This script fails (exit 1) when a holdout2 `source` URL also
appears in:

* the `source` field of tests/eval/real.jsonl, variants_manual.jsonl, dev.jsonl, holdout.jsonl;
* any URL written in knowledge/*.md (this covers the `# sources:` blocks of the front matter).

URLs are compared after normalising the scheme, host case, trailing slashes/punctuation and
fragments, and a GitHub pull request is treated as the same thread as the issue with that number.
It also checks the file's shape: documented fields, unique ids, `kind` "real", a URL source.

Usage: python tests/eval/check_holdout2.py   (prints a summary, exit 0 when clean)
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

EVAL = Path(__file__).resolve().parent
REPO = EVAL.parent.parent
HOLDOUT2 = EVAL / "holdout2.jsonl"
USED_SETS = ("real.jsonl", "variants_manual.jsonl", "dev.jsonl", "holdout.jsonl")
FIELDS = {"id", "text", "expected", "source", "kind", "note"}
URL = re.compile(r"https?://[^\s)\"'<>`\]]+")


def normalise(url: str) -> str:
    """One spelling per thread: https, lower-case host, no fragment/query, issues == pull."""
    url = url.strip().rstrip(".,;:\\")
    url = re.sub(r"^http://", "https://", url)
    url = url.split("#", 1)[0].split("?", 1)[0].rstrip("/")
    scheme, _, rest = url.partition("://")
    host, _, path = rest.partition("/")
    path = re.sub(r"^([^/]+/[^/]+)/pull/(\d+)", r"\1/issues/\2", path)
    host = host.lower()
    if host == "github.com":  # GitHub owner/repo names are case-insensitive
        path = path.lower()
    return f"{scheme}://{host}/{path}"


def load_jsonl(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def used_sources() -> dict[str, str]:
    """Normalised URL -> where it was found."""
    used: dict[str, str] = {}
    for name in USED_SETS:
        path = EVAL / name
        if path.exists():
            for item in load_jsonl(path):
                used.setdefault(normalise(item.get("source", "")), f"tests/eval/{name}")
    for md in sorted((REPO / "knowledge").glob("*.md")):
        for url in URL.findall(md.read_text(encoding="utf-8")):
            used.setdefault(normalise(url), f"knowledge/{md.name}")
    return used


def shape_problems(items: list[dict]) -> list[str]:
    problems = []
    for item in items:
        ident = item.get("id", "?")
        if set(item) != FIELDS:
            problems.append(f"{ident}: fields {sorted(item)} != {sorted(FIELDS)}")
        if item.get("kind") != "real":
            problems.append(f"{ident}: kind must be 'real' (holdout2 has no variants)")
        if not str(item.get("source", "")).startswith(("http://", "https://")):
            problems.append(f"{ident}: source is not a URL")
        if not str(item.get("text", "")).strip():
            problems.append(f"{ident}: empty text")
    duplicates = [i for i, n in Counter(item.get("id") for item in items).items() if n > 1]
    problems += [f"duplicate id {i}" for i in duplicates]
    return problems


def main() -> int:
    items = load_jsonl(HOLDOUT2)
    problems = shape_problems(items)
    used = used_sources()
    for item in items:
        where = used.get(normalise(item["source"]))
        if where:
            problems.append(f"{item['id']}: source {item['source']} already used in {where}")
    labels = Counter(item["expected"] for item in items)
    print(f"holdout2: {len(items)} items, {labels['none']} none; {len(used)} used URLs checked")
    for label, count in sorted(labels.items()):
        print(f"  {label}: {count}")
    for problem in problems:
        print(f"PROBLEM {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

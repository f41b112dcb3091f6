"""`troubleshoot-bot deployments list` as someone setting the watch up reads it: an empty list
says so (it printed nothing, which reads as a hang or a failure), a filled one lists the
channels, and `--json` stays a list for scripts."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import Result, run_cli


def cli(url: str, cwd: Path, *args: str) -> Result:
    return run_cli(args, env={"DATABASE_URL": url, "BOT_LANGUAGE": "en"}, cwd=cwd)


def test_list_says_when_no_channel_watches_and_lists_those_that_do(
        migrated_database_url: str, tmp_path: Path) -> None:
    empty = cli(migrated_database_url, tmp_path, "deployments", "list")
    assert empty.returncode == 0
    assert empty.stdout.strip() == "no channel watches deployments"
    assert json.loads(cli(migrated_database_url, tmp_path, "deployments", "list",
                          "--json").stdout) == []
    cli(migrated_database_url, tmp_path, "deployments", "watch", "--channel", "C0WATCH",
        "--match", "credit-*")
    assert cli(migrated_database_url, tmp_path, "deployments", "list").stdout == (
        "C0WATCH\tcredit-*\n")

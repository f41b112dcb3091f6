"""The real `troubleshoot-bot` command (in-process, `tests/support/cli.py`), on SQLite and on
PostgreSQL (given as the `postgres://` URL hosting platforms hand out): db upgrade/current, ask,
incidents."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.support.cli import Result, run_cli

# An error the learned decision answers confidently (a bare scheduling line is only likely:
# docs/eval.md, "What limits it").
CRASH_PASTE = "Warning  BackOff  pod/scoring-{pod}  Back-off restarting failed container"


def platform_form(url: str) -> str:
    """The URL as Heroku-style platforms give it: postgres://, no driver name."""
    return url.replace("postgresql+psycopg://", "postgres://", 1)


def cli(url: str, cwd: Path, *args: str, stdin: str | bytes | None = None) -> Result:
    env = {"DATABASE_URL": platform_form(url), "USER": "dana", "BOT_LANGUAGE": "en"}
    return run_cli(args, env=env, stdin=stdin, cwd=cwd)


def test_ask_records_groups_and_resolves_end_to_end(database_url: str, tmp_path: Path) -> None:
    not_ready = cli(database_url, tmp_path, "ask", CRASH_PASTE.format(pod="7f9c6d5b8-x2k4q"))
    assert not_ready.returncode == 1
    assert "database not initialised: run `troubleshoot-bot db upgrade`" in not_ready.stderr
    assert "Traceback" not in not_ready.stderr

    assert "not initialised" in cli(database_url, tmp_path, "db", "current").stdout
    first_upgrade = cli(database_url, tmp_path, "db", "upgrade")
    assert first_upgrade.returncode == 0, first_upgrade.stderr
    assert "upgraded" in first_upgrade.stdout
    again = cli(database_url, tmp_path, "db", "upgrade")  # the release step runs on every deploy
    assert again.returncode == 0 and "already at" in again.stdout
    assert cli(database_url, tmp_path, "db", "current").stdout.strip().endswith("(head)")

    first = cli(database_url, tmp_path, "ask", CRASH_PASTE.format(pod="7f9c6d5b8-x2k4q"))
    assert first.returncode == 0, first.stderr
    assert "[service-launch-fails]" in first.stdout
    assert "Incident #1 recorded · first time seen" in first.stdout
    # The same error from another pod, on standard input: the same incident, seen twice.
    second = cli(database_url, tmp_path, "ask", "-",
                 stdin=CRASH_PASTE.format(pod="5d4c9b7f2-q8w2n"))
    assert second.returncode == 0, second.stderr
    assert "Incident #1 · seen 2 times" in second.stdout

    listed = cli(database_url, tmp_path, "incidents", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    incidents = json.loads(listed.stdout)
    assert len(incidents) == 1
    incident = incidents[0]
    assert {"id", "fingerprint", "entry_id", "status", "occurrences", "first_seen", "last_seen",
            "channel", "service"} <= set(incident)
    assert incident["id"] == 1 and incident["occurrences"] == 2 and incident["status"] == "open"
    assert incident["entry_id"] == "service-launch-fails"
    assert incident["channel"] is None and incident["service"] is None
    assert incident["first_seen"].endswith("+00:00") and "T" in incident["last_seen"]

    resolved = cli(database_url, tmp_path, "incidents", "resolve", "1", "--note",
                   "added a GPU node pool")
    assert resolved.returncode == 0, resolved.stderr
    assert "Incident #1 resolved by @dana" in resolved.stdout
    twice = cli(database_url, tmp_path, "incidents", "resolve", "1", "--note", "again")
    assert twice.returncode == 1
    assert "incident #1 is already resolved by @dana" in twice.stderr

    shown = json.loads(cli(database_url, tmp_path, "incidents", "show", "1", "--json").stdout)
    assert shown["status"] == "resolved" and shown["resolution_note"] == "added a GPU node pool"
    assert [item["user"] for item in shown["timeline"]] == ["dana", "dana"]
    assert shown["timeline"][0]["source"] == "cli"

    # After the fix the error comes back: a new incident that shows how it was fixed last time.
    # (PostgreSQL spends a sequence value on every upsert, so the new id need not be 2.)
    recurrence = cli(database_url, tmp_path, "ask", CRASH_PASTE.format(pod="9c8b7a6d5-zk2vb"))
    found = re.search(r"Incident #(\d+) recorded · recurrence of #1", recurrence.stdout)
    assert found, recurrence.stdout
    assert "Last fixed by @dana: added a GPU node pool (#1, seen 2×)" in recurrence.stdout

    open_only = json.loads(cli(database_url, tmp_path, "incidents", "list", "--json").stdout)
    assert [item["id"] for item in open_only] == [int(found.group(1))]
    table = cli(database_url, tmp_path, "incidents", "list", "--status", "all")
    assert table.stdout.splitlines()[0].split()[:3] == ["ID", "STATUS", "SEEN"]
    assert len(table.stdout.splitlines()) == 3

    purge = cli(database_url, tmp_path, "incidents", "purge")
    assert purge.returncode == 0 and "purged the texts of 0 occurrence(s) older than 90 days" \
        in purge.stdout


@pytest.mark.parametrize("stdin", ["", "   \n\t\n", b"\x00\x01\x02\x03\xff\xfe" * 50])
def test_ask_rejects_empty_and_binary_input_clearly(migrated_database_url: str, tmp_path: Path,
                                                    stdin: str | bytes) -> None:
    completed = cli(migrated_database_url, tmp_path, "ask", "-", stdin=stdin)
    assert completed.returncode == 2
    assert completed.stderr.startswith("error: ")
    assert "Traceback" not in completed.stderr
    assert json.loads(cli(migrated_database_url, tmp_path, "incidents", "list", "--json",
                          "--status", "all").stdout) == []


def test_show_of_a_missing_incident_is_a_clear_error(migrated_database_url: str,
                                                     tmp_path: Path) -> None:
    completed = cli(migrated_database_url, tmp_path, "incidents", "show", "42")
    assert completed.returncode == 1
    assert completed.stderr.strip() == "error: incident #42 does not exist"


def test_unreachable_database_is_one_clear_line(tmp_path: Path) -> None:
    completed = cli("postgresql+psycopg://postgres@127.0.0.1:1/nowhere", tmp_path,
                    "incidents", "list")
    assert completed.returncode == 1
    assert completed.stderr.startswith("error: cannot use the database at postgresql")
    assert "Traceback" not in completed.stderr


def test_ask_with_the_database_down_still_answers_and_says_it_was_not_recorded(
        tmp_path: Path) -> None:
    # A laptop whose .env names the team's PostgreSQL, off the VPN: the paste is answered from
    # the shipped knowledge base (as in Slack during an outage), and the history's absence is
    # said. It used to print only "cannot use the database" and no answer at all.
    completed = cli("postgresql+psycopg://postgres@127.0.0.1:1/nowhere", tmp_path,
                    "ask", CRASH_PASTE.format(pod="a1"))
    assert completed.returncode == 1
    assert "[service-launch-fails]" in completed.stdout
    assert completed.stderr.startswith("error: the answer above was not recorded: ")
    assert "Traceback" not in completed.stderr


def test_db_downgrade_to_base_and_current(migrated_database_url: str, tmp_path: Path) -> None:
    asked = cli(migrated_database_url, tmp_path, "ask", CRASH_PASTE.format(pod="a1"))
    assert asked.returncode == 0, asked.stderr
    # Without --yes (and no terminal to ask on), nothing is dropped.
    refused = cli(migrated_database_url, tmp_path, "db", "downgrade", "base")
    assert refused.returncode == 2
    assert refused.stderr.startswith("error: db downgrade base on ")
    assert "every incident" in refused.stderr and "--yes" in refused.stderr
    assert "(head)" in cli(migrated_database_url, tmp_path, "db", "current").stdout
    assert len(json.loads(cli(migrated_database_url, tmp_path, "incidents", "list",
                              "--json").stdout)) == 1
    down = cli(migrated_database_url, tmp_path, "db", "downgrade", "base", "--yes")
    assert down.returncode == 0, down.stderr
    assert down.stdout.strip().endswith("now at <base>")
    assert "not initialised" in cli(migrated_database_url, tmp_path, "db", "current").stdout
    unknown = cli(migrated_database_url, tmp_path, "db", "downgrade", "nonsense", "--yes")
    assert unknown.returncode == 1 and unknown.stderr.startswith("error: ")
    assert "Traceback" not in unknown.stderr


def test_ask_says_when_the_middle_of_a_long_paste_was_not_read(migrated_database_url: str,
                                                              tmp_path: Path) -> None:
    noise = "INFO request handled in 12ms\n" * 10_000  # 290,000 characters
    paste = noise + CRASH_PASTE.format(pod="a1") + "\n"
    asked = cli(migrated_database_url, tmp_path, "ask", "-", stdin=paste)
    assert asked.returncode == 0, asked.stderr
    assert "service-launch-fails" in asked.stdout
    assert (f"Note: this paste is {len(paste):,} characters long; only its first 20,000 and "
            f"last 180,000 characters were read, the {len(paste) - 200_000:,} in between were "
            "not.") in asked.stdout
    short = cli(migrated_database_url, tmp_path, "ask", CRASH_PASTE.format(pod="b2"))
    assert "Note:" not in short.stdout

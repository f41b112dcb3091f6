"""What the "Diagnose this error" shortcut reads of a message (bot.slack.message_text)."""

from __future__ import annotations

from bot.slack.message_text import shown_parts


def test_a_persons_message_is_its_text_once_though_its_blocks_repeat_it() -> None:
    text = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu"
    message = {"text": text, "blocks": [{"type": "rich_text", "elements": [
        {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}]}]}
    assert shown_parts(message) == [text]


def test_an_alert_is_read_from_its_attachments_fields_and_blocks() -> None:
    message = {"text": "", "attachments": [{
        "fallback": "Alert fired", "title": "Alert fired: scoring-prod",
        "fields": [{"title": "Message", "value": "Back-off restarting failed container"}],
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "pod scoring-7f9"}}]}],
        "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "P1 incident"}},
                   {"type": "context", "elements": [{"type": "mrkdwn", "text": "AKS prod"}]}]}
    assert shown_parts(message) == ["Alert fired: scoring-prod",
                                    "Message: Back-off restarting failed container",
                                    "pod scoring-7f9", "P1 incident", "AKS prod"]


def test_only_a_fallback_is_read_when_an_attachment_has_nothing_else() -> None:
    assert shown_parts({"attachments": [{"fallback": "OOMKilled in scoring"}]}) == [
        "OOMKilled in scoring"]
    assert shown_parts({"text": "", "attachments": ["not a dict"], "blocks": [None]}) == []

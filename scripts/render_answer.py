"""Render the bot's Slack answer for a paste as a picture, to look at what people will see.

    .venv/bin/python scripts/render_answer.py --lang ko --out answer.png "0/3 nodes are ..."

The Block Kit the Slack renderer builds is turned into plain HTML (a close, not exact, copy of
Slack's look: headers, sections with mrkdwn, context lines, buttons) and shot with headless
Chromium (`apt-get install chromium fonts-noto-cjk`). Without Chromium it writes the HTML only.
No Slack is needed: the answer is built by the real answer service on a throw-away SQLite
database, as for a first paste, or with `--fixed-before NOTE` as a recurrence of a problem fixed
before (its last fix shown). It shows the compact card a channel sees (`--view card`, the
default), the card with its first thread reply (`--view thread`), or the full answer a mention
gets (`--view full`); `--resolved NOTE` shows the card once resolved with that note.

`--snapshot FILE` draws a stored card snapshot instead (tests/snapshots/card-*.json, see
tests/test_card_snapshots.py), with no paste:

    .venv/bin/python scripts/render_answer.py --snapshot tests/snapshots/card-likely-open-ko.json

A snapshot may also be a modal view (`{"type": "modal", ...}`, what `views.open` gets): it is
drawn as Slack draws a dialog, title bar, fields and the Close/Submit buttons.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
body {{ font: 15px/1.47 "Noto Sans CJK KR", "Noto Sans", Lato, sans-serif; color: #1d1c1d;
       margin: 0; padding: 16px 20px; width: 640px; background: #fff; }}
.who {{ font-weight: 900; }} .app {{ background: #ddd; font-size: 10px; padding: 0 3px;
       border-radius: 2px; margin-left: 4px; vertical-align: 2px; }}
h3 {{ font-size: 17px; margin: 6px 0; }} .section {{ margin: 6px 0; white-space: pre-wrap; }}
.context {{ color: #616061; font-size: 12px; margin: 6px 0; white-space: pre-wrap; }}
code {{ font: 12px Monaco, monospace; color: #e01e5a; background: #f6f6f6;
       border: 1px solid #ddd; border-radius: 3px; padding: 0 2px; }}
pre {{ font: 12px Monaco, monospace; background: #f6f6f6; border: 1px solid #ddd;
      border-radius: 4px; padding: 6px; white-space: pre-wrap; margin: 4px 0; }}
.actions button {{ font: bold 13px sans-serif; background: #fff; border: 1px solid #bbb;
      border-radius: 4px; padding: 4px 12px; margin: 4px 6px 4px 0; }}
.actions button.primary {{ background: #007a5a; color: #fff; border-color: #007a5a; }}
.actions button.danger {{ color: #e01e5a; }} a {{ color: #1264a3; text-decoration: none; }}
.gap {{ display: inline-block; width: 12px; }}
.feedback button {{ font: 14px sans-serif; background: #fff; border: 1px solid #ddd;
      border-radius: 12px; padding: 1px 8px; margin: 2px 4px 2px 0; color: #616061; }}
.modal {{ border: 1px solid #ccc; border-radius: 8px; box-shadow: 0 4px 12px #0002; }}
.modal .title {{ font-weight: 900; font-size: 20px; padding: 14px 20px;
      border-bottom: 1px solid #ddd; }}
.modal .body {{ padding: 8px 20px 16px; }} .modal .footer {{ text-align: right; padding: 12px 20px;
      border-top: 1px solid #ddd; }}
.input label {{ display: block; font-weight: 700; margin: 12px 0 6px; }}
.input .optional {{ color: #616061; font-weight: 400; }}
.input .field {{ border: 1px solid #bbb; border-radius: 4px; padding: 8px; color: #1d1c1d; }}
.input .field.placeholder {{ color: #8d8d8d; }}
</style></head><body>{body}</body></html>"""
SENDER = '<div><span class="who">troubleshoot</span><span class="app">APP</span></div>'



def mrkdwn_to_html(text: str) -> str:
    """Enough of Slack's mrkdwn for a faithful look: code, bold, italics, links, emoji names."""
    parts = re.split(r"(```.*?```)", text, flags=re.S)
    out = []
    for part in parts:
        if part.startswith("```") and part.endswith("```"):
            out.append(f"<pre>{html.escape(html.unescape(part[3:-3]), quote=False)}</pre>")
            continue
        # Slack text is already &amp;/&lt;/&gt;-escaped; links are <url|label>.
        part = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r'<a href="\1">\2</a>', part)
        part = re.sub(r"<(https?://[^|>]+)>", r'<a href="\1">\1</a>', part)
        part = re.sub(r"<@(\w+)>", r'<a href="#">@\1</a>', part)
        # Slack draws a date token in the reader's time zone and a channel by its name; here
        # the token's own fallback text, and the channel id.
        part = re.sub(r"<!date\^[^|>]*\|([^>]*)>", r"\1", part)
        part = re.sub(r"<#(\w+)(?:\|([^>]*))?>",
                      lambda m: f'<a href="#">#{m.group(2) or m.group(1)}</a>', part)
        part = re.sub(r"`([^`\n]+)`", r"<code>\1</code>", part)
        part = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"<b>\1</b>", part)
        part = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"<i>\1</i>", part)
        part = re.sub(r":([a-z0-9_+-]+):", lambda m: EMOJI.get(m.group(1), m.group(0)), part)
        out.append(part)
    return "".join(out)


EMOJI = {"bulb": "💡", "thinking_face": "🤔", "white_check_mark": "✅", "warning": "⚠️",
         "books": "📚", "book": "📖", "mag": "🔍", "repeat": "🔁", "memo": "📝",
         "wrench": "🔧", "red_circle": "🔴", "arrows_counterclockwise": "🔄", "+1": "👍",
         "-1": "👎", "x": "❌", "eyes": "👀", "hourglass_flowing_sand": "⏳"}


def block_to_html(block: dict[str, Any]) -> str:
    kind = block.get("type")
    if kind == "header":
        return f"<h3>{html.escape(block['text']['text'])}</h3>"
    if kind == "section":
        fields = [block["text"]] if block.get("text") else []
        fields += block.get("fields", [])
        accessory = block.get("accessory") or {}
        label = (accessory.get("text") or accessory.get("placeholder") or {}).get("text", "")
        if accessory.get("type") == "static_select":  # a dropdown: its placeholder and ▾
            label += " ▾"
        button = (f' <span class="actions"><button>{html.escape(label)}</button></span>'
                  if label else "")
        return "".join(f'<div class="section">{_text(field)}{button}</div>' for field in fields)
    if kind == "context":
        # Slack leaves a gap between a context block's elements.
        return '<div class="context">' + '<span class="gap"></span>'.join(
            _text(element) for element in block.get("elements", []) if "text" in element) \
            + "</div>"
    if kind == "actions":
        buttons = []
        for element in block.get("elements", []):
            if element.get("type") == "button":
                style = element.get("style", "")
                buttons.append(f'<button class="{style}">'
                               f'{html.escape(element["text"]["text"])}</button>')
        return '<div class="actions">' + "".join(buttons) + "</div>"
    if kind == "context_actions":  # Slack's feedback buttons: small, beside each other
        buttons = [f'<button title="{html.escape(element[side].get("accessibility_label", ""))}">'
                   f'{html.escape(element[side]["text"]["text"])}</button>'
                   for element in block.get("elements", []) if element.get("type") ==
                   "feedback_buttons" for side in ("positive_button", "negative_button")]
        return '<div class="feedback">' + "".join(buttons) + "</div>"
    if kind == "input":
        return _input_to_html(block)
    if kind == "divider":
        return "<hr>"
    if kind == "thread":  # not Block Kit: where the card's thread reply starts
        return THREAD_RULE.format(label="↳ 스레드 / thread")
    return ""


def _input_to_html(block: dict[str, Any]) -> str:
    """A form field: its label, and the element as it first shows (value or placeholder)."""
    element = block.get("element", {})
    optional = ' <span class="optional">(optional)</span>' if block.get("optional") else ""
    shown = element.get("initial_value")
    css = "field"
    if shown is None:
        shown, css = (element.get("placeholder") or {}).get("text", ""), "field placeholder"
    if element.get("type") in ("static_select", "external_select"):
        shown += f"  ▾   ({len(element.get('options', []))} options)" \
            if element.get("options") else "  ▾"
    return (f'<div class="input"><label>{html.escape(block["label"]["text"])}{optional}</label>'
            f'<div class="{css}">{html.escape(shown)}</div></div>')


def modal_to_html(view: dict[str, Any]) -> str:
    """A view as Slack draws the dialog: title, blocks, Close and (if any) Submit."""
    buttons = f'<button>{html.escape(view["close"]["text"])}</button>' if view.get("close") else ""
    if view.get("submit"):
        buttons += f'<button class="primary">{html.escape(view["submit"]["text"])}</button>'
    body = "".join(block_to_html(block) for block in view.get("blocks", []))
    return (f'<div class="modal"><div class="title">{html.escape(view["title"]["text"])}</div>'
            f'<div class="body">{body}</div>'
            f'<div class="footer actions">{buttons}</div></div>')


def _text(field: dict[str, Any]) -> str:
    if field.get("type") == "plain_text":
        return html.escape(field["text"])
    return mrkdwn_to_html(field["text"])


THREAD_RULE = ('<div class="context" style="border-top:1px solid #ddd;margin-top:12px;'
               'padding-top:8px">{label}</div>')


def render(paste: str, lang: str, fixed_before: str | None = None, *, view: str = "card",
           resolved: str | None = None) -> list[dict[str, Any]]:
    """The Slack answer, built by the real answer service on a throw-away SQLite database.

    `fixed_before`: the paste was seen and fixed before with this note, so the answer is a
    recurrence that shows its last fix. For `view` "thread" the card's blocks are followed by
    a `{"type": "thread"}` marker and the reply's blocks."""
    from bot.answers import AnswerContext, answer
    from bot.incidents import service
    from bot.incidents.audience import Audience
    from bot.matching.matcher import default_matcher
    from bot.slack.cards import with_resolution
    from bot.slack.render import render_answer, render_card
    from bot.storage import session_scope
    from bot.storage.migrations import upgrade

    matcher = default_matcher()
    channel = "C0INCIDENTS"
    context = AnswerContext(workspace="T1", source="slash", language=lang, user="U0ALICE",
                            channel=channel, audience=Audience(channel, lambda others: set()))
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/render.db"
        upgrade(url)
        if fixed_before:
            first = answer(paste, context, database_url=url, matcher=matcher)
            assert first.incident is not None
            with session_scope(url) as session:
                service.resolve_incident(session, first.incident.id, user="U0MINA",
                                         note=fixed_before, channel=channel)
        answered = answer(paste, context, database_url=url, matcher=matcher)
    if view == "full":
        return render_answer(answered, matcher.kb, user="U0ALICE").blocks
    blocks = render_card(answered, matcher.kb, user="U0ALICE").blocks
    if resolved is not None:
        blocks = with_resolution(blocks, user="U0MINA", note=resolved, lang=lang)
    if view == "thread":
        blocks += [{"type": "thread"},
                   *render_answer(answered, matcher.kb, on_card=True).blocks]
    return blocks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paste", nargs="?", default=None)
    parser.add_argument("--snapshot", type=Path, default=None,
                        help="draw this stored card snapshot (tests/snapshots/card-*.json)")
    parser.add_argument("--lang", choices=("ko", "en"), default="ko")
    parser.add_argument("--out", type=Path, default=Path("answer.png"))
    parser.add_argument("--fixed-before", metavar="NOTE", default=None,
                        help="the paste was fixed before with this note: show a recurrence")
    parser.add_argument("--view", choices=("card", "thread", "full"), default="card",
                        help="the channel's card, the card and its thread reply, or the full "
                             "answer a mention gets")
    parser.add_argument("--resolved", metavar="NOTE", default=None,
                        help="show the card once resolved with this note")
    args = parser.parse_args()
    if args.snapshot is not None:
        stored = json.loads(args.snapshot.read_text(encoding="utf-8"))
        body = (modal_to_html(stored) if stored.get("type") == "modal"  # a dialog: no sender
                else SENDER + "".join(block_to_html(block) for block in stored["blocks"]))
    elif args.paste is None:
        parser.error("give a paste, or --snapshot FILE")
    else:
        blocks = render(args.paste, args.lang, args.fixed_before, view=args.view,
                        resolved=args.resolved)
        body = SENDER + "".join(block_to_html(block) for block in blocks)
    page = PAGE.format(body=body)
    html_path = args.out.with_suffix(".html")
    html_path.write_text(page, encoding="utf-8")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print(f"wrote {html_path} (no chromium for a picture)", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                        f"--user-data-dir={profile}", "--hide-scrollbars",
                        "--window-size=700,3000", f"--screenshot={args.out.resolve()}",
                        html_path.resolve().as_uri()],
                       check=True, capture_output=True, timeout=60)
    _trim_white_bottom(args.out)
    print(f"wrote {args.out}")
    return 0


def _trim_white_bottom(path: Path) -> None:
    """Chromium shoots the whole window; cut the empty space below the message."""
    from PIL import Image, ImageChops  # Pillow comes with matplotlib

    image = Image.open(path).convert("RGB")
    box = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
    if box:
        image.crop((0, 0, image.width, min(image.height, box[3] + 16))).save(path)


if __name__ == "__main__":
    sys.exit(main())

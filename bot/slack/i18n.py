"""Every sentence the Slack app says, in Korean and English. Rendering looks strings up here."""

from __future__ import annotations

from bot.i18n import LANGUAGES, Catalog, normalize_language

__all__ = ["LANGUAGES", "STRINGS", "normalize_language", "t"]


STRINGS: dict[str, dict[str, str]] = {
    "cause": {"en": "*Cause*", "ko": "*원인*"},
    "fix": {"en": "*Fix*", "ko": "*조치 방법*"},
    "guide": {"en": "Guide", "ko": "가이드"},
    "guide_line": {"en": ":book: <{url}|{label}>", "ko": ":book: <{url}|{label}>"},
    "matched": {"en": "matched: `{evidence}`", "ko": "일치한 부분: `{evidence}`"},
    # An answer found from a description alone ("모델 배포가 계속 실패해요"): the paste's words
    # are not shown back as "the part that matched".
    "from_description": {
        "en": "Guessed from your description: the paste has no error line. Paste the error "
              "message or the log around it for a surer answer.",
        "ko": "오류 줄 없이 설명만 보고 추정한 답입니다. 오류 메시지나 그 앞뒤 로그를 붙여넣으면 "
              "더 정확하게 찾을 수 있습니다."},
    "entry_id": {"en": "knowledge base: `{entry_id}`", "ko": "지식 베이스: `{entry_id}`"},
    "also_possible": {"en": "*Also possible*", "ko": "*다른 가능성*"},
    "private_not_listed": {"en": "_{count} more in private channels or DMs: shown only there._",
                           "ko": "_비공개 채널이나 DM의 {count}건은 그곳에서만 보입니다._"},
    "reported_by": {"en": "reported by <@{user}>", "ko": "<@{user}> 님이 제보"},
    "probably": {"en": ":bulb: *Probably:* {title} (not certain: check the cause below)",
                 "ko": ":bulb: *아마:* {title} (확실하지 않음: 아래 원인을 확인하세요)"},
    "probably_text": {"en": "Probably {text}", "ko": "아마 {text}"},
    "first_step": {"en": "*First step*", "ko": "*첫 단계*"},
    "no_known_fix": {"en": ":thinking_face: *No known fix* for this error yet.",
                     "ko": ":thinking_face: 이 오류에 대해 *알려진 조치 방법이 없습니다*."},
    # The paste only wonders about its cause (MatchResult.hedged_cause, bot/matching/hedges.py).
    "cannot_tell": {"en": ":thinking_face: *I can't tell the cause from this*: nothing in the "
                          "paste shows the failure you are asking about.",
                    "ko": ":thinking_face: 붙여넣은 내용만으로는 *원인을 알 수 없습니다*. 말씀하신 "
                          "원인을 보여 주는 오류가 내용에 없습니다."},
    # Nothing in the paste shows a deployment (MatchResult.setting_unseen): what it matches is
    # probably the answer if the error is the team's model's.
    "setting_unseen": {"en": ":thinking_face: *Nothing here shows a deployment*, so I can't be "
                             "sure this is yours. If it comes from your model's container or "
                             "endpoint, the first candidate is the likely cause; name the endpoint "
                             "or deployment, or paste its log, to be sure.",
                       "ko": ":thinking_face: 붙여넣은 내용에 *배포를 보여 주는 부분이 없어서* "
                             "확실히 말씀드리기 어렵습니다. 모델 컨테이너나 엔드포인트에서 난 "
                             "오류라면 첫 번째 후보가 원인일 가능성이 큽니다. 엔드포인트나 배포 "
                             "이름을 알려 주시거나 로그를 붙여 주시면 확인할 수 있습니다."},
    "worth_checking": {"en": "*Worth checking*:", "ko": "*확인해 볼 만한 후보*:"},
    "candidates": {"en": "*Closest candidates* (not confident):",
                   "ko": "*가장 가까운 후보* (확실하지 않음):"},
    "candidate_line": {"en": "*{title}* · `{entry_id}`", "ko": "*{title}* · `{entry_id}`"},
    "no_candidates": {"en": "Nothing in the knowledge base comes close.",
                      "ko": "지식 베이스에 비슷한 항목이 없습니다."},
    "unknown_hint": {
        "en": "When you find the fix, press *Resolve* and leave a note: the next person will "
              "get it.",
        "ko": "고치고 나면 *해결 처리* 버튼으로 메모를 남겨 주세요. 다음 사람이 그 메모를 "
              "보게 됩니다."},
    # The buttons of answers posted before the 👍/👎 row; their clicks are still answered.
    "button_helpful": {"en": "Helpful", "ko": "도움이 됐어요"},
    "button_wrong": {"en": "Not this one", "ko": "이게 아니에요"},
    "button_resolve": {"en": "Resolve", "ko": "해결 처리"},
    "button_fetch_logs": {"en": "Fetch logs", "ko": "로그 가져오기"},
    "button_own": {"en": "I'm on it", "ko": "담당할게요"},
    "button_show_fix": {"en": "Show fix", "ko": "조치 방법 보기"},
    "button_this_one": {"en": "This is it", "ko": "이 방법이 맞아요"},
    # Feedback on an answer: whether it helped, never whether the incident is resolved.
    "feedback_up_label": {"en": "This answer helped", "ko": "도움이 됐어요"},
    "feedback_down_label": {"en": "Not this problem", "ko": "이 문제가 아니에요"},
    "feedback_helpful": {"en": "<@{user}>: :+1: helpful",
                         "ko": "<@{user}> 님: :+1: 도움이 됐어요"},
    "feedback_wrong": {"en": "<@{user}>: :-1: not this problem",
                       "ko": "<@{user}> 님: :-1: 이 문제가 아니에요"},
    "candidate_fix_title": {"en": ":mag: *{title}*: what it is and how to fix it",
                            "ko": ":mag: *{title}*: 원인과 조치 방법"},
    "candidate_chosen": {
        "en": ":white_check_mark: Recorded as the answer. The proposal to teach it is in the "
              "incident's thread.",
        "ko": ":white_check_mark: 답으로 기록했습니다. 지식 베이스에 가르칠 제안은 인시던트 "
              "스레드에 있습니다."},
    "candidate_chosen_only": {"en": ":white_check_mark: Recorded as the answer.",
                              "ko": ":white_check_mark: 답으로 기록했습니다."},
    "candidate_gone": {"en": "That entry is no longer in the knowledge base.",
                       "ko": "그 항목은 이제 지식 베이스에 없습니다."},
    "card_owner": {"en": "owner: <@{user}>", "ko": "담당: <@{user}>"},
    "owner_not_open": {"en": "Incident #{id} is resolved: there is nothing to take on. Reopen "
                             "it first if it is back.",
                       "ko": "#{id}번 인시던트는 해결 처리되어 담당할 일이 없습니다. 다시 "
                             "발생했다면 먼저 다시 열어 주세요."},
    # Under the state line's ✅: the note gets its own mark, not a second ✅.
    "resolved_line": {"en": ":memo: Resolved by <@{user}>: {note}",
                      "ko": ":memo: <@{user}> 님이 해결: {note}"},
    "resolved_no_note": {"en": "(no note)", "ko": "(메모 없음)"},
    "modal_title": {"en": "Resolve incident", "ko": "인시던트 해결 처리"},
    "modal_submit": {"en": "Resolve", "ko": "해결 처리"},
    "modal_cancel": {"en": "Cancel", "ko": "취소"},
    "modal_intro": {"en": "Resolve incident #{id}. What fixed it? The note is shown to the "
                          "next person who hits this error.",
                    "ko": "#{id}번 인시던트를 해결 처리합니다. 무엇으로 고쳤나요? "
                          "같은 오류를 만나는 다음 사람에게 이 메모가 보입니다."},
    "modal_note_label": {"en": "Resolution note", "ko": "해결 메모"},
    "modal_note_placeholder": {"en": "e.g. raised the GPU quota to 8 cores",
                               "ko": "예: GPU 할당량을 8코어로 늘림"},
    "working": {"en": ":mag: Looking into it…", "ko": ":mag: 살펴보는 중…"},
    "working_long": {"en": ":mag: Reading {size} characters…", "ko": ":mag: {size}자를 읽는 중…"},
    "paste_file_title": {"en": "The pasted error (redacted)",
                         "ko": "붙여넣은 오류 (민감 정보 가림)"},
    "paste_file_comment": {"en": "The full paste, redacted, for the record.",
                           "ko": "기록을 위한 전체 붙여넣기 (민감 정보 가림)."},
    "apology": {"en": ":warning: Sorry, something went wrong on my side. Reference `{ref}` "
                      "(give it to whoever runs this bot).",
                "ko": ":warning: 죄송합니다. 내부 오류가 발생했습니다. 참조 번호 `{ref}` "
                      "(봇 담당자에게 전달해 주세요)."},
    "help_title": {"en": "*/troubleshoot* — diagnose broken model deployments",
                   "ko": "*/troubleshoot* — 모델 배포 문제 진단"},
    "help_paste": {"en": "`/troubleshoot <pasted error>` — the likely cause and fix, posted to "
                         "the channel; the incident is recorded",
                   "ko": "`/troubleshoot <오류 붙여넣기>` — 원인과 조치 방법을 채널에 게시하고 "
                         "인시던트를 기록"},
    "help_help": {"en": "`/troubleshoot help` — this message",
                  "ko": "`/troubleshoot help` — 이 도움말"},
    "help_incidents": {"en": "`/troubleshoot incidents [all]` — open incidents in this channel "
                             "(or the whole workspace)",
                       "ko": "`/troubleshoot incidents [all]` — 이 채널(또는 전체)의 "
                             "열린 인시던트"},
    "help_resolve": {"en": "`/troubleshoot resolve <id> [note]` — mark an incident resolved",
                     "ko": "`/troubleshoot resolve <번호> [메모]` — 인시던트를 해결 처리"},
    "help_lang": {"en": "`/troubleshoot lang ko|en` — your answer language",
                  "ko": "`/troubleshoot lang ko|en` — 답변 언어 설정"},
    "help_watch": {"en": "`/troubleshoot watch on|off` — suggest fixes for errors posted in this "
                         "channel (only when confident)",
                   "ko": "`/troubleshoot watch on|off` — 이 채널에 올라온 오류에 자동으로 "
                         "조치 방법 제안 (확실할 때만)"},
    "help_mention": {"en": "Mention me with an error, or in the thread of one (alone or with a "
                           "question), and I answer in the thread. Long errors can be attached "
                           "as a snippet or file.",
                     "ko": "오류와 함께 저를 멘션하거나, 오류가 올라온 스레드에서 멘션하면"
                           "(질문만 써도 됩니다) 스레드에 답합니다. 긴 오류는 스니펫이나 "
                           "파일로 첨부하세요."},
    "did_you_mean_command": {
        "en": "Did you mean `/troubleshoot {command}`? `/troubleshoot help` lists the commands. "
              "To have an error diagnosed, paste the whole error message.",
        "ko": "혹시 `/troubleshoot {command}` 명령을 입력하려고 하셨나요? 명령 목록은 "
              "`/troubleshoot 도움말`에서 볼 수 있습니다. 오류를 진단하려면 오류 메시지 전체를 "
              "붙여 넣어 주세요."},
    "not_an_error": {
        "en": "There is no error message to diagnose in that, so nothing was posted or "
              "recorded. Paste the whole error message (the log lines around it help). "
              "`/troubleshoot help` lists the commands.",
        "ko": "진단할 오류 메시지가 없어 채널에 올리거나 기록하지 않았습니다. 오류 메시지 전체를 "
              "붙여 넣어 주세요(앞뒤 로그도 있으면 좋습니다). 명령 목록은 "
              "`/troubleshoot 도움말`에서 볼 수 있습니다."},
    "mention_command": {
        "en": "Commands go through the slash command: `/troubleshoot {command}`. To have an error "
              "diagnosed here, mention me with the whole error message.",
        "ko": "명령은 슬래시 명령으로 입력해 주세요: `/troubleshoot {command}`. 여기서 오류를 "
              "진단하려면 오류 메시지 전체와 함께 저를 멘션해 주세요."},
    "lang_set": {"en": "Your language is now English.", "ko": "이제 한국어로 답합니다."},
    # The Korean usage gives the Korean words, and the current value as a word, not a code.
    "lang_usage": {"en": "Usage: `/troubleshoot lang ko|en` (now: {current})",
                   "ko": "사용법: `/troubleshoot 언어 한국어|영어` 또는 `lang ko|en` "
                         "(현재: {current})"},
    "language_name_ko": {"en": "Korean", "ko": "한국어"},
    "language_name_en": {"en": "English", "ko": "영어"},
    "switch_on": {"en": "on", "ko": "켜짐"},
    "switch_off": {"en": "off", "ko": "꺼짐"},
    "watch_on": {"en": ":eyes: Watching <#{channel}>: errors posted here get a threaded "
                       "suggestion when I am confident.",
                 "ko": ":eyes: <#{channel}> 채널을 지켜봅니다. 올라온 오류에 확실한 조치 방법이 "
                       "있으면 스레드로 제안합니다."},
    "watch_off": {"en": "Stopped watching <#{channel}>.", "ko": "<#{channel}> 채널 지켜보기를 "
                                                              "멈췄습니다."},
    "watch_usage": {"en": "Usage: `/troubleshoot watch on|off` (now: {state})",
                    "ko": "사용법: `/troubleshoot 지켜보기 켜기|끄기` 또는 `watch on|off` "
                          "(현재: {state})"},
    "incidents_title": {"en": "*Open incidents* ({scope})", "ko": "*열린 인시던트* ({scope})"},
    "scope_channel": {"en": "this channel", "ko": "이 채널"},
    "scope_workspace": {"en": "workspace", "ko": "전체"},
    "incidents_none": {"en": "No open incidents ({scope}). :tada:",
                       "ko": "열린 인시던트가 없습니다 ({scope}). :tada:"},
    "incident_line": {"en": "*{ref}* {title} · {count}× · last {last}",
                      # "1회 · 최근 …" read as "once · recently": say what was counted
                      "ko": "*{ref}* {title} · {count}회 발생 · 마지막 {last}"},
    "unknown_error": {"en": "unknown error", "ko": "알 수 없는 오류"},
    "resolve_usage": {"en": "Usage: `/troubleshoot resolve <id> [note]`",
                      "ko": "사용법: `/troubleshoot resolve <번호> [메모]`"},
    "resolve_not_found": {"en": "There is no incident #{id}.",
                          "ko": "#{id}번 인시던트는 없습니다."},
    "resolve_elsewhere": {"en": "Incident #{id} belongs to another channel: resolve it there or "
                                "in its thread, or ask a bot admin (BOT_ADMINS).",
                          "ko": "#{id}번 인시던트는 다른 채널의 인시던트입니다: "
                                "그 채널이나 스레드에서 해결 처리하거나 "
                                "봇 관리자(BOT_ADMINS)에게 요청하세요."},
    "resolve_already": {"en": "Incident #{id} is already resolved{by}.",
                        "ko": "#{id}번 인시던트는 이미 해결되었습니다{by}."},
    "resolve_done": {"en": ":white_check_mark: Incident #{id} resolved by <@{user}>: {note}",
                     "ko": ":white_check_mark: <@{user}> 님이 인시던트 #{id} 해결: {note}"},
    "mention_empty": {"en": "Paste the error after mentioning me, or mention me in the thread "
                            "of the message that has it.",
                      "ko": "멘션 뒤에 오류를 붙여넣거나, 오류가 있는 메시지의 스레드에서 "
                            "멘션해 주세요."},
    "file_skipped": {"en": "I could not read the attached file {name} as text.",
                     "ko": "첨부 파일 {name}의 내용을 텍스트로 읽을 수 없습니다."},
    # To the person only, after an answer sent through their command (the bot is not a member):
    # the app by the name Slack shows for it (a mention of its bot user), never a fixed name.
    "not_in_channel": {"en": "I'm not a member of this channel, so this answer has no thread and "
                             "its buttons can't update it. Invite the app to this channel "
                             "(`/invite`, then pick it): {app}",
                       "ko": "제가 이 채널의 멤버가 아니라서 이 답변에는 스레드가 없고, 버튼으로 "
                             "답변을 갱신할 수 없습니다. 이 채널에 앱을 초대해 주세요"
                             "(`/invite` 입력 후 선택): {app}"},
    "resolved_outside": {"en": ":white_check_mark: Incident {ref} is resolved. I couldn't show "
                               "it on its answer in <#{channel}>: I'm not a member of that "
                               "channel. Invite the app there (`/invite`, then pick it) so that "
                               "its buttons update the answer: {app}",
                         "ko": ":white_check_mark: 인시던트 {ref} 해결 처리했습니다. 다만 제가 "
                               "<#{channel}> 채널의 멤버가 아니라서 답변에 표시하지 못했습니다. "
                               "버튼이 답변을 갱신하도록 그 채널에 앱을 초대해 주세요"
                               "(`/invite` 입력 후 선택): {app}"},
    "this_app": {"en": "this app", "ko": "이 앱"},
    # The message shortcut "Diagnose this error" (이 오류 진단), to its user only.
    "shortcut_no_text": {"en": "That message has no text I can read as an error.",
                         "ko": "이 메시지에는 오류로 읽을 수 있는 텍스트가 없습니다."},
    "shortcut_no_error": {"en": "That message has no error message in it, so nothing was "
                                "posted or recorded. Use *Diagnose this error* on the message "
                                "with the error or its log.",
                          "ko": "이 메시지에는 진단할 오류 메시지가 없어 스레드에 답하거나 "
                                "기록하지 않았습니다. 오류나 로그가 있는 메시지에서 *이 오류 "
                                "진단*을 실행해 주세요."},
    "shortcut_own_message": {"en": "That is one of my own answers: use *Diagnose this error* "
                                   "on the message that has the error.",
                             "ko": "제가 쓴 답변입니다. 오류가 있는 메시지에서 *이 오류 진단*을 "
                                   "실행해 주세요."},
    "home_title": {"en": "Deployment troubleshooting", "ko": "배포 문제 해결"},
    "home_language": {"en": "Your language: *English* (workspace default: {default})",
                      "ko": "내 언어: *한국어* (워크스페이스 기본값: {default})"},
    "home_open": {"en": "*Open incidents in this workspace*",
                  "ko": "*이 워크스페이스의 열린 인시던트*"},
    "home_none": {"en": "No open incidents. :tada:", "ko": "열린 인시던트가 없습니다. :tada:"},
    "home_more": {"en": "…and {count} more.", "ko": "…외 {count}건."},
    "home_use_en": {"en": "English", "ko": "English"},
    "home_use_ko": {"en": "한국어", "ko": "한국어"},
    "truncated": {"en": "… (truncated)", "ko": "… (생략됨)"},
    # The compact card (bot.slack.cards) and the state it follows.
    "card_open": {"en": ":red_circle: *Open*", "ko": ":red_circle: *진행 중*"},
    "card_resolved": {"en": ":white_check_mark: *Resolved*", "ko": ":white_check_mark: *해결됨*"},
    "card_recurrence_of": {"en": "recurrence of {ref}", "ko": "{ref}의 재발"},
    "card_seen_times": {"en": "seen {count} times", "ko": "{count}번째 발생"},
    "card_more_steps": {"en": "({count} more steps in the thread)",
                        "ko": "(나머지 {count}단계는 스레드에)"},
    "more_steps_show_fix": {"en": "({count} more steps: *Show fix*)",
                            "ko": "(나머지 {count}단계: *조치 방법 보기*)"},
    "card_steps_folded": {"en": "Steps folded: they are in the thread.",
                          "ko": "조치 단계는 접어 두었습니다. 스레드에서 볼 수 있습니다."},
    "card_candidates": {"en": "Closest candidates (not confident): {titles}",
                        "ko": "가장 가까운 후보 (확실하지 않음): {titles}"},
    "card_worth_checking": {"en": "Worth checking: {titles}",
                            "ko": "확인해 볼 만한 후보: {titles}"},
    "card_next_step_logs": {
        "en": "*Next step:* press *Fetch logs* to read the deployment's logs, or paste the "
              "full error output (with the stack trace) in the thread.",
        "ko": "*다음 단계:* *로그 가져오기* 버튼으로 배포 로그를 확인하거나, 스택 트레이스를 "
              "포함한 전체 오류 출력을 스레드에 붙여 주세요."},
    "card_next_step_paste": {
        "en": "*Next step:* paste the full error output (the lines with `Error`, the stack "
              "trace, the failing command) and name the endpoint or deployment.",
        "ko": "*다음 단계:* 전체 오류 출력(`Error`가 있는 줄, 스택 트레이스, 실패한 명령)을 "
              "붙이고 어떤 엔드포인트나 배포인지 알려 주세요."},
    "card_affected": {"en": "affected: {service}", "ko": "영향 대상: {service}"},
    "error_line_read": {"en": "error line read: `{line}`", "ko": "읽은 오류 줄: `{line}`"},
    "button_reopen": {"en": "Reopen", "ko": "다시 열기"},
    "reopened_line": {"en": ":arrows_counterclockwise: Reopened by <@{user}>",
                      "ko": ":arrows_counterclockwise: <@{user}> 님이 다시 열었습니다"},
    "reopen_done": {"en": "Incident #{id} is open again.",
                    "ko": "#{id}번 인시던트를 다시 열었습니다."},
    "reopen_not_resolved": {"en": "Incident #{id} is already open.",
                            "ko": "#{id}번 인시던트는 이미 열려 있습니다."},
    "reopen_conflict": {
        "en": "Incident #{id} cannot be reopened: the same problem is open as #{other}.",
        "ko": "#{id}번 인시던트를 다시 열 수 없습니다. 같은 문제가 #{other}번으로 열려 "
              "있습니다."},
    "reopen_conflict_elsewhere": {
        "en": "Incident #{id} cannot be reopened: the same problem is open again elsewhere.",
        "ko": "#{id}번 인시던트를 다시 열 수 없습니다. 같은 문제가 다른 곳에서 다시 열려 "
              "있습니다."},
}

t = Catalog(STRINGS)

"""Does a paste ask for something (a feature, a way to do a thing, documentation) rather than
report a failure?

"Is there a way to set the scoring timeout per deployment?", "Feature request: support for
GPU node pools", "엔드포인트에 인증서를 추가하는 방법이 있나요?" share words with the entries
(timeout, GPU, endpoint), so the matcher ranks the entries that use them, and the decision
model, which sees a short text with a few rare words, could call one "probably" the cause of
a failure nobody had. A tentative diagnosis is the wrong shape of answer to a request: the
entry is still ranked and listed as a candidate, but the bot does not say "probably X"
(decision.may_be_probable).

The cues are how people phrase requests and how-to questions in general, not the wordings of
any evaluation set: GitHub's "Feature request" issue template ("Is your feature request
related to a problem?", "Describe the solution you'd like"), "is it possible to", "is there a
way to", "how do I / how can I / how to <do something>", "can I", "support for", "please add",
"it would be nice", documentation requests, and their Korean equivalents (방법, 가능한가요,
할 수 있나요, 지원, 기능 요청, 문서). Two things keep a paste a report whatever it asks:
- a failure line of a program's own (error_lines.failure_line: a traceback, an exception
  line, an event reason, an exit code, a status code): "the pod is in CrashLoopBackOff, is
  there a way to see why?" is a report with a question attached;
- asking how to fix, solve or get past something ("how do I fix this?", "해결 방법이
  있을까요?"): that asks for the diagnosis itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.matching.error_lines import EXCEPTION_LINE, failure_line, is_error_line, line_body

HEAD_CHARS = 4000  # the person's own words are at the top, as features.paste_shape reads
# A link, read as one word: its dots would end the sentence a question runs to ("can we add an
# option at https://github.com/o/r/blob/x/server.py#L50 to choose which server starts?"). The
# punctuation that ends the sentence after it is not the link's (a query string's `?` is).
_LINK = re.compile(r"\bhttps?://\S+?(?=[.,;:!?？)\]]*(?:\s|$))")
# Every pattern below is bounded (no unbounded run before a literal), so a 4,000-character line
# with no newline costs a few milliseconds, not a quadratic scan.

# Verbs of asking for a fix, or for help with one: after "how do I", "is there a way to",
# "can I" they make the question a troubleshooting one, which a diagnosis answers.
_FIX = (r"fix|fixe?s|fixing|solve|solving|resolve|resolving|troubleshoot\w*|debug\w*|"
        r"diagnose|avoid|prevent|handle|help|get (some |any )?help|get (rid of|past|around)|"
        r"work ?around|recover|overcome|deal with|stop (it|this|the)|"
        r"(make|get) (it|this|that) (to )?work")
_NOT_FIX = r"(?!(" + _FIX + r")\b)\w+"
_HOW_TO = re.compile(
    r"(?i)\bhow (do|can|could|should|would|might) (i|we|you|one)\s+" + _NOT_FIX + r"|"
    r"\bhow to\s+" + _NOT_FIX + r"|"
    r"\b(is|are) (it|there) (possible|any (way|option|setting|plan)s?|a way|an option|"
    r"a setting|plans?) (to|for|of)\s+" + _NOT_FIX + r"|"
    r"\bany (way|option|plans?) to\s+" + _NOT_FIX + r"|"
    r"\b(can|could|may) (i|we|one) (also |still |somehow )?" + _NOT_FIX + r"[^.!?\n]{0,200}[?？]|"
    r"\bwould it be possible\b|\bdoes\b[^.?\n]{0,40}\bsupport\b[^.\n]{0,200}[?？]|"
    r"\bis\b[^.?\n]{0,40}\bsupported\b[^.\n]{0,200}[?？]")
_REQUEST = re.compile(
    r"(?i)\bfeature[ -]?request\b|\bfeature ask\b|"
    r"\bis your feature request related to a problem\b|\bdescribe the solution you'?d like\b|"
    r"\bdescribe alternatives you'?ve considered\b|\b(add|adding|request(ing)?) support for\b|"
    r"\bplease (add|support|allow|provide|document)\b|"
    r"\bit would be (nice|great|helpful|good|useful)\b|\bwould (love|like) to (see|have)\b|"
    r"\bdocumentation (request|issue|feedback|is (missing|unclear|wrong|outdated|confusing))\b|"
    r"\b(update|improve|clarify|correct) the (docs|documentation)\b|"
    r"\b(docs|documentation) (does not|doesn't|do not|don't) (say|mention|explain|cover)\b")
# Korean: "how" with a verb of doing (not of fixing), "a way to", "is it possible", "can I",
# "is it supported", a feature request, a documentation request.
_KO_FIX = re.compile(r"해결|고치|고칠|고쳐|수정|원인|조치|대처|복구|도움")
_KO_WAY = re.compile(r"(\S{0,12})\s?방법(이|은|을|좀|\s?알려|\s?있)")
# "~ㄹ 수 있나요" (can I ~?), unless the verb is a fix ("해결할 수 있을까요").
_KO_CAN = re.compile(r"(\S{0,12})\s?수\s?(있나요|있을까요|있는지|있습니까|있을지)")
_KO = re.compile(
    r"어떻게\s?(설정|사용|확인|보|추가|변경|바꾸|바꿔|지정|연결|구성|만들|설치|가져|얻|늘리|"
    r"늘릴|줄이|배포|올리|띄우|호출|접근)|"
    r"가능한가요|가능할까요|가능합니까|가능한지|"
    r"지원(하나요|되나요|하는지|되는지|할 계획|을 추가|해 주세요|해주세요|부탁)|"
    r"기능\s?(요청|제안|추가)|추가해\s?(주세요|주실)|"
    r"문서(에|에는|에서)\s?\S{0,20}\s?(없|안 나|나와 있지)|문서화")


def _asks_in_korean(head: str) -> bool:
    if _KO.search(head):
        return True
    # "방법" (a way) and "수 있나요" (can I) ask for a procedure unless the word before them is
    # a fix ("해결 방법", "고칠 수 있나요").
    # (Only where the word occurs: the patterns start with a run of any characters.)
    return any(not _KO_FIX.search(found.group(1))
               for word, pattern in (("방법", _KO_WAY), ("수", _KO_CAN)) if word in head
               for found in pattern.finditer(head))


# What counts as the paste reporting a failure (measured in round 12, docs/eval.md):
# "strict" (shipped) only a program's own failure line (error_lines.failure_line: a
# traceback, an exception line, an event reason, an exit code, a status code); "error" any
# error line (error_lines.is_error_line: also a sentence with an error word that is not
# someone's chat, "When the deployment fails we get no logs").
REPORT_LINES = "strict"


def _reports(line: str) -> bool:
    if REPORT_LINES == "strict":
        return failure_line(line)
    return failure_line(line) or is_error_line(line)


def asks(text: str, key_lines: Sequence[str], failure_reported: bool | None = None) -> bool:
    """The paste asks for something and reports no failure (module docstring). `key_lines`:
    the lines extraction kept, which hold any error line a long log has; `failure_reported`:
    whether one of them is a failure line (error_lines.failure_line), when the caller already
    knows (the matcher asks it once for the ranking too). The cues are read in the person's
    own lines only, never in an error line: a scheduler's "Please add more node(s) ... to host
    your replicas" asks nothing."""
    if failure_reported is None:
        failure_reported = any(map(failure_line, key_lines))
    if failure_reported or (REPORT_LINES != "strict" and any(map(is_error_line, key_lines))):
        return False
    own = _LINK.sub("<link>", "\n".join(line for line in text[:HEAD_CHARS].splitlines()
                                         if not (_reports(line) or is_error_line(line))))
    return bool(_REQUEST.search(own) or _HOW_TO.search(own) or _asks_in_korean(own))


# A paste that talks ABOUT a failure instead of reporting one happening (round 15): a pull
# request or a review of one (GitHub's "What this PR does", a ```suggestion block,
# Signed-off-by), a design proposal, an issue about a documentation page ("Issue with
# k8s.io/docs/..."). They quote the error they are about (a debugging guide's `ExitCode137`, a
# probe's 503), so a failure line does not make them a report, and the cues are read in every
# line: no program prints "this PR updates". Only cues a person reporting their own failure
# would not write: "we should add more memory", "the docs say to raise the timeout" and "the
# server should handle it" are how people report in chat, so such wordings are not cues.
# (Round 15 tried them: "we should allow this to be configured" had made a Seldon user's read
# timeout, quoted below it, a discussion; without them two feature texts about OOM kills and
# liveness probes count as reports again, one more unrelated paste answered sure on the time
# split, 3 of 163.) GitHub's feature-request
# template is not a cue either: people file real failures with it ("Is your feature request
# related to a problem?" above a 504), and asks() reads it when nothing failed.
# Read in the lower-cased head. Every alternative starts with a literal (no `\b`, no flag), so
# the regex engine skips to the positions where one of their first letters stands: 0.07 ms on a
# 4,000-character head, where the same alternatives behind `\b` under IGNORECASE took 1.5 ms.
_DISCUSSES = re.compile(
    r"what (this|the) (pr|pull request|change) does\b|"
    r"this (pr|pull request|patch|commit) (adds|updates|changes|makes|removes|introduces|"
    r"fixes|implements|will|should|is)\b|"
    r"```suggestion\b|signed-off-by:|#sign-off\b|"
    r"design proposal\b|enhancement proposal\b|proposed (change|solution|design)s?\b|"
    r"docs (page|issue|change|update|suggestion)\b|"
    r"documentation (page|issue|change|update|suggestion)\b|"
    r"issue with \S{0,40}/docs/")
# A proposal's headings, each on a line of its own; looked for only where one of their words is.
_HEADINGS = re.compile(r"(?m)^\W{0,4}(motivation|proposed changes?|use cases?|"
                       r"acceptance criteria)\W{0,4}$")
_HEADING_WORDS = ("motivation", "proposed change", "use case", "acceptance criteria")


def discusses(text: str) -> bool:
    """The paste talks about a failure rather than reports one (_DISCUSSES): a pull request,
    a proposal, a documentation issue."""
    head = text[:HEAD_CHARS].lower()
    return bool(_DISCUSSES.search(head)) or (
        any(word in head for word in _HEADING_WORDS) and bool(_HEADINGS.search(head)))


# A paste that proposes a change to some software about a failure, rather than reports one
# (round 16): its first line is a task's or a pull request's title that says what to build
# ("Handle pod CrashLoopBackOff", "Add detection of init:CrashLoopBackOff for pods", "Support
# OOMKilled") or what a program should do about a failure ("oc status should report oom kill",
# "DevWorkspace should be failed when its pod has CrashLoopBackOff status": the verbs of
# reporting a status, not "should handle" or "should show", which people write about their own
# failure, "the server should handle it but every request returns 503"). A person reporting
# their own failure starts with what happened ("pods in CrashLoopBackOff after deploy"), and
# the verbs of fixing one's own deployment (increase, raise, reduce, fix) are not cues: a pull
# request that raises a pod's memory shows the kill it fixes, and such pastes are labelled by
# it. The failure words of a proposal are in the person's sentences only; a failure line a
# program printed (a timestamped log line, an exception line, a `kubectl describe` field, a
# JSON field, a table row) makes it a report whatever its title, so PROPOSAL_TITLE is read with
# printed_failure.
_TITLE_VERBS = (r"add|handle|support|implement|detect|expose|surface|allow|introduce|enable|"
                r"document|mark|display|propagate|ignore|respect|honou?r|emit|track|recogni[sz]e|"
                r"distinguish|differentiate|customi[sz]e|only fail|fail fast|"
                # a pull request's title is as often in -ing form ("Adding liveness probes")
                r"adding|handling|supporting|implementing|detecting|exposing|surfacing|allowing|"
                r"introducing|enabling|documenting|customi[sz]ing")
_PROPOSAL_TITLE = re.compile(
    r"(?i)^\W{0,3}(?:\[[^\]\n]{1,30}\]\s*)?(?:[a-z]{2,8}(?:\([^)\n]{0,30}\))?!?:\s*)?"
    r"(?:" + _TITLE_VERBS + r")\b"
    r"|^[^\n?]{0,60}?\b(?<!\bi )(?<!\bwe )(?:should|must) (?:also |better |properly |"
    r"correctly )?(?:be (?:failed|marked|reported|surfaced|detected|exposed)|"
    r"report|detect|expose|surface|reflect|indicate|propagate|warn|alert|notify|emit|"
    r"distinguish)\b")
# Round 17 (podfate19): more titles of writing about a failure rather than having one, read
# like _PROPOSAL_TITLE (the first line, and no printed failure under it) but as a rule only
# (writes_about), so that the model and its thresholds stay as they were:
# - a title that asks for the change ("Please add a feature to handle CrashLoopBackOff");
# - a policy about failing pods ("Only relaunch failed pods with reason OOMKilled", "Only fail
#   if the readiness probe repeatedly fails"): what a program should do when pods fail;
# - documentation about a failure ("Initial pass at a runbook page for CrashLoopBackOff",
#   "Troubleshooting guide for OOMKilled pods"): a docs page names the failure it explains.
_POLICY_VERBS = (r"fail|relaunch|restart|retry|reschedule|recreate|requeue|evict|kill|report|"
                 r"alert|mark|notify")
_WRITES_ABOUT = re.compile(
    r"(?i)^\W{0,3}(?:\[[^\]\n]{1,30}\]\s*)?(?:[a-z]{2,8}(?:\([^)\n]{0,30}\))?!?:\s*)?"
    r"(?:please\s+(?:" + _TITLE_VERBS + r")|only (?:" + _POLICY_VERBS + r"))\b"
    r"|^[^\n]{0,60}?\b(?:runbooks?|playbooks?|troubleshooting (?:guide|section|page|doc)s?|"
    r"(?:docs?|documentation|wiki|faq|help) (?:page|entry|section|article)s?|"
    r"how-?to guides?)\b[^\n]{0,20}?\b(?:for|about|on|of|to)\b")
# The same in Korean, on the title line: a feature asked for ("...를 감지하는 기능을 추가해
# 주세요", "기능 요청"), a runbook or guide being written ("CrashLoopBackOff 런북 페이지 초안"),
# a policy ("OOMKilled 로 실패한 파드만 재시작하도록 변경"). A Korean report says what happened
# ("파드가 CrashLoopBackOff 상태예요").
_KO_WRITES_ABOUT = re.compile(
    r"기능\s?(?:을|를)?\s?(?:요청|제안|추가)|추가해\s?(?:주세요|주실|줄 수)|지원해\s?주세요|"
    r"(?:런북|플레이북|트러블슈팅\s?가이드|문서|가이드)\S{0,3}\s?(?:페이지|초안|작성|추가)|"
    r"만\s?(?:재시작|재실행|재스케줄|실패\s?처리)하(?:도록|게)")
# A sentence: at least this share of its tokens are plain words (a log line is mostly ids,
# numbers, paths and key=value pairs).
SENTENCE_WORD_SHARE = 0.6
# (Hangul words too: "CrashLoopBackOff 파드를 감지하는 기능" is a person's sentence as its English
# twin is, round 17.)
_PLAIN_WORD = re.compile(r"[A-Za-z][a-z]+|[\uac00-\ud7a3]+")
_KEY_FIELD = re.compile(r"^\s*[\w.\-/ ]{1,30}:\s")  # `Reason: OOMKilled`, `kernel: ...`
# A table's columns (kubectl get, describe's events): a gap of three spaces, or two gaps of two
# around one field (`Warning  BackOff  2m`); a sentence's double space after a full stop is one.
_COLUMNS = re.compile(r"\S\s{3,}\S|\S {2,}\S+ {2,}\S")
PRINTED_CHARS = 20_000  # as context.paste_terms: a long log's failure is near its top too


def _sentence(line: str) -> bool:
    """The line reads as a person's sentence, not as a program's output."""
    stripped = line.strip()
    if line_body(line) != line or EXCEPTION_LINE.match(line) or _KEY_FIELD.match(line) \
            or _COLUMNS.search(stripped) or stripped.startswith(("{", "\"", "[", "<")):
        return False
    tokens = line.split()
    plain = sum(1 for token in tokens if _PLAIN_WORD.fullmatch(token.strip(".,;:()`'\"!")))
    return len(tokens) < 3 or plain >= SENTENCE_WORD_SHARE * len(tokens)


# A line of source code (round 17, podfate19): a diff's added or removed line, or an
# expression that tests a value (`reason == "OOMKilled"`, `if phase != "Failed":`). A pull
# request that teaches a program to handle OOMKilled pods quotes the state in its code; no
# program printed it.
_CODE_LINE = re.compile(r"^[+-](?![+-])\s*\S|[=!]==?\s*[\"']|[\"']\s*[=!]==?|^\s*(?:if|elif|"
                        r"while|return|case|switch)\b[^\n]*[(:{]\s*$")


# Round 18 (writes20): a title's own tag before the person's words, an issue tracker's
# "[Serve]", "[Bug]:", "[Inference API]" or a commit's "bug:", "fix(router):". _sentence reads
# a line that starts with `[` or `word:` as a program's (a log's `[2024-05-01 10:00]`, a
# `Reason: OOMKilled` field), so "[Serve] Health check does not detect stalls" counted as
# printed output and kept its paste from every title cue. A log level or a timestamp in the
# brackets is a program's, and stays one.
_TITLE_TAG = re.compile(
    r"(?i)^\W{0,3}(?:\[(?!(?:info|warn|warning|error|err|debug|fatal|critical|trace|notice|"
    r"severe|emerg|alert)\])[a-z][^\]\n\d]{0,29}\]:?\s*|(?:feat|feature|fix|bug|chore|docs?|"
    r"refactor|perf|test|ci|build|style|usage|question)(?:\([^)\n]{0,30}\))?!?:\s+)+")


def printed_failure(text: str, title_is_words: bool = False) -> bool:
    """A program's error line (error_lines.failure_line or is_error_line: Triton's model table
    row `| 1 | UNAVAILABLE: unable to create TensorRT engine |` is one) that is not a person's
    sentence nor a line of source code (_CODE_LINE). `title_is_words`: the first line's title
    tag (_TITLE_TAG) is left out before it is read as a sentence (writes_about only: proposes
    is a feature, and its values stay as the model learnt them)."""
    lines = [line for line in text[:PRINTED_CHARS].splitlines() if line.strip()]
    if title_is_words and lines:
        tagged = _TITLE_TAG.match(lines[0])
        if tagged and _sentence(lines[0][tagged.end():]):
            lines = lines[1:]
    return any((failure_line(line) or is_error_line(line)) and not _sentence(line)
               and not _CODE_LINE.search(line) for line in lines)


def _first_line(text: str) -> str:
    """The paste's first line that is not blank: a task's or a pull request's title."""
    return next((line for line in text[:HEAD_CHARS].splitlines() if line.strip()), "")


def proposes(text: str) -> bool:
    """The paste proposes a change about a failure (_PROPOSAL_TITLE on its first line) and no
    program's failure line shows one happening."""
    return bool(_PROPOSAL_TITLE.search(_first_line(text))) and not printed_failure(text)


# Round 18 (writes20): more titles of writing about a failure, read as _WRITES_ABOUT. In the
# pool's cross-validation most wrong "probably" answers on unrelated pastes that write about a
# failure had one of these, and a person reporting their own failure starts with what happened:
# - a feature named by what it would let one do ("Option to configure the inference request
#   timeout", "Ability to show pods left Pending", "Support for ...") or a change described
#   ("Changes to support no-archive model archives");
# - a documentation page edited ("Update how-to-deploy-local.md", "Updated readme", a `[Doc]`
#   or `docs:` tag);
# - an alert's severity moved ("move PodConstantlyOOMKilled to info");
# - the status code a server should answer with ("Return 503 when the queue is full", "Use 504
#   for an upstream timeout") or how it should fail ("Raise an error if the build failed",
#   "Fail requests fast if the server has crashed"): a program's design, where a report says
#   what it got;
# - what a product should ship ("Examples should come with health and readiness checks",
#   "the guide should cover ..."); not "should include" or "should have", which people write
#   about their own output ("the response should include the label but is empty");
# - a capability named as a noun ("Pod CrashLoopBackOff detection and handling", "OOMKilled
#   pod detection"; "handling" alone ends titles of reports too: "problem with error handling");
# - a manifest found to omit a probe or a limit ("Model Deployments omit readiness probes"),
#   read in the manifest, not seen failing;
# - a terse fix title that names a part and no failure ("Fix liveness probe"). A fix title that
#   names the failure ("Fix pods OOMKilled under load", "fix: raise memory to stop OOM restarts")
#   is how a fix pull request starts, and the pool labels those by the failure they fix
#   (tests/eval/LABELS.md), so a failure word in it keeps the paste out of this cue.
# Prefixes as _WRITES_ABOUT's: a `[tag]` and a conventional-commit `type(scope):`.
_FAILURE_WORD = (r"err|fail|crash|oom|kill|time ?out|hang|stuck|pend|leak|exception|panic|"
                 r"exit|restart|memory|unavailable|refused|denied|\d{3}")
_WRITES_TITLE = re.compile(
    r"(?i)^\W{0,3}(?:\[[^\]\n]{1,30}\]\s*)?(?:[a-z]{2,8}(?:\([^)\n]{0,30}\))?!?:\s*)?(?:"
    r"(?:an? )?(?:option|ability|possibility|capability|support) (?:to|for)\b"
    r"|(?:changes?|updates?) (?:to|for) (?:support|allow|enable|handle|make)\b"
    r"|(?:return|use|respond with) (?:an? |the )?(?:http )?\d{3}s?\b"
    r"|(?:throw|raise) (?:an? )?(?:\d{3} )?(?:error|exception)s? (?:if|when|on|for)\b"
    r"|fail (?:[\w-]+ ){1,4}(?:fast|early|immediately|gracefully)\b"
    r"|(?:update[ds]?|updating|edit(?:ed|s)?|revise[ds]?) (?:the )?"
    r"(?:[\w./-]{1,80}\.(?:md|mdx|rst|adoc)|readme)\b"
    r"|(?:move[ds]?|moving|demote[ds]?|downgrade[ds]?|lower(?:s|ed)?) \S{1,60} (?:to|from) "
    r"(?:info|warning|warn|critical|page|ticket|low|high|debug)\b"
    r"|fix(?:es|ed)? (?:the |a )?(?![^\n]*(?:" + _FAILURE_WORD + r"))[\w-]+(?: [\w-]+){0,2}\W*$)"
    r"|^\W{0,3}docs?(?:\([^)\n]{0,30}\))?!?:|\[(?:docs?|doc-fix|documentation)\]"
    r"|\bshould (?:come|ship|be shipped) with\b"
    r"|\bshould (?:document|mention|explain|cover)\b"
    r"|\bdetection\W*$|\b(?:detection|handling) and (?:handling|detection|recovery|reporting)\W*$"
    r"|\bomits? (?:the |a |an |any )?(?:startup|readiness|liveness|health|resource|memory|cpu)\b")
# The same in Korean: an option asked for ("요청 타임아웃을 설정할 수 있는 옵션"), a document
# edited ("README 수정"), what a product should include ("예제 차트에 헬스 체크가 포함되어야
# 합니다": an example, a chart, a template, a guide), an alert's severity moved
# ("PodConstantlyOOMKilled 알림을 info로 변경"), detection and handling named
# ("CrashLoopBackOff 감지 및 처리").
_KO_WRITES_TITLE = re.compile(
    r"옵션\s?(?:추가|제공|요청)|(?:설정|구성|지정|조정)할 수 있는\s?(?:옵션|기능)|"
    r"(?:문서|README|readme|가이드)\S{0,3}\s?(?:수정|업데이트|갱신|보완)|"
    r"(?:예제|샘플|차트|템플릿|매니페스트|가이드|문서)(?:에|에는|에도)\s[^\n]{0,40}"
    r"포함(?:되어야|돼야|해야)|"
    r"(?:info|warning|critical|경고|정보)\s?(?:로|으로)\s?(?:변경|낮추|내리|이동)|"
    r"감지\s?(?:및|와|과)\s?(?:처리|대응)")
# A pull request's own template or its bot ("What changes are proposed in this pull request?",
# "Is this a user-facing change?", a docs repository's "have been notified to review your
# proposed change"), the writer's own pull request ("I have raised a simple PR to add the
# endpoints", "I'll open a PR to retry 503s") or a documentation suggestion ("we should also
# inform users that ..."), read anywhere in the lower-cased head: nothing failed for the writer.
# As _DISCUSSES, every alternative starts with a literal.
_WRITES_BODY = re.compile(
    r"what changes are proposed in this pull request|is this a user-facing change|"
    r"does this pr (?:affect|introduce|change)\b|"
    r"have been notified to review your proposed change|"
    r"i(?:'ll| will|'ve| have)(?: already| just)? (?:raised|opened|open|submitted|submit|sent|"
    r"send|created|create|filed|file) an? (?:simple |small |quick )?(?:pr|pull request|patch)\b|"
    r"(?:inform|tell|remind) (?:the )?users\b|"
    r"pr(?:을|를)?\s?(?:올렸|열었|만들었|올릴게|열게|올려 두었|올려뒀)")


def writes_about(text: str) -> bool:
    """The paste's title asks for a change, sets a policy about failing pods or writes
    documentation about a failure (_WRITES_ABOUT, _KO_WRITES_ABOUT; round 18 _WRITES_TITLE,
    _KO_WRITES_TITLE), or its head is a pull request's template or the writer's own pull
    request (_WRITES_BODY), and no program's failure line shows one happening. A rule only
    (decision.may_be_sure's `held_back`)."""
    title = _first_line(text)
    return bool(_WRITES_ABOUT.search(title) or _KO_WRITES_ABOUT.search(title)
                or _WRITES_TITLE.search(title) or _KO_WRITES_TITLE.search(title)
                or _WRITES_BODY.search(text[:HEAD_CHARS].lower())) \
        and not printed_failure(text, title_is_words=True)


# A paste that is a piece of development work on the software itself (round 16, likely18): a
# commit's or pull request's title of a kind other than a fix (`feat:`, `chore:`, `refactor:`,
# `ci(azure):`, "Feature: ..."), an issue tracker's feature-request or design-proposal tag
# ("[Feature]:", "[RFC]:"), a pull request's description section ("## Description of
# changes", "## What does this PR change?"), a diff hunk, or a fix the writer proposes for the
# program's own code ("Suggested fix is ...", "the fix would be to ...", "we should return a
# 504", "I can open a PR"). The writer develops the framework; nothing of theirs failed to
# deploy. `fix:` and `bug:` titles are not cues: a fix PR shows the kill it fixes, and the pool
# labels those by it (none17; 30 of 37 such pool pastes are labelled with an entry). Before
# this change, such pastes shown "probably" were unrelated 7 times in 7 on the time split and
# 9 in 9 in the pool's cross-validation; in the pool 17 are labelled none and 2 (feature pull
# requests labelled by analogue, neither shown "probably") with an entry.
_DEV_TITLE = re.compile(
    r"(?i)^\W{0,3}(?:\[[^\]\n]{1,30}\]\s*)?(?:feat|feature|chore|refactor|perf|ci|test|tests|"
    r"build|style|enhancement)(?:\([^)\n]{0,30}\))?!?:|"
    # an issue tracker's tag for a feature request or a design proposal ("[Feature]:",
    # "[RFC]:", "[Feature Request]", "[Feat. req]")
    r"^\W{0,3}\[(?:feature(?: request)?|feat\. ?req|rfc|proposal|enhancement)\]")
_DEV_BODY = re.compile(
    r"(?im)^\W{0,4}(?:description of changes|changes made|summary of changes|"
    r"what does this pr change\??)\W{0,4}$|^@@ -\d+(?:,\d+)? \+\d+|"
    r"\bwe should (?:return|report|expose|add|support|handle|use|make|not)\b|"
    r"\bsuggested (?:fix|solution)\b|\bthe (?:right )?fix (?:is|would be) to\b|"
    r"\bI (?:can|could|will|would be happy to|am happy to) (?:open|submit|send|create|make|"
    r"raise) a (?:pr|pull request|patch)\b")


# A string every match of each _DEV_BODY alternative holds, lower-cased: `change`, a hunk's
# `@@ -`, `should`'s `hould`, `suggested`'s `ugge`, `the `, and ` a p` of "a PR", "a pull
# request", "a patch". Only letters re.IGNORECASE matches as their two ASCII cases alone
# (not i, s or k: re also takes ı, ſ and the Kelvin sign for them), so a head holding none of
# the strings lower-cased cannot match: most logs, where the regex cost 0.3-0.6 ms a paste.
DEV_BODY_STRINGS = ("change", "@@ -", "hould", "ugge", "the ", " a p")


def develops(text: str) -> bool:
    """The paste is development work on the software (_DEV_TITLE on its first line, _DEV_BODY
    in its head): never "probably" a diagnosis (decision.may_be_likely); the sure tier does not
    read it."""
    if _DEV_TITLE.search(_first_line(text)):
        return True
    head = text[:HEAD_CHARS]
    lowered = head.lower()
    return any(string in lowered for string in DEV_BODY_STRINGS) and bool(_DEV_BODY.search(head))

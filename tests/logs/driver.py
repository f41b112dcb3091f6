"""Run one log request through the real domain layer and the real SDKs; print the report as JSON.

The tests start this in a subprocess whose environment points the Azure SDKs at the stand-in:
both SDKs read their cloud settings at import time and cache them per process, so every
scenario gets a fresh interpreter. Usage: python -m tests.logs.driver '<request json>'.
"""

from __future__ import annotations

import json
import sys

from bot.logs.resolver import warm_up
from bot.logs.service import LogRequest, LogService
from bot.logs.source import ServiceNotFound


def main() -> int:
    spec = json.loads(sys.argv[1])
    database_url = spec.pop("database_url")
    requests = spec.pop("repeat", 1)
    warm_up()
    service = LogService(database_url)
    out = []
    for _ in range(requests):
        request = LogRequest(**spec)
        authorization = service.authorize(request)
        if not authorization.allowed:
            out.append({"allowed": False, "reason": authorization.reason})
            continue
        report = service.fetch(request, audit_id=authorization.audit_id)
        item: dict[str, object] = {"allowed": True, "outcome": report.outcome,
                                   "incident_id": report.incident_id,
                                   "duration_ms": report.duration_ms}
        if report.error:
            item["error"] = report.error.message
            if isinstance(report.error, ServiceNotFound):
                item["suggestions"] = report.error.suggestions
        if report.fetched:
            item.update(state=report.fetched.state, service_error=report.fetched.error,
                        backend=report.fetched.backend, target=report.fetched.target)
        if report.diagnosis:
            item.update(findings=[f.entry_id for f in report.diagnosis.findings],
                        finding_lines=[list(f.lines) for f in report.diagnosis.findings],
                        excerpt=list(report.diagnosis.excerpt),
                        log=report.diagnosis.redacted_log)
        out.append(item)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Job kinds of the tests: they write rows (audit entries) in one transaction, as an import
does, so that a cancel or a failure can be seen to write nothing."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hoptac.accounts.models import AuditEntry
from hoptac.jobs import registry
from hoptac.jobs.context import JobContext
from hoptac.jobs.running import JobError


@registry.handler("test.write_rows")
def write_rows(context: JobContext) -> dict[str, Any]:
    n = int(context.params["n"])
    with transaction.atomic():
        for i in range(n):
            AuditEntry.objects.create(action="export", object_type="job-test", object_id=str(i))
            context.progress("write", i + 1, n)
            if context.params.get("fail_at") == i + 1:
                if context.params.get("user_error"):
                    raise JobError("Dòng 3, cột “Tên”: để trống.")
                raise RuntimeError("disk on fire")
            if context.params.get("cancel_at") == i + 1:
                from hoptac.jobs import channel

                channel.request_cancel(context.job)
    context.attach("rows.csv", "text/csv", f"n\n{n}\n".encode())
    return {"rows": n, "summary_lines": [f"{n} rows written"]}

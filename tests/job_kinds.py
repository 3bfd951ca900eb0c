"""Job kinds for the tests only. A real worker that a test starts imports this module because its environment
names it (CONTEST_EXTRA_JOB_KINDS=tests.job_kinds, contest/services/jobs/registry.py); no installation does."""
from __future__ import annotations

import time

from contest.services.jobs import JobContext, register


@register("tests.slow", title="测试：慢任务")
def slow(ctx: JobContext) -> None:
    """Write one line per step, a little later each time, saying how far it is: long enough to be killed."""
    steps, delay = int(ctx.params.get("steps", 8)), float(ctx.params.get("delay", 0.3))
    with ctx.result_file("slow.txt", "text/plain; charset=utf-8") as out:
        for step in range(1, steps + 1):
            time.sleep(delay)
            out.write(f"{ctx.params.get('label', '')}: step {step} of {steps}\n".encode())
            ctx.progress(step, steps)

"""Jobs: long work (an automatic assignment, a large export, a batch of PDFs) run by a worker off the request.

A request that could run past a second submits a job and answers at once with the job's page, which shows
its progress and then its result. The worker (`flask --app contest worker`) and the command line
(`flask run-job`) run the same function.

1. Write the kind: a function of a `JobContext`, registered under a dotted name; add its module to
   registry.KIND_MODULES so that the web app and the worker both import it.

       @register("contracts.print", title=_l("批量打印合同"))
       def print_contracts(ctx: JobContext) -> Phrase | None:
           contracts = ...                            # ctx.params (a JSON dict), ctx.edition, ctx.actor
           with ctx.result_file(f"{ctx.edition.code}-合同.pdf", PDF) as out:
               for n, contract in enumerate(contracts, 1):
                   out.write(...)
                   ctx.progress(n, len(contracts))    # shown on the job page, written at most 4 times a second
           return Phrase("job.summary....", count=len(contracts))   # optional, shown on the job page

   A kind works through the services like a view does and never commits: the worker commits its work, all
   of it or none, when it returns. Raise a DomainError to fail with its message. A kind may run more than
   once (its worker killed, or retried by hand), so it must be idempotent: its result file is kept only when
   it succeeds. On SQLite, progress is written beside the kind's transaction only until the kind writes
   rows (SQLite has one write lock): write at the end, or use PostgreSQL.

2. Submit it from a view, then commit, then redirect to the job page (the job is queued when the commit
   is done; a request that rolls back queues nothing):

       job = jobs.submit("contracts.print", {"fmt": "pdf"}, actor=current_user, now=clock.now(), edition=edition)
       ...                                            # the view commits the session here, as ever
       return redirect(url_for("organizer.job", job_id=job.id), 303)

3. From the command line: `flask run-job contracts.print --edition CIC8-NB -p fmt=pdf --out DIR`, or in
   code `run_in_terminal("contracts.print", params, edition=edition, out=Path(DIR))` (then commit).
"""
from __future__ import annotations

from .context import JobContext
from .lifecycle import retry, submit
from .listing import failure, job_by_id, recent, result_path, summary
from .registry import register
from .terminal import run_in_terminal

__all__ = ["JobContext", "failure", "job_by_id", "recent", "register", "result_path", "retry", "run_in_terminal",
           "submit", "summary"]

"""Bulk jobs: a JSON Lines file of API calls, run by one process or by taskiq workers.

``python -m talon_async bulk run JOB.jsonl`` (or :func:`run_job`) runs a job in one
process; with ``--broker`` it is spread over ``python -m talon_async worker`` processes
(see :mod:`talon_async.bulk.taskiq`, which needs ``talon-async[taskiq]``). What they
guarantee, and what a crash, a full disk or a lost Redis costs: docs/bulk-guarantees.md.
"""

from ._job import JobError, JobLine, LineError, LineProblem, parse_line
from ._runner import CheckpointError, JobRunning, Summary, run_job

__all__ = [
    "CheckpointError",
    "JobError",
    "JobLine",
    "JobRunning",
    "LineError",
    "LineProblem",
    "Summary",
    "parse_line",
    "run_job",
]

"""Bulk jobs: a JSON Lines file of API calls, run by one process or by taskiq workers.

``python -m talon_async bulk run JOB.jsonl`` (or :func:`run_job`) runs a job in one
process; with ``--broker redis://...`` it is spread over ``python -m talon_async worker``
processes (see :mod:`talon_async.bulk.taskiq`, which needs ``talon-async[taskiq]``).
"""

from ._job import JobError, JobLine, LineError, LineProblem, parse_line
from ._runner import CheckpointError, Summary, run_job

__all__ = [
    "CheckpointError",
    "JobError",
    "JobLine",
    "LineError",
    "LineProblem",
    "Summary",
    "parse_line",
    "run_job",
]

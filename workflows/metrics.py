"""What `GET /metrics` shows, defined once where both `bot` and `workflows` can count into it.

Counters live in prometheus_client's process-wide registry (with its process and Python collectors: memory, CPU,
open files); what needs the database (the intake backlog, the job lag) is read when Prometheus scrapes, by
`JobsCollector`, in one query on the jobs table's (status, run_at) index. README, "Metrics and logs", lists them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, disable_created_metrics
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from storage.db import Database
from storage.models import Job, utcnow

log = logging.getLogger(__name__)

# One sample per counter: the `_created` series double what is scraped and say nothing an operator asks.
disable_created_metrics()

# Slack's limit for an acknowledgement is 3 s; the buckets are dense below it.
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
INTAKE_KIND = "slack_event"  # `workflows.jobs.queue.JobKind.slack_event`, not imported: the queue counts here

EVENTS_RECEIVED = Counter(
    "journeybot_slack_events_received",
    "Signed requests from Slack that were read: Events API events by event type, commands, interactions by type.",
    ["kind", "type"],
)
EVENTS_ACKNOWLEDGED = Counter(
    "journeybot_slack_events_acknowledged",
    "Requests from Slack answered with HTTP 2xx (an event is stored first, a command or interaction done first).",
    ["kind", "type"],
)
ACK_SECONDS = Histogram(
    "journeybot_slack_ack_seconds",
    "From a request's arrival at /slack/events to its HTTP response (Slack gives up after 3 s).",
    ["kind"],
    buckets=ACK_BUCKETS,
)
JOB_FAILURES = Counter("journeybot_job_failures", "Job runs that raised (each is retried with a backoff).", ["kind"])
JOBS_GIVEN_UP = Counter("journeybot_jobs_given_up", "Jobs that failed their last attempt and stay failed.", ["kind"])
SLACK_API_CALLS = Counter(
    "journeybot_slack_api_calls", "HTTP requests to Slack's Web API, each retry counted, by method.", ["method"]
)
SLACK_API_ERRORS = Counter(
    "journeybot_slack_api_errors",
    "Web API requests that failed: ok=false (Slack's error code), an HTTP error (http_500) or no answer at all.",
    ["method", "error"],
)
SLACK_API_RATE_LIMITED = Counter(
    "journeybot_slack_api_rate_limited", "Web API requests Slack answered 429 (retried after Retry-After).", ["method"]
)
LLM_CALLS = Counter(
    "journeybot_llm_calls",
    "LLM answers (cached=false) and reuses of a cached answer (cached=true).",
    ["task", "model", "cached"],
)
LLM_PROMPT_TOKENS = Counter("journeybot_llm_prompt_tokens", "Prompt tokens sent to the LLM.", ["model"])
LLM_COMPLETION_TOKENS = Counter("journeybot_llm_completion_tokens", "Completion tokens from the LLM.", ["model"])
LLM_COST = Counter(
    "journeybot_llm_estimated_cost_usd",
    "Estimated LLM spend at list prices (models without a known price add 0).",
    ["model"],
)
LLM_FALLBACKS = Counter(
    "journeybot_llm_fallbacks", "Times the LLM gave no usable answer and the embedded engine was used.", ["task"]
)

# Names as Slack and model servers spell them: "chat.postMessage", "gpt-4o-mini", "llama3.1:8b", "org/model".
_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/@+-]{0,99}")


def label(value: object) -> str:
    """A label value as it came (an event type, a method, an error code, a model) when it looks like a name, else
    "other": each value becomes a series of its own, so nothing unbounded or odd may become one."""
    text = str(value) if value is not None else ""
    return text if _LABEL.fullmatch(text) else "other"


class JobsCollector(Collector):
    """The intake backlog and the job lag, read from the database at each scrape (one grouped query)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self) -> Iterator[Metric]:
        try:
            with self.db.session() as session:
                rows = session.execute(
                    select(Job.kind, Job.status, func.count(), func.min(Job.run_at))
                    .where(Job.status.in_(("pending", "running")))
                    .group_by(Job.kind, Job.status)
                ).all()
        except SQLAlchemyError:  # the counters are still worth a scrape; an absent gauge says the database is down
            log.warning("metrics: could not read the jobs table", exc_info=True)
            return
        now = utcnow()
        backlog = sum(count for kind, _status, count, _first in rows if kind == INTAKE_KIND)
        yield GaugeMetricFamily(
            "journeybot_intake_backlog", "Slack events stored and not yet handled (pending or running).", value=backlog
        )
        lag = GaugeMetricFamily(
            "journeybot_job_lag_seconds",
            "Age of the oldest job that is due and not yet claimed (0 when none is): how far behind the workers are.",
            labels=["lane"],
        )
        for lane in ("intake", "jobs"):
            # The earliest pending run_at is the oldest due job's when it is past; a later one is only scheduled.
            first = min(
                (
                    run_at
                    for kind, status, _count, run_at in rows
                    if status == "pending" and run_at is not None and (kind == INTAKE_KIND) == (lane == "intake")
                ),
                default=now,
            )
            lag.add_metric([lane], max((now - first).total_seconds(), 0.0))
        yield lag


class _Shared(Collector):
    """The process-wide counters, so one registry per server holds them and that server's database gauges."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def scrape_registry(db: Database) -> CollectorRegistry:
    """What one running bot serves at `/metrics`: the shared counters plus its own database's gauges."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Shared())
    registry.register(JobsCollector(db))
    return registry

"""microreach's own Prometheus metrics, read from the database at scrape time.

Jobs run in worker processes, possibly on other machines: counting them in the web process would see
none of it. The ``Job`` rows are the record of all work, so queue depth, failures and durations are read
from them (and the broker's own queue length from Huey) whenever /metrics is scraped.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta

from django.utils import timezone
from prometheus_client.core import GaugeHistogramMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from microreach.web.jobs import contracts as jobs_contracts

log = logging.getLogger("microreach.ops")

DURATION_BUCKETS = (1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)
DURATION_WINDOW = timedelta(hours=24)
DURATION_ROWS = 20_000


class JobsCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        jobs = GaugeMetricFamily(
            "microreach_jobs", "Background jobs recorded, by kind and state", labels=["kind", "state"]
        )
        depth = GaugeMetricFamily(
            "microreach_job_queue_depth",
            "Jobs waiting or running (pending + running), by kind",
            labels=["kind"],
        )
        failed = GaugeMetricFamily(
            "microreach_jobs_failed", "Jobs that failed all their attempts, by kind", labels=["kind"]
        )
        waiting: dict[str, int] = defaultdict(int)
        failures: dict[str, int] = defaultdict(int)
        for kind, state, n in jobs_contracts.job_counts_by_kind_and_state():
            jobs.add_metric([kind, state], n)
            if state in ("pending", "running"):
                waiting[kind] += n
            if state == "failed":
                failures[kind] += n
        for kind, n in sorted(waiting.items()):
            depth.add_metric([kind], n)
        for kind, n in sorted(failures.items()):
            failed.add_metric([kind], n)
        yield jobs
        yield depth
        yield failed
        yield self._durations()
        yield self._broker()

    def _durations(self) -> Metric:
        """Run time of the jobs finished in the last 24 hours (audits are kind ``audits.refresh``)."""
        by_kind: dict[str, list[float]] = defaultdict(list)
        since = timezone.now() - DURATION_WINDOW
        for kind, seconds in jobs_contracts.job_run_seconds_since(since=since, limit=DURATION_ROWS):
            by_kind[kind].append(seconds)
        family = GaugeHistogramMetricFamily(
            "microreach_job_duration_seconds",
            "Run time of the jobs finished in the last 24 hours, by kind (audits: audits.refresh)",
            labels=["kind"],
        )
        for kind, durations in sorted(by_kind.items()):
            buckets = [(str(b), sum(1 for d in durations if d <= b)) for b in DURATION_BUCKETS]
            buckets.append(("+Inf", len(durations)))
            family.add_metric([kind], buckets, gsum_value=sum(durations))
        return family

    def _broker(self) -> Metric:
        from huey.contrib.djhuey import HUEY

        gauge = GaugeMetricFamily("microreach_broker_queue_length", "Messages waiting in the task broker")
        try:
            gauge.add_metric([], HUEY.pending_count())
        except Exception:  # an unreachable broker shows as a missing sample; /readyz says why
            log.warning("broker queue length unavailable", exc_info=True)
        return gauge

"""gunicorn's configuration for the production server (``gunicorn -c python:microreach.web.ops.gunicorn_conf``).

Values come from the environment through ``web/environment.py`` like everything else.
"""

from __future__ import annotations

from typing import Any

from microreach.web.environment import CONFIG

wsgi_app = "microreach.web.wsgi:application"
bind = CONFIG.web_bind
workers = CONFIG.web_workers
worker_class = "gthread"
threads = CONFIG.web_threads
timeout = 60
graceful_timeout = 20
# Each request is logged once, as JSON with its request id, by RequestIdMiddleware.
accesslog = None
errorlog = "-"
# Load the application before forking: a settings error (no MICROREACH_SECRET_KEY…) stops the server at
# once with its message instead of workers failing to boot one after another.
preload_app = True
# gunicorn's control socket defaults to one path per user (~/.gunicorn): two stacks on one machine (or a
# read-only home in a container) would collide. Nothing of ours uses it.
control_socket_disable = True


def child_exit(server: Any, worker: Any) -> None:
    """With several workers, /metrics adds up what each process wrote; a dead worker's live gauges go."""
    if CONFIG.prometheus_multiproc_dir:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

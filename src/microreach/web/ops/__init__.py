"""Operating microreach: liveness and readiness probes, Prometheus metrics, JSON logs with request ids,
optional Sentry, and the gunicorn configuration of the production stack."""

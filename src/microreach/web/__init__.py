"""The Django project: storage, API, web UI and tasks, one app per bounded context."""

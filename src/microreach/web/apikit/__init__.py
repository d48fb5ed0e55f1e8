"""Shared plumbing of the REST API that every app's ``api.py`` may use: one page shape
(``apikit.pagination``), the base of every input schema (``apikit.schemas``: unknown fields refused) and
the authentication and throttling of every endpoint (``apikit.auth``).

Not an app: it holds no models and imports no app but ``accounts.contracts`` (for the token's tenant).
"""

"""Shared plumbing of the REST API that every app's ``api.py`` may use: one page shape
(``apikit.pagination``) and the authentication and throttling of every endpoint (``apikit.auth``).

Not an app: it holds no models and imports no app but ``accounts.contracts`` (for the token's tenant).
"""

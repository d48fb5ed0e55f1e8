"""The load test's settings (``run_load.py`` puts this folder on PYTHONPATH for gunicorn and the worker).

The base settings (DEBUG off unless MICROREACH_DEBUG) with the API's per-user rate limit raised: every
scripted API client is the same demo user, and the limit (600 a minute) is a policy, not what is measured.
"""

from microreach.web.settings import *  # noqa: F403
from microreach.web.settings import MICROREACH

MICROREACH = {**MICROREACH, "API_RATE_LIMIT_PER_MINUTE": 1_000_000}

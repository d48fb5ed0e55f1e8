"""The load test's settings (``run_load.py`` puts this folder on PYTHONPATH for gunicorn and the worker).

The base settings (DEBUG off unless MICROREACH_DEBUG) with the API's per-user rate limit raised: every
scripted API client is the same demo user, and the limit (600 a minute) is a policy, not what is measured.
``MICROREACH_RANKED_IDS_SECONDS`` (``run_load.py --ranked-ids-seconds``): how long a ranked search's first ids
are kept for its next pages (``discovery.ranked_cache``; 120 s by default).
"""

import os

from microreach.web.settings import *  # noqa: F403
from microreach.web.settings import MICROREACH

MICROREACH = {**MICROREACH, "API_RATE_LIMIT_PER_MINUTE": 1_000_000}
if os.environ.get("MICROREACH_RANKED_IDS_SECONDS"):
    MICROREACH["RANKED_IDS_SECONDS"] = int(os.environ["MICROREACH_RANKED_IDS_SECONDS"])

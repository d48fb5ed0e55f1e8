"""Links written by people (a profile's link, a post's permalink, a draft's media link): only absolute
http(s) URLs are links.

Anything else — ``javascript:``, ``data:``, ``vbscript:``, a relative path, a scheme hidden behind spaces
or control characters — would run or navigate somewhere unexpected when rendered as ``<a href>``. This
is the one rule for every entry (import files, forms, API) and every page that renders a link: the
pattern serves polars (import validation) and Python alike.
"""

from __future__ import annotations

import re

# Scheme http or https (any case; no inline flag, so that JSON Schema regexes read it too), a host without spaces, controls or URL delimiters, then an optional
# path / query / fragment without spaces, controls, quotes or angle brackets.
HTTP_URL_PATTERN = r'^[Hh][Tt][Tt][Pp][Ss]?://[^\x00-\x20\x7f/?#\\"<>]+(?:[/?#][^\x00-\x20\x7f"<>\\]*)?$'
_HTTP_URL = re.compile(HTTP_URL_PATTERN)


def is_http_url(value: object) -> bool:
    """True when ``value`` is an absolute http:// or https:// URL that is safe to put in an ``href``."""
    return isinstance(value, str) and _HTTP_URL.fullmatch(value) is not None

"""Clients of the networks' official APIs (YouTube Data + Analytics, Instagram Graph, TikTok Login Kit and
Display API): each returns the normalised records of ``base``. See docs/connectors.md."""

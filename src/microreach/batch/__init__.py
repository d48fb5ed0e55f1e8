"""Audits of many accounts at once: the same core functions, run over processes."""

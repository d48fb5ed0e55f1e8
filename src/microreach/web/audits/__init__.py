"""Stored audit results and population snapshots; the audit pages, API and jobs over ``microreach.core``."""

"""Versioned configuration data (YAML, with sources) and the loader that turns it into core's typed config."""

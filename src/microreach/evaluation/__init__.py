"""Evaluation and file-level commands around the pure core (I/O allowed here)."""

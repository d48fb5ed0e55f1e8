"""Pure domain logic of microreach: no Django, no I/O, no clock reads.

Functions take typed records (``microreach.core.records``) or columnar frames plus a population
snapshot, and return frozen dataclasses that carry their evidence.
"""

"""Pure domain logic of microreach: no Django, no I/O, no clock reads.

Functions take typed records (``microreach.core.records``) or columnar frames plus a population
snapshot, and return frozen dataclasses that carry their evidence.

Entry points: ``core.audit.audit_account`` (one account), ``core.population.build_population`` (the
snapshot: peer bands, commenter index, pods), ``core.disclosure.check_disclosure`` (campaign content
approval), ``core.engagement.engagements`` (the one definition of engagements), and
``core.authenticity.score_profiles`` (bulk follower scoring). Configuration objects are built from the
versioned files by ``microreach.config.loader.load_audit_config``. Definitions: docs/audit.md.
"""

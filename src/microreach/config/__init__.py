"""The engine's versioned knobs: YAML files with their sources (tiers, benchmarks, weights, EMV, FX...) and
the loaders that validate them into core's typed values (``core.audit_parameters.AuditConfig``, tier
presets, report tables). Deployment settings from the environment live in ``microreach.web.environment``."""

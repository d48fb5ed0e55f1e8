from __future__ import annotations

import pytest

from microreach.config.loader import load_audit_config
from microreach.core.audit_parameters import AuditConfig


@pytest.fixture(scope="session")
def config() -> AuditConfig:
    return load_audit_config()

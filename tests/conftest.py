from __future__ import annotations

import pytest
from django.test import Client

from tests import factories


@pytest.fixture
def brand_admin(db):
    return factories.member()


@pytest.fixture
def other_brand_admin(db):
    return factories.member()


@pytest.fixture
def creator(db):
    return factories.creator_user()


@pytest.fixture
def operator(db):
    return factories.user(staff=True)


@pytest.fixture
def client_for():
    def make(user) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return make

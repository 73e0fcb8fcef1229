from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from common.tests.factories import PASSWORD, TemplateFactory, UserFactory
from common.tests.fake_ai import FakeAiClient


@pytest.fixture(autouse=True)
def _isolate(settings):
    cache.clear()  # throttle counters
    FakeAiClient.reset()
    yield
    FakeAiClient.reset()


@pytest.fixture
def fake_ai() -> type[FakeAiClient]:
    return FakeAiClient


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


def login(client: APIClient, user) -> APIClient:
    response = client.post(
        "/api/v1/users/auth", {"email": user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")
    return client


@pytest.fixture
def auth_api(user) -> APIClient:
    return login(APIClient(), user)


@pytest.fixture
def other_api(other_user) -> APIClient:
    return login(APIClient(), other_user)


@pytest.fixture
def template(db):
    return TemplateFactory()


@pytest.fixture
def rates():
    """Lower one throttle rate for a test (DRF reads rates at class level)."""
    from rest_framework.throttling import SimpleRateThrottle

    old = SimpleRateThrottle.THROTTLE_RATES

    def set_rate(scope, rate):
        SimpleRateThrottle.THROTTLE_RATES = {**SimpleRateThrottle.THROTTLE_RATES, scope: rate}

    yield set_rate
    SimpleRateThrottle.THROTTLE_RATES = old


@pytest.fixture
def done_job(user, template, fake_ai):
    """A finished job of `user` (the auth_api client) with three faces (faces.tests.helpers.GROUP)."""
    from common.tests.factories import JobFactory
    from faces.tests.helpers import GROUP, run

    fake_ai.faces = [dict(f) for f in GROUP]
    job = JobFactory(owner=user, template=template)
    run(job)
    assert job.status == "done"
    return job

"""The per-email lock-out survives a flood of other keys, in the store `make run`
uses (a database table) and in the one compose and the stack use (Redis)."""

import os
import uuid

import pytest
from django.core.management import call_command
from django.test import override_settings

from common.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

FLOOD = 1000
REDIS_URL = os.environ.get("IGEMOJI_TEST_REDIS", "redis://127.0.0.1:6379/0")


def _login(api, email, password="wrong password", n=0):
    # Each flood request comes from its own address, as a botnet's would, so
    # the per-IP limit never stops it.
    return api.post(
        "/api/v1/users/auth", {"email": email, "password": password}, format="json",
        REMOTE_ADDR=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
    )


def _lock_then_flood(api, rates) -> int:
    rates("login_email", "5/min")
    user = UserFactory()
    for attempt in range(5):
        assert _login(api, user.email, n=100_000 + attempt).status_code == 401
    assert _login(api, user.email, n=100_010).status_code == 429
    for n in range(FLOOD):
        assert _login(api, f"flood{n}@example.org", n=n).status_code == 401
    return _login(api, user.email, n=100_020).status_code


def test_database_store_keeps_the_lock_through_a_flood(api, rates):
    caches = {
        "default": {
            "BACKEND": "common.cache.NonCullingDatabaseCache",
            "LOCATION": "igemoji_test_cache",
            "OPTIONS": {"MAX_ENTRIES": 300},  # Django's default: the flood goes far past it
        }
    }
    with override_settings(CACHES=caches):
        call_command("createcachetable", verbosity=0)
        assert _lock_then_flood(api, rates) == 429


def test_database_store_sweeps_only_expired_rows():
    import time

    from django.core.cache import caches

    caches_setting = {
        "default": {
            "BACKEND": "common.cache.NonCullingDatabaseCache",
            "LOCATION": "igemoji_test_cache_sweep",
            "OPTIONS": {"MAX_ENTRIES": 10},
        }
    }
    with override_settings(CACHES=caches_setting):
        call_command("createcachetable", verbosity=0)
        cache = caches["default"]
        for i in range(10):
            cache.set(f"short{i}", 1, timeout=1)
        for i in range(40):
            cache.set(f"live{i}", 1, timeout=300)
        assert all(cache.get(f"live{i}") == 1 for i in range(40))
        time.sleep(2.1)  # expiry times are stored to the second
        cache.set("trigger", 1, timeout=300)  # over MAX_ENTRIES: sweeps the expired ones
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM igemoji_test_cache_sweep")
            assert cursor.fetchone()[0] == 41


@pytest.fixture
def redis_cache():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("IGEMOJI_REQUIRE_SERVICES") == "1":
            pytest.fail(f"Redis at {REDIS_URL} does not answer: {exc}")
        pytest.skip(f"Redis at {REDIS_URL} does not answer: {exc}")
    prefix = f"igemoji-test-{uuid.uuid4().hex[:10]}"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=caches):
        yield
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_redis_store_keeps_the_lock_through_a_flood(api, rates, redis_cache):
    assert _lock_then_flood(api, rates) == 429

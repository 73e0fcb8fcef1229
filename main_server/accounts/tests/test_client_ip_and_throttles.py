"""Per-IP throttles count the real client: X-Forwarded-For only from a trusted proxy."""

import pytest
from django.test import RequestFactory

from common.client_ip import client_ip

pytestmark = pytest.mark.django_db


def _login(api, email, **extra):
    return api.post("/api/v1/users/auth", {"email": email, "password": "x" * 12}, format="json", **extra)


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.5", "1.2.3.4")) == "203.0.113.5"


def test_a_trusted_proxy_gives_the_address_it_saw(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The client wrote "1.2.3.4"; nginx (10.0.0.2) appended what it saw.
    assert client_ip(_request("10.0.0.2", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2", "192.168.1.1"]
    forwarded = "1.2.3.4, 198.51.100.7, 192.168.1.1"
    assert client_ip(_request("10.0.0.2", forwarded)) == "198.51.100.7"


def test_an_untrusted_sender_cannot_pose_as_a_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    assert client_ip(_request("203.0.113.5", "198.51.100.7")) == "203.0.113.5"


def test_a_proxy_named_by_host_name_is_resolved(settings):
    settings.TRUSTED_PROXIES = ["localhost"]
    assert client_ip(_request("127.0.0.1", "198.51.100.7")) == "198.51.100.7"
    assert client_ip(_request("203.0.113.5", "198.51.100.7")) == "203.0.113.5"


def test_garbage_in_the_header_falls_back_to_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    assert client_ip(_request("10.0.0.2", "not-an-ip")) == "10.0.0.2"


def test_rotating_x_forwarded_for_does_not_escape_the_login_limit(api, rates, settings):
    settings.TRUSTED_PROXIES = []
    rates("login_ip", "5/min")
    codes = [
        _login(api, f"u{i}@example.org", HTTP_X_FORWARDED_FOR=f"10.1.{i}.{i}").status_code for i in range(8)
    ]
    assert codes == [401] * 5 + [429] * 3


def test_behind_a_trusted_proxy_the_spoofed_part_is_ignored(api, rates, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    rates("login_ip", "3/min")
    proxied = {"REMOTE_ADDR": "127.0.0.1"}
    codes = [
        _login(api, f"u{i}@example.org", HTTP_X_FORWARDED_FOR=f"9.9.9.{i}, 198.51.100.7", **proxied).status_code
        for i in range(5)
    ]
    assert codes == [401] * 3 + [429] * 2
    # Another real client behind the same proxy has its own count.
    other = _login(api, "v@example.org", HTTP_X_FORWARDED_FOR="198.51.100.8", **proxied)
    assert other.status_code == 401


def test_the_availability_check_is_throttled_per_ip(api, rates):
    rates("availability", "5/min")
    codes = [
        api.get("/api/v1/users/", {"case": "alias", "value": f"name{i}"}).status_code for i in range(7)
    ]
    assert codes == [200] * 5 + [429] * 2
    assert api.get("/api/v1/users/", {"case": "alias", "value": "x1"}, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_sign_up_is_throttled_per_ip_whatever_the_header_says(api, rates):
    rates("signup", "2/hour")
    codes = [
        api.post(
            "/api/v1/users/",
            {"email": f"s{i}@example.org", "password": "a long passphrase 42", "alias": f"s{i}x"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"10.2.0.{i}",
        ).status_code
        for i in range(4)
    ]
    assert codes == [201, 201, 429, 429]

import pytest
from rest_framework.test import APIClient

from common.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(api, email, password=PASSWORD, **extra):
    return api.post("/api/v1/users/auth", {"email": email, "password": password}, format="json", **extra)


def test_login_returns_tokens_and_user(api, user):
    response = _login(api, user.email.upper())
    assert response.status_code == 200
    body = response.json()
    assert body["user"] == {"id": user.id, "alias": user.alias}
    assert body["access_token"] and body["refresh_token"]


def test_wrong_password_and_unknown_email_get_the_same_401(api, user):
    wrong = _login(api, user.email, "wrong password here")
    unknown = _login(api, "nobody@example.org")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "invalid_credentials"


def test_inactive_user_cannot_log_in(api):
    user = UserFactory(is_active=False)
    assert _login(api, user.email).status_code == 401


def test_protected_endpoint_needs_a_token(api):
    response = api.get("/api/v1/users/mypage/result")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_bad_token_is_401_json(api):
    api.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")
    response = api.get("/api/v1/users/mypage/result")
    assert response.status_code == 401
    assert "error" in response.json()


def test_refresh_rotates_and_blacklists_the_old_token(api, user):
    refresh = _login(api, user.email).json()["refresh_token"]
    first = api.post("/api/v1/users/auth/refresh", {"refresh_token": refresh}, format="json")
    assert first.status_code == 200
    body = first.json()
    assert body["access_token"] and body["refresh_token"] != refresh
    again = api.post("/api/v1/users/auth/refresh", {"refresh_token": refresh}, format="json")
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "refresh_token_reused"


def test_new_access_token_works(user):
    client = APIClient()
    refresh = _login(client, user.email).json()["refresh_token"]
    access = client.post("/api/v1/users/auth/refresh", {"refresh_token": refresh}, format="json").json()[
        "access_token"
    ]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert client.get("/api/v1/users/mypage/result").status_code == 200


def test_logout_blacklists_the_refresh_token(api, user):
    refresh = _login(api, user.email).json()["refresh_token"]
    assert api.post("/api/v1/users/auth/logout", {"refresh_token": refresh}, format="json").status_code == 204
    response = api.post("/api/v1/users/auth/refresh", {"refresh_token": refresh}, format="json")
    assert response.status_code == 401


def test_refresh_with_garbage_is_401(api):
    response = api.post("/api/v1/users/auth/refresh", {"refresh_token": "garbage"}, format="json")
    assert response.status_code == 401


def test_login_is_throttled_per_email_with_retry_after(api, user, rates):
    rates("login_email", "3/min")
    for _ in range(3):
        assert _login(api, user.email, "wrong password").status_code == 401
    blocked = _login(api, user.email)
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert blocked.json()["error"]["code"] == "throttled"
    # Another account from the same client is not locked out.
    other = UserFactory()
    assert _login(api, other.email).status_code == 200


def test_login_lockout_expires_by_itself(api, user, rates, monkeypatch):
    import time

    rates("login_email", "2/min")
    for _ in range(2):
        _login(api, user.email, "wrong password")
    assert _login(api, user.email).status_code == 429
    real = time.time
    monkeypatch.setattr("rest_framework.throttling.SimpleRateThrottle.timer", lambda self: real() + 61)
    assert _login(api, user.email).status_code == 200


def test_login_is_throttled_per_ip(api, rates):
    rates("login_ip", "4/min")
    codes = [_login(api, f"u{i}@example.org").status_code for i in range(5)]
    assert codes == [401, 401, 401, 401, 429]
    # A different client address is not affected.
    assert _login(api, "u9@example.org", REMOTE_ADDR="10.0.0.9").status_code == 401


def test_system_user_cannot_log_in(api):
    from emojis.builtin import system_user_get_or_create

    user = system_user_get_or_create()
    assert _login(api, user.email, "").status_code in (400, 401)


def test_a_json_body_that_is_not_an_object_is_a_400_not_a_crash(api):
    response = api.post("/api/v1/users/auth", [None, None], format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_a_form_encoded_body_is_415(api, user):
    # JSON in (the schema lists only application/json for this operation)
    response = api.post("/api/v1/users/auth", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"

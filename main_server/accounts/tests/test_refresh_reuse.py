"""Refresh-token reuse: presenting a rotated token revokes every refresh token of the user."""

import pytest
from rest_framework.test import APIClient

from common.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(user) -> dict:
    response = APIClient().post("/api/v1/users/auth", {"email": user.email, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    return response.json()


def _refresh(token: str):
    return APIClient().post("/api/v1/users/auth/refresh", {"refresh_token": token}, format="json")


def test_a_reused_token_revokes_the_whole_family_and_other_sessions(user, other_user):
    laptop = _login(user)["refresh_token"]
    phone = _login(user)["refresh_token"]
    bystander = _login(other_user)["refresh_token"]

    rotated = _refresh(laptop)
    assert rotated.status_code == 200
    newest = rotated.json()["refresh_token"]
    newer_still = _refresh(newest).json()["refresh_token"]

    stolen = _refresh(laptop)  # the thief (or the victim) replays the first token
    assert stolen.status_code == 401
    assert stolen.json()["error"]["code"] == "refresh_token_reused"

    for token in (newest, newer_still, phone):
        response = _refresh(token)
        assert response.status_code == 401, token
        assert response.json()["error"]["code"] in ("token_not_valid", "refresh_token_reused")
    assert _refresh(bystander).status_code == 200  # another user is not touched


def test_after_revocation_a_new_login_works(user):
    first = _login(user)["refresh_token"]
    _refresh(first)
    assert _refresh(first).status_code == 401
    fresh = _login(user)["refresh_token"]
    assert _refresh(fresh).status_code == 200


def test_a_logged_out_token_is_refused_without_revoking_other_sessions(user):
    tab = _login(user)["refresh_token"]
    phone = _login(user)["refresh_token"]
    assert APIClient().post("/api/v1/users/auth/logout", {"refresh_token": tab}, format="json").status_code == 204
    response = _refresh(tab)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_not_valid"
    assert _refresh(phone).status_code == 200


def test_an_access_token_is_not_a_refresh_token(user):
    access = _login(user)["access_token"]
    response = _refresh(access)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_not_valid"


@pytest.mark.filterwarnings("ignore:The HMAC key")
def test_a_token_signed_with_another_key_is_refused(user):
    import jwt

    forged = jwt.encode(
        {"token_type": "refresh", "jti": "x" * 32, "user_id": user.id, "exp": 4102444800},
        "change-me",
        algorithm="HS256",
    )
    response = _refresh(forged)
    assert response.status_code == 401 and response.json()["error"]["code"] == "token_not_valid"


def test_the_system_user_never_gets_tokens():
    from rest_framework_simplejwt.tokens import RefreshToken

    from emojis.builtin import system_user_get_or_create

    token = str(RefreshToken.for_user(system_user_get_or_create()))
    assert _refresh(token).status_code == 401


def test_an_access_token_for_the_system_user_is_refused(template):
    from rest_framework_simplejwt.tokens import AccessToken

    from emojis.builtin import system_user_get_or_create

    system = system_user_get_or_create()
    template.owner = system
    template.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(system)}")
    response = client.delete(f"/api/v1/emojis/{template.id}")
    assert response.status_code == 401 and response.json()["error"]["code"] == "token_not_valid"
    template.refresh_from_db()
    assert template.is_active

import pytest

from accounts.models import User
from common.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "New@Example.org", "password": PASSWORD, "alias": "newbie"}


def test_signup_creates_user_with_lowercased_email_and_bcrypt_hash(api, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.BCryptSHA256PasswordHasher"]
    response = api.post("/api/v1/users/", SIGNUP, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "new@example.org" and body["alias"] == "newbie" and body["id"]
    user = User.objects.get()
    assert user.password.startswith("bcrypt_sha256$")
    assert user.check_password(PASSWORD)


def test_signup_duplicate_email_any_case_is_409_email_taken(api):
    UserFactory(email="new@example.org")
    response = api.post("/api/v1/users/", SIGNUP, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "email_taken"
    assert User.objects.count() == 1


def test_signup_duplicate_alias_any_case_is_409_alias_taken(api):
    UserFactory(alias="NEWBIE")
    response = api.post("/api/v1/users/", SIGNUP, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "alias_taken"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"password": "12345678"}, "password"),
        ({"password": "short"}, "password"),
        ({"alias": "x"}, "alias"),
        ({"alias": "a" * 21}, "alias"),
        ({"alias": "bad alias!"}, "alias"),
        ({"email": "not-an-email"}, "email"),
        ({"email": None}, "email"),
    ],
)
def test_signup_invalid_input_is_400_naming_the_field(api, change, field):
    response = api.post("/api/v1/users/", {**SIGNUP, **change}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert field in error["fields"]
    assert User.objects.count() == 0


def test_password_similar_to_email_is_refused(api):
    response = api.post(
        "/api/v1/users/", {**SIGNUP, "email": "lighthouse42@example.org", "password": "lighthouse42"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "weak_password"


def test_availability_email_and_alias(api):
    UserFactory(email="taken@example.org", alias="taken")
    get = lambda case, value: api.get("/api/v1/users/", {"case": case, "value": value})  # noqa: E731
    assert get("email", "TAKEN@example.org").json() == {"available": False}
    assert get("email", "free@example.org").json() == {"available": True}
    assert get("alias", "Taken").json() == {"available": False}
    assert get("alias", "freebie").json() == {"available": True}
    assert get("alias", "x").json() == {"available": False}  # not a valid alias
    # not a valid email: not available either (the query itself is well-formed)
    assert get("email", "nope").json() == {"available": False}


@pytest.mark.parametrize("params", [{"case": "phone", "value": "1"}, {"case": "alias"}, {}])
def test_availability_bad_query_is_400(api, params):
    response = api.get("/api/v1/users/", params)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize(
    "field, value",
    [("alias", 12345), ("password", 1.5e300), ("email", ["a@example.org"]), ("alias", " padded")],
)
def test_sign_up_takes_strings_as_they_are(api, field, value):
    # a number is not a string, and nothing is trimmed: the schema's limits are the real ones
    body = {"email": "n@example.org", "password": "a long passphrase 42", "alias": "newbie", field: value}
    response = api.post("/api/v1/users/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]

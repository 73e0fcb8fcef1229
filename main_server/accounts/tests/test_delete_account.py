"""DELETE /users/me: the account and everything it owns go; a wrong password deletes nothing."""

import pytest
from django.core.files.storage import default_storage
from rest_framework.test import APIClient

from accounts.models import User
from common.tests.factories import PASSWORD, JobFactory, TemplateFactory
from conftest import login
from emojis.models import EmojiTemplate
from faces.models import Job, ShareLink
from faces.tasks import job_process_task
from faces.tests.helpers import run

pytestmark = pytest.mark.django_db


def _delete_me(client, password=PASSWORD):
    return client.delete("/api/v1/users/me", {"password": password}, format="json")


def _files(job) -> list[str]:
    return [job.input_image.name, job.result_image.name]


@pytest.fixture
def owned(user, auth_api, done_job):
    """What the user owns: a shared result, a re-render of it, a template another user used."""
    share_url = auth_api.post(f"/api/v1/faces/tasks/{done_job.id}/share").json()["share_url"]
    rerender = Job.objects.get(
        pk=auth_api.post(f"/api/v1/faces/tasks/{done_job.id}/rerender", {"overrides": {"0": "sad"}}, format="json")
        .json()["task_id"]
    )
    run(rerender)
    template = TemplateFactory(owner=user, name="Mine")
    return {"jobs": [done_job, rerender], "share_url": share_url, "template": template}


def test_a_wrong_password_is_400_and_deletes_nothing(user, auth_api, owned):
    response = _delete_me(auth_api, "not my password")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "wrong_password"
    assert "password" in response.json()["error"]["fields"]
    assert User.objects.filter(pk=user.pk).exists() and Job.objects.filter(owner=user).count() == 2
    assert all(default_storage.exists(n) for job in owned["jobs"] for n in _files(job))
    assert EmojiTemplate.objects.get(pk=owned["template"].pk).is_active
    assert APIClient().get(owned["share_url"]).status_code == 200
    assert auth_api.get("/api/v1/users/mypage/result").status_code == 200  # still signed in


def test_a_missing_password_is_400(auth_api):
    response = auth_api.delete("/api/v1/users/me", {}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "validation_error"


def test_without_a_token_is_401(api):
    assert _delete_me(api).status_code == 401


def test_the_account_jobs_files_and_share_links_are_gone(user, auth_api, owned):
    files = [n for job in owned["jobs"] for n in _files(job)]
    assert _delete_me(auth_api).status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Job.objects.filter(pk__in=[j.pk for j in owned["jobs"]]).exists()
    assert not ShareLink.objects.exists()
    assert not any(default_storage.exists(name) for name in files)
    assert APIClient().get(owned["share_url"]).status_code == 404


def test_tokens_stop_working_at_once_and_login_fails(user, auth_api, owned):
    login_body = APIClient().post(
        "/api/v1/users/auth", {"email": user.email, "password": PASSWORD}, format="json"
    ).json()
    assert _delete_me(auth_api).status_code == 204
    assert auth_api.get("/api/v1/users/mypage/result").status_code == 401  # the access token in use
    other_session = APIClient()
    other_session.credentials(HTTP_AUTHORIZATION=f"Bearer {login_body['access_token']}")
    assert other_session.get("/api/v1/users/mypage/result").status_code == 401
    refresh = APIClient().post("/api/v1/users/auth/refresh", {"refresh_token": login_body["refresh_token"]},
                               format="json")
    assert refresh.status_code == 401
    again = APIClient().post("/api/v1/users/auth", {"email": user.email, "password": PASSWORD}, format="json")
    assert again.status_code == 401


def test_media_links_handed_out_before_are_404(auth_api, owned):
    detail = auth_api.get(f"/api/v1/faces/tasks/{owned['jobs'][0].id}").json()
    assert APIClient().get(detail["result"]["image_url"]).status_code == 200
    assert _delete_me(auth_api).status_code == 204
    assert APIClient().get(detail["result"]["image_url"]).status_code == 404
    assert APIClient().get(detail["input_url"]).status_code == 404


def test_templates_are_soft_deleted_and_other_peoples_results_still_open(auth_api, other_user, other_api, owned):
    template = owned["template"]
    theirs = JobFactory(owner=other_user, template=template)
    run(theirs)
    assert _delete_me(auth_api).status_code == 204
    template.refresh_from_db()
    assert not template.is_active and template.owner is None
    assert default_storage.exists(template.images.get(emotion="happy").cutout.name)  # their re-renders need it
    body = other_api.get(f"/api/v1/faces/tasks/{theirs.id}").json()
    assert body["status"] == "done" and body["template"]["name"] == "Mine"
    assert other_api.get(body["result"]["image_url"]).status_code == 200
    assert APIClient().get(f"/api/v1/emojis/{template.id}").status_code == 404  # gone from the gallery


def test_the_email_and_alias_can_be_registered_again(user, auth_api):
    email, alias = user.email, user.alias
    assert _delete_me(auth_api).status_code == 204
    response = APIClient().post(
        "/api/v1/users/", {"email": email, "alias": alias, "password": "An0ther-long-passw0rd"}, format="json"
    )
    assert response.status_code == 201


def test_other_users_keep_everything(auth_api, other_user, other_api, owned, template):
    theirs = JobFactory(owner=other_user, template=template)
    run(theirs)
    assert _delete_me(auth_api).status_code == 204
    theirs.refresh_from_db()
    assert theirs.status == "done" and all(default_storage.exists(n) for n in _files(theirs))
    assert other_api.get("/api/v1/users/mypage/result").json()["count"] == 1


def test_a_job_running_while_the_account_goes_stores_nothing(user, auth_api, template, fake_ai, monkeypatch):
    # The worker is inside the AI call when the owner deletes the account.
    job = JobFactory(owner=user, template=template)
    compose = fake_ai.compose

    def compose_while_deleting(self, **kwargs):
        answer = compose(self, **kwargs)
        assert _delete_me(login(APIClient(), user)).status_code == 204
        return answer

    monkeypatch.setattr(fake_ai, "compose", compose_while_deleting)
    assert job_process_task.apply(args=[str(job.id)]).successful()
    assert not Job.objects.filter(pk=job.pk).exists()
    assert not default_storage.exists(f"jobs/{job.id}/result.jpg")


def test_password_guesses_are_throttled_with_the_logins(user, auth_api, settings):
    limited = 0
    for _ in range(12):
        limited += _delete_me(auth_api, "guess").status_code == 429
    assert limited > 0
    assert User.objects.filter(pk=user.pk).exists()

"""Share a result: a public page with the result image and the template's name."""

import re
from urllib.parse import urlparse

import pytest
from rest_framework.test import APIClient

from common.tests.factories import JobFactory
from faces.models import Job, ShareLink
from faces.services import jobs_expire

pytestmark = pytest.mark.django_db


def _share(client, job_id):
    return client.post(f"/api/v1/faces/tasks/{job_id}/share")


def _path(url: str) -> str:
    return urlparse(url).path


def _image_path(page_html: str) -> str:
    return _path(re.search(r'<img src="([^"]+)"', page_html).group(1))


def test_share_is_201_with_a_public_page_showing_the_result_and_template(auth_api, done_job):
    response = _share(auth_api, done_job.id)
    assert response.status_code == 201, response.content
    url = response.json()["share_url"]
    assert url.startswith("http://testserver/s/")
    page = APIClient().get(_path(url))  # nobody logged in
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert done_job.template.name in html
    assert 'alt="Shared result"' in html
    image = APIClient().get(_image_path(html))
    assert image.status_code == 200
    with done_job.result_image.open("rb") as fh:
        assert b"".join(image.streaming_content) == fh.read()


def test_the_page_shows_neither_the_photo_nor_the_owner_nor_a_media_link(auth_api, done_job):
    html = APIClient().get(_path(_share(auth_api, done_job.id).json()["share_url"])).content.decode()
    assert "/api/v1/media/" not in html and "input" not in html
    assert done_job.owner.alias not in html and done_job.owner.email not in html


def test_the_page_is_not_indexed_cached_or_leaked_by_referrer(auth_api, done_job):
    page = APIClient().get(_path(_share(auth_api, done_job.id).json()["share_url"]))
    assert "noindex" in page["X-Robots-Tag"]
    assert page["Cache-Control"] == "no-store"
    assert page["Referrer-Policy"] == "no-referrer"


def test_the_page_speaks_korean_to_a_korean_browser(auth_api, done_job):
    path = _path(_share(auth_api, done_job.id).json()["share_url"])
    html = APIClient().get(path, HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9,en;q=0.8").content.decode()
    assert '<html lang="ko">' in html and "템플릿으로 만들었어요" in html


def test_sharing_twice_gives_the_same_link(auth_api, done_job):
    first = _share(auth_api, done_job.id).json()["share_url"]
    again = _share(auth_api, done_job.id)
    assert again.status_code == 200 and again.json()["share_url"] == first


def test_the_job_says_whether_and_where_it_is_shared(auth_api, done_job):
    assert auth_api.get(f"/api/v1/faces/tasks/{done_job.id}").json()["share_url"] is None
    url = _share(auth_api, done_job.id).json()["share_url"]
    assert auth_api.get(f"/api/v1/faces/tasks/{done_job.id}").json()["share_url"] == url


def test_after_unsharing_the_page_and_its_image_are_404(auth_api, done_job):
    url = _share(auth_api, done_job.id).json()["share_url"]
    image = _image_path(APIClient().get(_path(url)).content.decode())
    response = auth_api.delete(f"/api/v1/faces/tasks/{done_job.id}/share")
    assert response.status_code == 204
    gone = APIClient().get(_path(url))
    assert gone.status_code == 404 and "no longer shared" in gone.content.decode()
    assert APIClient().get(image).status_code == 404
    assert auth_api.get(f"/api/v1/faces/tasks/{done_job.id}").json()["share_url"] is None
    assert ShareLink.objects.count() == 0


def test_sharing_again_makes_a_new_link_and_the_old_one_stays_dead(auth_api, done_job):
    old = _share(auth_api, done_job.id).json()["share_url"]
    auth_api.delete(f"/api/v1/faces/tasks/{done_job.id}/share")
    new = _share(auth_api, done_job.id).json()["share_url"]
    assert new != old
    assert APIClient().get(_path(old)).status_code == 404
    assert APIClient().get(_path(new)).status_code == 200


def test_unsharing_what_is_not_shared_is_204(auth_api, done_job):
    assert auth_api.delete(f"/api/v1/faces/tasks/{done_job.id}/share").status_code == 204


def test_links_cannot_be_guessed(auth_api, user, template, done_job):
    token = _path(_share(auth_api, done_job.id).json()["share_url"]).rsplit("/", 1)[1]
    assert len(token) >= 43  # 32 random bytes
    other = JobFactory(owner=user, template=template)
    Job.objects.filter(pk=other.pk).update(status="done", result_image=done_job.result_image.name)
    other_token = _path(_share(auth_api, other.id).json()["share_url"]).rsplit("/", 1)[1]
    assert other_token != token
    assert APIClient().get(f"/s/{'A' * 43}").status_code == 404
    assert APIClient().get(f"/s/{'A' * 43}/image").status_code == 404


def test_someone_elses_job_cannot_be_shared_or_unshared(auth_api, other_api, done_job):
    assert _share(other_api, done_job.id).status_code == 404
    url = _share(auth_api, done_job.id).json()["share_url"]
    assert other_api.delete(f"/api/v1/faces/tasks/{done_job.id}/share").status_code == 404
    assert APIClient().get(_path(url)).status_code == 200


def test_without_a_token_is_401(api, done_job):
    assert _share(api, done_job.id).status_code == 401
    assert api.delete(f"/api/v1/faces/tasks/{done_job.id}/share").status_code == 401


@pytest.mark.parametrize("status", ["pending", "running", "failed"])
def test_a_job_that_is_not_done_cannot_be_shared(auth_api, user, status):
    job = JobFactory(owner=user, status=status)
    response = _share(auth_api, job.id)
    assert response.status_code == 409 and response.json()["error"]["code"] == "task_not_done"


def test_an_expired_result_is_no_longer_shared(auth_api, done_job):
    url = _share(auth_api, done_job.id).json()["share_url"]
    Job.objects.filter(pk=done_job.pk).update(created_at=done_job.created_at.replace(year=2000))
    jobs_expire()
    assert APIClient().get(_path(url)).status_code == 404
    response = _share(auth_api, done_job.id)
    assert response.status_code == 409 and response.json()["error"]["code"] == "task_expired"


def test_the_page_only_answers_reads(auth_api, done_job):
    path = _path(_share(auth_api, done_job.id).json()["share_url"])
    assert APIClient().post(path).status_code == 405

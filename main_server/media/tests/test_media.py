import pytest
from django.core import signing

from common.tests.factories import TemplateFactory
from media.signing import media_token

pytestmark = pytest.mark.django_db


def _url(api, template):
    return api.get(f"/api/v1/emojis/{template.id}").json()["images"]["happy"]["original_url"]


def test_signed_url_serves_the_file_with_type(api, template):
    response = api.get(_url(api, template))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_tampered_url_is_403(api, template):
    url = _url(api, template)
    token = url.rsplit("/", 1)[1]
    tampered = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    response = api.get(url.replace(token, tampered))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "media_link_invalid"


def test_url_for_a_path_not_signed_by_us_is_403(api):
    forged = signing.TimestampSigner(key="not-our-key", salt="igemoji.media").sign_object({"n": "jobs/x"})
    assert api.get(f"/api/v1/media/{forged}").status_code == 403


def test_expired_url_is_403(api, template, settings, monkeypatch):
    url = _url(api, template)
    import time

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + settings.MEDIA_URL_MAX_AGE + 3600)
    response = api.get(url)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "media_link_expired"


def test_signed_url_for_missing_file_is_404(api):
    response = api.get(f"/api/v1/media/{media_token(name='jobs/nothing.png')}")
    assert response.status_code == 404


def test_x_accel_redirect_when_behind_nginx(api, template, settings):
    settings.MEDIA_X_ACCEL_REDIRECT = True
    response = api.get(_url(api, template))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"].startswith("/protected-media/templates/")


def test_path_traversal_in_token_is_refused(api):
    assert api.get(f"/api/v1/media/{media_token(name='../db.sqlite3')}").status_code == 403


def test_deleted_template_pictures_still_load(api, template):
    url = _url(api, template)
    template.is_active = False
    template.save()
    assert api.get(url).status_code == 200


def test_same_picture_keeps_the_same_url_for_a_while(api):
    template = TemplateFactory()
    assert _url(api, template) == _url(api, template)

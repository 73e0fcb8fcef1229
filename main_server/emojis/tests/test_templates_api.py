import os

import pytest

from common.emotions import EMOTIONS
from common.tests.factories import TemplateFactory, picture_bytes, seven_uploads, upload
from emojis.models import EmojiTemplate, TemplateImage, TemplateStatus

pytestmark = pytest.mark.django_db


def _post(client, **files):
    data = {"name": "Cats", **seven_uploads(), **files}
    return client.post("/api/v1/emojis/", data, format="multipart")


def _stored_files(settings) -> int:
    return sum(len(files) for _, _, files in os.walk(settings.MEDIA_ROOT))


def test_create_template_is_202_processing_and_enqueued(auth_api, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = _post(auth_api)
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "processing" and body["name"] == "Cats" and body["owner_alias"] == user.alias
    assert set(body["images"]) == set(EMOTIONS)
    assert body["images"]["sad"]["cutout_url"] is None
    assert len(callbacks) == 1
    assert TemplateImage.objects.filter(template_id=body["id"]).count() == 7


def test_create_template_needs_login(api):
    assert _post(api).status_code == 401


@pytest.mark.parametrize(
    "bad, code, status",
    [
        (b"this is plain text, not a picture", "invalid_image", 400),
        (picture_bytes()[:60], "invalid_image", 400),  # truncated PNG
        (b"%PDF-1.4 fake", "invalid_image", 400),
    ],
)
def test_bad_picture_is_400_naming_the_field_and_stores_nothing(auth_api, settings, bad, code, status):
    before = _stored_files(settings)
    response = _post(auth_api, fear=upload("fear.png", bad))
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and "fear" in error["fields"]
    assert EmojiTemplate.objects.count() == 0
    assert _stored_files(settings) == before


def test_missing_picture_is_400_naming_it(auth_api):
    data = {"name": "Cats", **seven_uploads()}
    del data["surprise"]
    response = auth_api.post("/api/v1/emojis/", data, format="multipart")
    assert response.status_code == 400
    assert "surprise" in response.json()["error"]["fields"]


def test_too_many_pixels_is_413(auth_api, settings):
    settings.UPLOAD_MAX_PIXELS = 1000
    response = _post(auth_api, angry=upload("a.png", picture_bytes(size=(50, 50))))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "image_too_large"


def test_too_many_bytes_is_413(auth_api, settings):
    settings.UPLOAD_MAX_BYTES = 100
    response = _post(auth_api)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "file_too_large"


def test_empty_name_is_400(auth_api):
    response = auth_api.post("/api/v1/emojis/", {"name": "", **seven_uploads()}, format="multipart")
    assert response.status_code == 400
    assert "name" in response.json()["error"]["fields"]


def test_get_template_has_signed_picture_urls(api, template):
    body = api.get(f"/api/v1/emojis/{template.id}").json()
    assert body["status"] == "ready"
    assert body["images"]["happy"]["cutout_method"] == "alpha"
    url = body["images"]["happy"]["cutout_url"]
    assert url.startswith("http://testserver/api/v1/media/")
    assert body["preview_url"]
    assert api.get(url).status_code == 200


def test_processing_template_is_hidden_from_others(api, other_api):
    template = TemplateFactory(status=TemplateStatus.PROCESSING)
    assert api.get(f"/api/v1/emojis/{template.id}").status_code == 404
    assert other_api.get(f"/api/v1/emojis/{template.id}").status_code == 404


def test_unknown_template_is_404_json(api):
    response = api.get("/api/v1/emojis/999999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "template_not_found"


def test_owner_soft_deletes_template(auth_api, user, api):
    template = TemplateFactory(owner=user)
    assert auth_api.delete(f"/api/v1/emojis/{template.id}").status_code == 204
    template.refresh_from_db()
    assert template.is_active is False  # the row and its files stay
    assert api.get(f"/api/v1/emojis/{template.id}").status_code == 404
    assert auth_api.delete(f"/api/v1/emojis/{template.id}").status_code == 404


@pytest.mark.parametrize("status", [TemplateStatus.PROCESSING, TemplateStatus.FAILED])
def test_other_users_hidden_template_is_404_for_every_method(other_api, status):
    template = TemplateFactory(status=status)
    for response in (other_api.get(f"/api/v1/emojis/{template.id}"),
                     other_api.delete(f"/api/v1/emojis/{template.id}")):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "template_not_found"
    template.refresh_from_db()
    assert template.is_active is True


def test_other_user_cannot_delete_template(other_api, template):
    response = other_api.delete(f"/api/v1/emojis/{template.id}")
    assert response.status_code == 403
    template.refresh_from_db()
    assert template.is_active is True


def test_delete_needs_login(api, template):
    assert api.delete(f"/api/v1/emojis/{template.id}").status_code == 401


def test_gallery_pages_hold_8_ready_active_templates_newest_first(api):
    templates = TemplateFactory.create_batch(10)
    TemplateFactory(status=TemplateStatus.PROCESSING)
    TemplateFactory(status=TemplateStatus.FAILED)
    TemplateFactory(is_active=False)
    first = api.get("/api/v1/emojis/pages/1").json()
    assert first["count"] == 10 and first["num_pages"] == 2 and first["page"] == 1
    assert [t["id"] for t in first["results"]] == [t.id for t in reversed(templates)][:8]
    second = api.get("/api/v1/emojis/pages/2").json()
    assert [t["id"] for t in second["results"]] == [templates[1].id, templates[0].id]


def test_gallery_page_past_the_end_is_404(api):
    TemplateFactory()
    response = api.get("/api/v1/emojis/pages/2")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "page_not_found"


def test_gallery_page_zero_is_an_error(api):
    assert api.get("/api/v1/emojis/pages/0").status_code == 400


def test_empty_gallery_first_page(api):
    assert api.get("/api/v1/emojis/pages/1").json() == {"count": 0, "num_pages": 1, "page": 1, "results": []}


def test_my_uploads_lists_only_my_active_templates_any_status(auth_api, user):
    mine = [TemplateFactory(owner=user), TemplateFactory(owner=user, status=TemplateStatus.FAILED)]
    TemplateFactory(owner=user, is_active=False)
    TemplateFactory()
    body = auth_api.get("/api/v1/users/mypage/upload").json()
    assert body["count"] == 2
    assert {t["id"] for t in body["results"]} == {t.id for t in mine}
    assert auth_api.get("/api/v1/users/mypage/upload?page=2").status_code == 404
    assert auth_api.get("/api/v1/users/mypage/upload?page=abc").status_code == 400


@pytest.mark.parametrize("name", ["   ", "x" * 40 + " "])
def test_template_name_must_have_a_letter_and_fit_as_sent(auth_api, name):
    # blank, or over 40 characters as sent (the schema's maxLength): refused, nothing stored
    response = auth_api.post("/api/v1/emojis/", {"name": name, **seven_uploads()}, format="multipart")
    assert response.status_code == 400
    assert "name" in response.json()["error"]["fields"]
    assert not EmojiTemplate.objects.filter(name__startswith="x").exists()


def test_template_name_is_stored_stripped(auth_api):
    response = auth_api.post("/api/v1/emojis/", {"name": "  Cats ", **seven_uploads()}, format="multipart")
    assert response.status_code == 202 and response.json()["name"] == "Cats"


@pytest.mark.parametrize("page", ["0", "-1", "1.0", "１", "1000000000"])
def test_a_page_outside_1_to_the_schemas_maximum_is_400(auth_api, page):
    response = auth_api.get("/api/v1/users/mypage/upload/", {"page": page})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_page"


def test_gallery_page_zero_is_400_and_past_the_end_404(api):
    assert api.get("/api/v1/emojis/pages/0").json()["error"]["code"] == "invalid_page"
    assert api.get("/api/v1/emojis/pages/2").status_code == 404

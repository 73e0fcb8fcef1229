"""The whole public flow over HTTP against `make run` with the real models:
sign up → log in → template from the Noto pictures → ready → job on a real
photo → done with faces → result downloadable at the photo's size → other
user refused → template deleted → old result still loads."""

from __future__ import annotations

import io

import pytest
import requests
from PIL import Image

from tests.e2e.helpers import EMOTIONS, NOTO, Api, astronaut_jpeg, group_jpeg


@pytest.fixture(scope="module")
def flow(service):
    alice, bob = Api(service["url"]), Api(service["url"])
    state = {"alice": alice, "bob": bob, "service": service}
    state["alice_user"] = alice.signup_and_login()
    state["bob_user"] = bob.signup_and_login()
    return state


def test_availability_reflects_sign_up(flow):
    alias = flow["alice_user"]["alias"]
    anonymous = Api(flow["service"]["url"])
    assert anonymous.get("/users/", params={"case": "alias", "value": alias}).json() == {"available": False}
    assert anonymous.get("/users/", params={"case": "email", "value": "free-x@example.org"}).json() == {
        "available": True
    }


def test_builtin_noto_is_in_the_gallery(flow):
    page = Api(flow["service"]["url"]).get("/emojis/pages/1").json()
    assert any(t["name"] == "Noto" and t["is_builtin"] for t in page["results"])


def test_template_from_noto_pictures_becomes_ready(flow):
    alice = flow["alice"]
    created = alice.create_template("My Noto")
    assert created.status_code == 202, created.text
    assert created.json()["status"] == "processing"
    template = alice.wait_template(created.json()["id"])
    assert template["status"] == "ready", template
    # The Noto pictures are transparent: their own alpha is the cut-out.
    assert {i["cutout_method"] for i in template["images"].values()} == {"alpha"}
    cutout = requests.get(template["images"]["happy"]["cutout_url"], timeout=30)
    assert cutout.status_code == 200 and Image.open(io.BytesIO(cutout.content)).mode == "RGBA"
    flow["template"] = template


def test_opaque_pictures_get_their_background_cut(flow, tmp_path):
    # The same pictures flattened onto white JPEGs: no alpha to keep, so
    # ai_server must cut the background itself.
    for emotion in EMOTIONS:
        picture = Image.open(NOTO / f"{emotion}.png").convert("RGBA")
        flat = Image.new("RGB", picture.size, (255, 255, 255))
        flat.paste(picture, mask=picture.getchannel("A"))
        flat.save(tmp_path / f"{emotion}.png")
    alice = flow["alice"]
    created = alice.create_template("Opaque Noto", folder=tmp_path)
    assert created.status_code == 202, created.text
    template = alice.wait_template(created.json()["id"])
    assert template["status"] == "ready", template
    assert {i["cutout_method"] for i in template["images"].values()} <= {"border", "rembg"}
    cutout = requests.get(template["images"]["sad"]["cutout_url"], timeout=30)
    corner = Image.open(io.BytesIO(cutout.content)).convert("RGBA").getpixel((2, 2))
    assert corner[3] < 30  # the white background is gone
    assert alice.delete(f"/emojis/{template['id']}").status_code == 204


def test_job_on_a_real_photo_finds_the_face(flow):
    alice = flow["alice"]
    photo = astronaut_jpeg()
    created = alice.create_job(flow["template"]["id"], photo)
    assert created.status_code == 202, created.text
    assert created.json()["status"] == "pending"
    job = alice.wait_job(created.json()["task_id"])
    assert job["status"] == "done", job
    faces = job["result"]["faces"]
    assert len(faces) >= 1
    x, y, w, h = faces[0]["box"]
    assert 150 < x + w / 2 < 300 and 60 < y + h / 2 < 220  # the astronaut's face
    assert abs(sum(faces[0]["scores"].values()) - 1) < 0.05
    picture = requests.get(job["result"]["image_url"], timeout=30)
    assert picture.status_code == 200
    assert Image.open(io.BytesIO(picture.content)).size == Image.open(io.BytesIO(photo)).size == (
        job["result"]["width"], job["result"]["height"])
    flow["job"] = job


def test_group_photo_finds_every_face(flow):
    alice = flow["alice"]
    created = alice.create_job(flow["template"]["id"], group_jpeg(7), overrides='{"0": "angry"}')
    job = alice.wait_job(created.json()["task_id"])
    assert job["status"] == "done", job
    assert len(job["result"]["faces"]) >= 6
    assert job["result"]["faces"][0]["emotion"] == "angry"  # the user's override is applied
    flow["group_job"] = job


def test_other_user_is_refused(flow):
    bob, job, template = flow["bob"], flow["job"], flow["template"]
    assert bob.get(f"/faces/tasks/{job['task_id']}").status_code == 404
    assert bob.delete(f"/emojis/{template['id']}").status_code == 403
    assert bob.get("/users/mypage/result").json()["count"] == 0


def test_tampered_media_url_is_refused(flow):
    url = flow["job"]["result"]["image_url"]
    tampered = url[:-4] + ("AAAA" if not url.endswith("AAAA") else "BBBB")
    response = requests.get(tampered, timeout=30)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "media_link_invalid"


def test_non_image_upload_is_400(flow):
    response = flow["alice"].create_job(flow["template"]["id"], b"definitely not a picture")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["image"]


def test_my_page_and_ranking(flow):
    alice = flow["alice"]
    results = alice.get("/users/mypage/result").json()
    assert [r["task_id"] for r in results["results"]] == [flow["group_job"]["task_id"], flow["job"]["task_id"]]
    uploads = alice.get("/users/mypage/upload").json()
    assert [t["id"] for t in uploads["results"]] == [flow["template"]["id"]]
    ranking = Api(flow["service"]["url"]).get("/faces/ranking").json()
    assert {"id": flow["template"]["id"], "count": 2}.items() <= next(
        r for r in ranking if r["id"] == flow["template"]["id"]).items()


def test_delete_template_keeps_old_result(flow):
    alice, template, job = flow["alice"], flow["template"], flow["job"]
    assert alice.delete(f"/emojis/{template['id']}").status_code == 204
    assert alice.get(f"/emojis/{template['id']}").status_code == 404
    assert alice.create_job(template["id"], astronaut_jpeg(0.5)).status_code == 404
    again = alice.get(f"/faces/tasks/{job['task_id']}").json()
    assert again["status"] == "done"
    assert requests.get(again["result"]["image_url"], timeout=30).status_code == 200


def test_metrics_are_exported(flow):
    service = flow["service"]
    main = requests.get(f"{service['url']}/metrics", timeout=30).text
    assert 'igemoji_jobs{status="done"} 2.0' in main
    if service["worker_metrics"]:
        worker = requests.get(service["worker_metrics"], timeout=30).text
        assert 'igemoji_jobs_finished_total{status="done"} 2.0' in worker
        assert "igemoji_job_latency_seconds_count 2.0" in worker


@pytest.fixture(scope="module")
def carol(service):
    """A user of her own, on the built-in template: the counts the flow above checks stay as they are."""
    api = Api(service["url"])
    api.signup_and_login()
    noto = next(t for t in api.get("/emojis/pages/1").json()["results"] if t["is_builtin"])
    return api, noto["id"]


def test_a_long_poll_answers_when_the_job_is_done(carol):
    api, template_id = carol
    task_id = api.create_job(template_id, astronaut_jpeg(0.75)).json()["task_id"]
    body = api.get(f"/faces/tasks/{task_id}?wait=20").json()
    for _ in range(5):  # each call waits ≤ 20 s; a loaded machine may need more than one
        if body["status"] in ("done", "failed"):
            break
        body = api.get(f"/faces/tasks/{task_id}?wait=20").json()
    assert body["status"] == "done" and len(body["result"]["faces"]) == 1


@pytest.mark.parametrize("layout", ["team_row", "small_crowd", "two_rows"])
def test_annotated_group_photos_as_jobs_find_every_face_and_no_other(carol, layout):
    from ai_server.tests.group_photos import LAYOUTS, group_photo, match

    seed, (name, w, h, bg, rows) = next((i, row) for i, row in enumerate(LAYOUTS) if row[0] == layout)
    photo = group_photo(name, w, h, bg, rows, seed)
    api, template_id = carol
    job = api.wait_job(api.create_job(template_id, photo.jpeg()).json()["task_id"])
    assert job["status"] == "done", job
    found, false = match(photo.faces, [tuple(f["box"]) for f in job["result"]["faces"]])
    assert (found, false) == (len(photo.faces), 0)

import pytest

from common.emotions import EMOTIONS
from common.tests.factories import picture_bytes
from emojis.builtin import builtin_templates_ensure
from emojis.models import EmojiTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def assets(tmp_path):
    (tmp_path / "noto").mkdir()
    for emotion in EMOTIONS:
        (tmp_path / "noto" / f"{emotion}.png").write_bytes(picture_bytes())
    return tmp_path


def test_builtin_noto_is_ready_owned_by_system_user_and_idempotent(assets, api):
    builtin_templates_ensure(assets_dir=assets)
    builtin_templates_ensure(assets_dir=assets)
    template = EmojiTemplate.objects.get()
    assert template.name == "Noto" and template.is_builtin and template.status == "ready"
    assert template.owner.is_system and not template.owner.has_usable_password()
    body = api.get("/api/v1/emojis/pages/1").json()
    assert body["results"][0]["owner_alias"] == "igemoji"
    assert body["results"][0]["images"]["angry"]["cutout_method"] == "alpha"


def test_builtin_skipped_when_assets_missing(tmp_path):
    assert builtin_templates_ensure(assets_dir=tmp_path) == []
    assert EmojiTemplate.objects.count() == 0

import pytest

from common.ai_client import AiInputError, AiUnavailableError
from common.tests.factories import TemplateFactory
from emojis.models import TemplateStatus
from emojis.tasks import template_process_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def processing():
    return TemplateFactory(status=TemplateStatus.PROCESSING)


def test_task_makes_seven_cutouts_and_marks_ready(processing, fake_ai):
    template_process_task.apply(args=[processing.id])
    processing.refresh_from_db()
    assert processing.status == "ready"
    images = list(processing.images.all())
    assert all(i.cutout and i.cutout_method == "border" for i in images)
    assert fake_ai.calls.count("cutout") == 7


def test_task_is_idempotent(processing, fake_ai):
    template_process_task.apply(args=[processing.id])
    template_process_task.apply(args=[processing.id])
    assert fake_ai.calls.count("cutout") == 7


def test_ai_4xx_fails_template_with_reason(processing, fake_ai):
    fake_ai.fail_with = AiInputError("not a picture")
    template_process_task.apply(args=[processing.id])
    processing.refresh_from_db()
    assert processing.status == "failed"
    assert "not a picture" in processing.error


def test_ai_down_retries_then_fails(processing, fake_ai, settings):
    settings.TASK_RETRY_MAX = 2
    fake_ai.fail_with = AiUnavailableError("connection refused")
    template_process_task.apply(args=[processing.id])
    processing.refresh_from_db()
    assert processing.status == "failed"
    assert "unavailable" in processing.error
    assert fake_ai.calls.count("cutout") == 3  # first try + 2 retries

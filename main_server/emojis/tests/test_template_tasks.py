import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from common.ai_client import AiInputError, AiUnavailableError
from common.tests.factories import TemplateFactory
from emojis.models import EmojiTemplate, TemplateStatus
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


def test_ai_down_retries_then_fails(processing, fake_ai, settings, monkeypatch):
    monkeypatch.setattr("common.retry._sleep", lambda _s: None)
    settings.TASK_RETRY_MAX = 2
    fake_ai.fail_with = AiUnavailableError("connection refused")
    template_process_task.apply(args=[processing.id])
    processing.refresh_from_db()
    assert processing.status == "failed"
    assert "unavailable" in processing.error
    assert fake_ai.calls.count("cutout") == 3  # first try + 2 retries
    assert processing.lease_token is None


def test_a_template_whose_worker_died_is_handed_out_again_then_made(processing, fake_ai, monkeypatch):
    from emojis.services import templates_reconcile

    monkeypatch.setattr(
        "common.broker.publish", lambda name, pk: template_process_task.apply(args=[pk]) or True
    )
    EmojiTemplate.objects.filter(pk=processing.pk).update(
        lease_token=uuid.uuid4(), lease_expires_at=timezone.now() - timedelta(seconds=1), attempts=1
    )
    assert templates_reconcile() == {"requeued": 1}
    processing.refresh_from_db()
    assert processing.status == "ready" and processing.attempts == 2 and processing.lease_token is None


def test_a_template_out_of_attempts_fails_with_a_reason(processing, fake_ai, settings):
    from emojis.services import templates_reconcile

    EmojiTemplate.objects.filter(pk=processing.pk).update(
        lease_token=uuid.uuid4(), lease_expires_at=timezone.now() - timedelta(seconds=1),
        attempts=settings.JOB_MAX_ATTEMPTS,
    )
    assert templates_reconcile() == {"failed": 1}
    processing.refresh_from_db()
    assert processing.status == "failed" and processing.error.startswith("Stopped after")
    assert fake_ai.calls == []


def test_a_template_never_sent_to_the_broker_is_sent_from_the_outbox(processing, monkeypatch):
    from emojis.services import templates_reconcile

    sent = []
    monkeypatch.setattr("common.broker.publish", lambda name, pk: sent.append((name, pk)) or True)
    EmojiTemplate.objects.filter(pk=processing.pk).update(created_at=timezone.now() - timedelta(seconds=5))
    assert templates_reconcile() == {"dispatched": 1}
    assert sent == [("emojis.tasks.template_process", processing.pk)]
    processing.refresh_from_db()
    assert processing.dispatched_at is not None

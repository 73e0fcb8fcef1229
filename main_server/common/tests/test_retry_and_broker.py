import pytest
from django.db import IntegrityError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from common import broker
from common.ai_client import AiInputError, AiUnavailableError
from common.retry import backoff_delay, call_with_retries, give_up_reason, is_transient


@pytest.mark.parametrize(
    "exc",
    [AiUnavailableError("503"), OperationalError("refused"), BrokerError("gone"), ConnectionResetError(), TimeoutError()],
)
def test_unreachable_services_are_transient(exc):
    assert is_transient(exc)


@pytest.mark.parametrize(
    "exc", [AiInputError("not an image"), IntegrityError("dup"), FileNotFoundError("input.jpg"), ValueError("x")]
)
def test_bad_input_and_bugs_are_permanent(exc):
    assert not is_transient(exc)


def test_backoff_doubles_up_to_its_cap(settings):
    settings.TASK_RETRY_BASE_SECONDS, settings.TASK_RETRY_MAX_DELAY = 2, 15
    assert [backoff_delay(n) for n in range(6)] == [2, 4, 8, 15, 15, 15]


def test_reasons_say_which_service_was_missing():
    assert give_up_reason(AiUnavailableError("ai_server unreachable")).startswith("The AI server is unavailable")
    assert "database" in give_up_reason(OperationalError("refused"))
    assert "broker" in give_up_reason(BrokerError("refused"))


@pytest.mark.django_db
def test_a_give_up_that_fails_is_logged_not_raised(settings, monkeypatch):
    monkeypatch.setattr("common.retry._sleep", lambda _s: None)
    settings.TASK_RETRY_MAX = 1

    def down():
        raise OperationalError("refused")

    def record_fails(reason):
        raise OperationalError("still refused")

    assert call_with_retries(down, name="t", object_id=1, give_up=record_fails) is None


def test_publish_stops_trying_for_a_while_after_a_failure(monkeypatch, settings):
    calls = []

    def refused(*args, **kwargs):
        calls.append(1)
        raise BrokerError("connection refused")

    monkeypatch.setattr(broker.current_app, "send_task", refused)
    broker.reset_backoff()
    try:
        assert broker.publish("faces.tasks.job_process", "id") is False
        assert broker.publish("faces.tasks.job_process", "id") is False
        assert len(calls) == 1  # the second upload did not wait on the broker
        broker.reset_backoff()
        monkeypatch.setattr(broker.current_app, "send_task", lambda *a, **k: None)
        assert broker.publish("faces.tasks.job_process", "id") is True
    finally:
        broker.reset_backoff()


@pytest.mark.django_db
def test_retries_stop_at_the_task_time_limit(settings, monkeypatch):
    clock = {"now": 0.0}
    monkeypatch.setattr("common.retry._clock", lambda: clock["now"])

    def wait(seconds):
        clock["now"] += seconds + 100  # each call also took 100 s before it timed out

    monkeypatch.setattr("common.retry._sleep", wait)
    settings.TASK_RETRY_MAX, settings.CELERY_TASK_SOFT_TIME_LIMIT = 12, 300
    settings.TASK_RETRY_BASE_SECONDS, settings.TASK_RETRY_MAX_DELAY = 2, 15  # waits 2, 4, 8: then 15 would pass 300 s
    calls, reasons = [], []

    def times_out():
        calls.append(1)
        raise AiUnavailableError("ai_server unreachable: ReadTimeout")

    assert call_with_retries(times_out, name="t", object_id=1, give_up=reasons.append) is None
    assert len(calls) == 4 and reasons[0].startswith("The AI server is unavailable")

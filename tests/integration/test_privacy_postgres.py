"""Retention and account deletion on PostgreSQL, where row locks are real: the
expiry skips a row another transaction holds (SKIP LOCKED) instead of waiting
for it, and deleting an account with templates other people used works."""

from __future__ import annotations

import json

from tests.integration.conftest import manage_shell

PRELUDE = r"""
import json, threading, uuid
from datetime import timedelta
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from accounts.models import User
from emojis.models import EmojiTemplate
from faces.models import Face, Job, ShareLink

def user():
    tag = uuid.uuid4().hex[:8]
    return User.objects.create_user(email=f"p{tag}@example.org", password="a long passphrase 42", alias=f"p{tag}")

def done_job(owner, template, days_old=0):
    job = Job(owner=owner, template=template, status="done", result_width=4, result_height=4)
    job.input_image.save("input.jpg", ContentFile(b"photo"), save=False)
    job.result_image.save("result.jpg", ContentFile(b"result"), save=False)
    job.save()
    Face.objects.create(job=job, index=0, x=0, y=0, w=2, h=2, emotion="happy", scores={})
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days_old))
    job.refresh_from_db()
    return job
"""

EXPIRE_SKIPS_A_LOCKED_ROW = PRELUDE + r"""
from faces.services import jobs_expire
owner = user()
template = EmojiTemplate.objects.create(owner=owner, name="t", status="ready")
free, held = done_job(owner, template, 40), done_job(owner, template, 40)
locked, release, order = threading.Event(), threading.Event(), []

def holder():
    with transaction.atomic():
        Job.objects.select_for_update().get(pk=held.pk)  # e.g. a worker finishing it
        locked.set()
        release.wait(60)
        order.append("holder released")

thread = threading.Thread(target=holder)
thread.start()
locked.wait(30)
first = jobs_expire()
order.append("expiry returned")
release.set()
thread.join()
second = jobs_expire()
print(json.dumps({
    "first": first, "second": second, "order": order,
    "statuses": {str(j.pk == held.pk): j.status for j in Job.objects.filter(pk__in=[free.pk, held.pk])},
    "files_left": [n for j in (free, held) for n in (j.input_image.name, j.result_image.name) if default_storage.exists(n)],
}))
"""

DELETE_ACCOUNT = PRELUDE + r"""
from accounts.services import user_delete
from faces.services import job_share
leaving, staying = user(), user()
template = EmojiTemplate.objects.create(owner=leaving, name="Mine", status="ready")
mine = done_job(leaving, template)
theirs = done_job(staying, template)
link, _ = job_share(owner=leaving, job_id=mine.pk)
user_delete(user=leaving, password="a long passphrase 42")
template.refresh_from_db()
print(json.dumps({
    "user_gone": not User.objects.filter(pk=leaving.pk).exists(),
    "job_gone": not Job.objects.filter(pk=mine.pk).exists(),
    "share_gone": not ShareLink.objects.filter(pk=link.pk).exists(),
    "files_gone": not any(default_storage.exists(n) for n in (mine.input_image.name, mine.result_image.name)),
    "template": [template.is_active, template.owner_id],
    "theirs": Job.objects.get(pk=theirs.pk).status,
}))
"""


def _run(stack_env, code: str) -> dict:
    return json.loads(manage_shell(stack_env, code).strip().splitlines()[-1])


def test_expiry_skips_a_row_another_transaction_holds_and_expires_it_later(stack_env):
    out = _run(stack_env, EXPIRE_SKIPS_A_LOCKED_ROW)
    # The expiry did not wait for the lock: it returned while the row was still held.
    assert out["order"] == ["expiry returned", "holder released"], out
    assert out["first"] == {"expired": 1} and out["second"] == {"expired": 1}, out
    assert set(out["statuses"].values()) == {"expired"} and out["files_left"] == [], out


def test_deleting_an_account_keeps_other_peoples_results_of_its_templates(stack_env):
    out = _run(stack_env, DELETE_ACCOUNT)
    assert out == {
        "user_gone": True, "job_gone": True, "share_gone": True, "files_gone": True,
        "template": [False, None], "theirs": "done",
    }, out

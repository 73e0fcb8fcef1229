"""The ranking is one aggregate query that PostgreSQL answers from the partial
index job_ranking_idx, not by scanning the jobs table."""

from __future__ import annotations

from tests.integration.conftest import manage_shell

SEED_AND_EXPLAIN = r"""
import random
from datetime import timedelta
from django.db import connection
from django.utils import timezone
from accounts.models import User
from emojis.models import EmojiTemplate
from faces.models import Job
from faces.selectors import ranking_queryset
if not Job.objects.filter(input_image="explain/seed.jpg").exists():
    owner = User.objects.create_user(email="explain@example.org", password=None, alias="explain")
    templates = [EmojiTemplate.objects.create(owner=owner, name=f"t{i}", status="ready") for i in range(20)]
    now = timezone.now()
    rows = []
    for i in range(30000):
        # Finished rows only: a pending row here would be real work for the
        # reconciler of every later test sharing this database.
        status = random.choice(["done"] * 8 + ["failed"])
        finished = now - timedelta(days=random.uniform(0, 90))
        rows.append(Job(owner=owner, template=random.choice(templates), status=status,
                        finished_at=finished, input_image="explain/seed.jpg"))
    Job.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as c:
        c.execute("ANALYZE faces_job")
print(ranking_queryset().explain())
print("SQL:", str(ranking_queryset().query))
"""


def test_ranking_uses_the_partial_index(stack_env):
    plan = manage_shell(stack_env, SEED_AND_EXPLAIN)
    assert "job_ranking_idx" in plan, plan
    assert "Seq Scan on faces_job" not in plan, plan

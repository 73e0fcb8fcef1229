from datetime import timedelta

import pytest
from django.utils import timezone

from common.tests.factories import JobFactory, TemplateFactory

pytestmark = pytest.mark.django_db


def _done(template, n, *, age=timedelta(hours=1)):
    finished = timezone.now() - age
    for _ in range(n):
        JobFactory(template=template, status="done", finished_at=finished)


def test_ranking_is_top3_by_done_jobs_in_the_last_7_days(api):
    a, b, c, d = TemplateFactory.create_batch(4)
    _done(a, 1)
    _done(b, 4)
    _done(c, 3)
    _done(d, 2)
    body = api.get("/api/v1/faces/ranking").json()
    assert [(r["id"], r["count"]) for r in body] == [(b.id, 4), (c.id, 3), (d.id, 2)]
    assert body[0]["name"] == b.name and body[0]["owner_alias"] == b.owner.alias
    assert body[0]["preview_url"].startswith("http://testserver/api/v1/media/")


def test_ranking_window_edges():
    from faces.selectors import ranking_queryset

    now = timezone.now()
    inside, outside = TemplateFactory.create_batch(2)
    JobFactory(template=inside, status="done", finished_at=now - timedelta(days=7) + timedelta(seconds=1))
    JobFactory(template=outside, status="done", finished_at=now - timedelta(days=7) - timedelta(seconds=1))
    rows = list(ranking_queryset(now=now))
    assert [r["template_id"] for r in rows] == [inside.id]


def test_ranking_ignores_unfinished_failed_jobs_and_deleted_templates(api):
    live, deleted = TemplateFactory.create_batch(2)
    _done(live, 1)
    JobFactory(template=live, status="failed", finished_at=timezone.now())
    JobFactory(template=live, status="running")
    JobFactory(template=live, status="pending")
    _done(deleted, 5)
    deleted.is_active = False
    deleted.save()
    body = api.get("/api/v1/faces/ranking").json()
    assert [(r["id"], r["count"]) for r in body] == [(live.id, 1)]


def test_ranking_is_one_aggregate_query_plus_previews(django_assert_max_num_queries, api):
    for template in TemplateFactory.create_batch(3):
        _done(template, 2)
    with django_assert_max_num_queries(3):
        api.get("/api/v1/faces/ranking")

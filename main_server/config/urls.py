from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.apis import LoginApi, LogoutApi, TokenRefreshApi, UserMeApi, UsersApi
from config.health import HealthApi
from config.spa import spa_view, static_view
from emojis.apis import MyUploadsApi, TemplateCreateApi, TemplateDetailApi, TemplatePageApi
from faces.apis import (
    JobCreateApi,
    JobDetailApi,
    JobRerenderApi,
    JobShareApi,
    MyResultsApi,
    RankingApi,
)
from faces.share_page import share_image, share_page
from media.apis import MediaServeApi

_TASK = r"faces/tasks/(?P<task_id>[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12})"
_SHARE_TOKEN = r"(?P<token>[A-Za-z0-9_-]{20,64})"


def api(route: str, view, name: str):
    # Trailing slash optional: clients POST to /users and /users/ alike, and a
    # redirect would drop a POST body.
    return re_path(rf"^api/v1/{route}/?$", view, name=name)


urlpatterns = [
    api("users", UsersApi.as_view(), "users"),
    api("users/auth", LoginApi.as_view(), "auth-login"),
    api("users/auth/refresh", TokenRefreshApi.as_view(), "auth-refresh"),
    api("users/auth/logout", LogoutApi.as_view(), "auth-logout"),
    api("users/mypage/result", MyResultsApi.as_view(), "mypage-result"),
    api("users/mypage/upload", MyUploadsApi.as_view(), "mypage-upload"),
    api("emojis", TemplateCreateApi.as_view(), "emoji-create"),
    api(r"emojis/(?P<template_id>[0-9]{1,18})", TemplateDetailApi.as_view(), "emoji-detail"),
    api(r"emojis/pages/(?P<page_number>[0-9]{1,9})", TemplatePageApi.as_view(), "emoji-page"),
    api("faces/tasks", JobCreateApi.as_view(), "job-create"),
    api(
        r"faces/tasks/(?P<task_id>[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12})",
        JobDetailApi.as_view(),
        "job-detail",
    ),
    api(rf"{_TASK}/rerender", JobRerenderApi.as_view(), "job-rerender"),
    api(rf"{_TASK}/share", JobShareApi.as_view(), "job-share"),
    api("users/me", UserMeApi.as_view(), "user-me"),
    re_path(rf"^s/{_SHARE_TOKEN}/?$", share_page, name="share-page"),
    re_path(rf"^s/{_SHARE_TOKEN}/image$", share_image, name="share-image"),
    api("faces/ranking", RankingApi.as_view(), "ranking"),
    api(r"media/(?P<token>[A-Za-z0-9_:.\-]+)", MediaServeApi.as_view(), "media-serve"),
    path("api/v1/health", HealthApi.as_view(), name="health"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view loads its start-up script from ?script: no inline script, so
    # the page runs under the site's Content-Security-Policy.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("", include("django_prometheus.urls")),
    re_path(r"^static/(?P<path>.+)$", static_view, name="static"),
    re_path(r"^(?!api/|api$|metrics$|static/)(?P<path>.*)$", spa_view, name="spa"),
]

handler400 = "common.errors.json_400"
handler403 = "common.errors.json_403"
handler404 = "common.errors.json_404"
handler500 = "common.errors.json_500"

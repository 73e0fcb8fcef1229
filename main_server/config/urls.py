from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.apis import LoginApi, LogoutApi, TokenRefreshApi, UserAvailabilityApi
from config.health import health
from config.spa import spa_view, static_view
from emojis.apis import MyUploadsApi, TemplateCreateApi, TemplateDetailApi, TemplatePageApi
from faces.apis import JobCreateApi, JobDetailApi, MyResultsApi, RankingApi
from media.apis import MediaServeApi


def api(route: str, view, name: str):
    # Trailing slash optional: clients POST to /users and /users/ alike, and a
    # redirect would drop a POST body.
    return re_path(rf"^api/v1/{route}/?$", view, name=name)


urlpatterns = [
    api("users", UserAvailabilityApi.as_view(), "users"),
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
    api("faces/ranking", RankingApi.as_view(), "ranking"),
    api(r"media/(?P<token>[A-Za-z0-9_:.\-]+)", MediaServeApi.as_view(), "media-serve"),
    path("api/v1/health", health, name="health"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("", include("django_prometheus.urls")),
    re_path(r"^static/(?P<path>.+)$", static_view, name="static"),
    re_path(r"^(?!api/|api$|metrics$|static/)(?P<path>.*)$", spa_view, name="spa"),
]

handler400 = "common.errors.json_400"
handler403 = "common.errors.json_403"
handler404 = "common.errors.json_404"
handler500 = "common.errors.json_500"

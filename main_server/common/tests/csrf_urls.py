"""A URLconf for the CSRF test: a plain Django view that accepts POST under /api."""

from django.http import JsonResponse
from django.urls import path


def form_post(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("api/v1/form", form_post)]

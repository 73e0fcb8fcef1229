"""The public page of a shared result: the result image and the template's name,
nothing else (never the photo, the owner or the faces). Plain HTML from the
server, so a link that is no longer shared answers a real 404 and works in any
browser or link preview without the SPA."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_safe

from common.errors import ApplicationError
from faces.models import ShareLink
from faces.selectors import share_get_by_token
from media.serving import file_response

TEXTS = {
    "en": {
        "title": "A photo made with IGEMOJI",
        "made_with": "Made with the “{name}” template",
        "alt": "Shared result",
        "cta": "Make your own",
        "gone_title": "Not shared",
        "gone": "This link does not exist or is no longer shared.",
    },
    "ko": {
        "title": "IGEMOJI로 만든 사진",
        "made_with": "“{name}” 템플릿으로 만들었어요",
        "alt": "공유된 결과",
        "cta": "나도 만들어 보기",
        "gone_title": "공유되지 않음",
        "gone": "이 링크는 없거나 더 이상 공유되지 않아요.",
    },
}

# Not listed anywhere: no search engine, no referrer leaking the link onwards,
# and no cache keeping a page that was unshared.
_PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow, noarchive",
    "Referrer-Policy": "no-referrer",
}


def _language(request: HttpRequest) -> str:
    for code, _ in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = code.split("-")[0].lower()
        if base in TEXTS:
            return base
    return "en"


def _link_or_none(token: str) -> ShareLink | None:
    try:
        return share_get_by_token(token=token)
    except ApplicationError:
        return None


@require_safe
def share_page(request: HttpRequest, token: str) -> HttpResponse:
    lang = _language(request)
    texts = TEXTS[lang]
    link = _link_or_none(token)
    if link is None:
        response = render(request, "faces/share_gone.html", {"lang": lang, "t": texts}, status=404)
    else:
        job = link.job
        image_url = request.build_absolute_uri(reverse("share-image", kwargs={"token": token}))
        context = {
            "lang": lang,
            "t": texts,
            "made_with": texts["made_with"].format(name=job.template.name),
            "image_url": image_url,
            "width": job.result_width,
            "height": job.result_height,
        }
        response = render(request, "faces/share.html", context)
    for header, value in _PAGE_HEADERS.items():
        response[header] = value
    return response


@require_safe
def share_image(request: HttpRequest, token: str) -> HttpResponse:
    link = _link_or_none(token)
    try:
        if link is None:
            raise ApplicationError("Not shared.", code="share_not_found", status_code=404)
        # Short private caching: once unshared, the picture stops loading within a minute.
        response = file_response(name=link.job.result_image.name, cache_control="private, max-age=60")
    except ApplicationError:
        response = HttpResponse("Not found.", status=404, content_type="text/plain; charset=utf-8")
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    response["Referrer-Policy"] = "no-referrer"
    return response

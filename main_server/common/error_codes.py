"""Every `error.code` the API answers with, its HTTP status and when it happens.
Codes are stable: clients branch on them, so one is never renamed or reused
for something else. The OpenAPI schema and docs/api.md are written from here,
and a test checks that the code raises no code missing from this table."""

from __future__ import annotations

from typing import NamedTuple


class ErrorCode(NamedTuple):
    status: int
    when: str


ERROR_CODES: dict[str, ErrorCode] = {
    # ---- generic, by HTTP status (any endpoint under /api)
    "bad_request": ErrorCode(400, "The request is malformed (e.g. a bad Host header)."),
    "parse_error": ErrorCode(400, "The body is not valid JSON or multipart."),
    "validation_error": ErrorCode(400, "A field is missing or invalid; `fields` names each one."),
    "not_authenticated": ErrorCode(401, "No credentials were sent to an endpoint that needs them."),
    "authentication_failed": ErrorCode(401, "The credentials were refused."),
    "bad_authorization_header": ErrorCode(
        401, "The Authorization header is not `Bearer <token>` (e.g. an empty `Bearer `)."
    ),
    "token_not_valid": ErrorCode(401, "The token is malformed, expired, revoked or for an unknown user."),
    "refresh_token_reused": ErrorCode(
        401,
        "A refresh token that was already exchanged was presented again: every refresh "
        "token of the account is revoked, so every session must log in again.",
    ),
    "forbidden": ErrorCode(403, "The caller may not do this."),
    "csrf_failed": ErrorCode(403, "A cookie-authenticated unsafe request without a valid CSRF token."),
    "not_found": ErrorCode(404, "No such endpoint or object (also `/api` itself)."),
    "method_not_allowed": ErrorCode(405, "The endpoint does not support this HTTP method (e.g. TRACE)."),
    "not_acceptable": ErrorCode(406, "The Accept header asks for a format other than JSON."),
    "request_too_large": ErrorCode(413, "The whole request body is over REQUEST_MAX_BYTES."),
    "unsupported_media_type": ErrorCode(415, "The body's Content-Type is not accepted by this endpoint."),
    "throttled": ErrorCode(429, "Too many requests; `Retry-After` says when to try again."),
    "server_error": ErrorCode(500, "An unexpected error; logged on the server."),
    "service_unavailable": ErrorCode(503, "A dependency is down or the service is starting."),
    "database_unavailable": ErrorCode(503, "Health probe: the database does not answer."),
    # ---- pictures (common/images.py)
    "invalid_image": ErrorCode(400, "The file is not a picture in a supported format, or it is damaged."),
    "file_too_large": ErrorCode(413, "One picture is over the byte limit (also after cleaning)."),
    "image_too_large": ErrorCode(
        413, "One picture is over the pixel or frame limit, decompression bombs included."
    ),
    # ---- accounts
    "email_taken": ErrorCode(409, "The email is already registered."),
    "alias_taken": ErrorCode(409, "The alias is already taken."),
    "weak_password": ErrorCode(400, "The password fails the strength rules."),
    "invalid_alias": ErrorCode(400, "The alias is not 2-20 letters, digits, '.', '-' or '_'."),
    "invalid_credentials": ErrorCode(401, "Wrong email or password (the same answer for both)."),
    # ---- templates, jobs, pages, media
    "template_not_found": ErrorCode(
        404, "No such template, or one the caller may not see (another user's processing or failed one)."
    ),
    "template_not_ready": ErrorCode(409, "The caller's own template is still processing or failed."),
    "task_not_found": ErrorCode(404, "No such job, or another user's."),
    "invalid_page": ErrorCode(400, "The page number is not a positive integer."),
    "page_not_found": ErrorCode(404, "The page number is past the last page."),
    "media_link_invalid": ErrorCode(403, "The media link was altered or is not a media link."),
    "media_link_expired": ErrorCode(403, "The media link's lifetime is over; fetch the object again."),
    # ---- re-render, share, retention, account deletion
    "invalid_overrides": ErrorCode(400, "A re-render names a face the result does not have."),
    "task_not_done": ErrorCode(409, "A re-render or share of a job that is not done (pending, running or failed)."),
    "task_expired": ErrorCode(409, "The job's photo and result were deleted after the retention period."),
    "share_not_found": ErrorCode(404, "A share link that does not exist or is no longer shared."),
    "wrong_password": ErrorCode(400, "Deleting the account: the password is wrong; nothing was deleted."),
}

# The code answered for a status when nothing more precise is known.
STATUS_CODES: dict[int, str] = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "request_too_large",
    415: "unsupported_media_type",
    429: "throttled",
    500: "server_error",
    503: "service_unavailable",
}


def code_for_status(status: int) -> str:
    if status in STATUS_CODES:
        return STATUS_CODES[status]
    return "server_error" if status >= 500 else "bad_request"

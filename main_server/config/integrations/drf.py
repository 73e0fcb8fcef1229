"""Django REST framework and drf-spectacular."""

from config.env import env_list, env_str

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.JwtAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON in, except the uploads, whose views take multipart only.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "common.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "common.schema.IgemojiAutoSchema",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_RATES": {
        "login_ip": env_str("THROTTLE_LOGIN_IP", "60/min"),
        "login_email": env_str("THROTTLE_LOGIN_EMAIL", "10/min"),
        "uploads": env_str("THROTTLE_UPLOADS", "60/min"),
        "signup": env_str("THROTTLE_SIGNUP", "200/hour"),
        "availability": env_str("THROTTLE_AVAILABILITY", "60/min"),
    },
    # DRF's own reading of X-Forwarded-For trusts whatever the client sends when
    # NUM_PROXIES is None; our throttles use common.client_ip (TRUSTED_PROXIES)
    # and 0 makes any other DRF throttle use the socket address.
    "NUM_PROXIES": 0,
}

API_DESCRIPTION = """Turn the people in a photo into emoji.

This schema is generated from the views (main_server, drf-spectacular) and committed as
docs/openapi.yaml; the web app's types are generated from it.

- **Auth**: `Authorization: Bearer <access_token>` from `POST /api/v1/users/auth`. Access
  tokens are short-lived (`JWT_ACCESS_MINUTES`, 15 by default); `POST /api/v1/users/auth/refresh`
  trades a refresh token for new ones (rotation: each refresh token works once). A token that
  is sent is checked on every operation, public ones too: an invalid one gives 401 even there.
- **JSON** in and out; uploads are `multipart/form-data`. Text fields refuse the NUL character.
- **Errors**: every 4xx/5xx is `{"error": {"code", "message", "fields"?}}` (`ErrorResponse`); each
  response below lists its codes. `code` is stable and snake_case; new codes may appear, so
  treat an unknown one by its HTTP status. 405 `method_not_allowed` (with `Allow`) and 500
  `server_error` can come from any operation.
- **Lists** are pages of 8, newest first: `{count, num_pages, page, results}`; page 1 always
  exists (`num_pages` is 1 for an empty list), a page past the end is 404 `page_not_found`.
- **Pictures** (uploads, cut-outs, results) are served by signed, expiring URLs that the API
  hands out: use them as they are, never build them.
"""

SPECTACULAR_SETTINGS = {
    "TITLE": "IGEMOJI API",
    "DESCRIPTION": API_DESCRIPTION,
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",  # tags: users, emojis, faces, media, health
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.schema.add_picture_media_types",
    ],
    "ENUM_NAME_OVERRIDES": {
        "Emotion": "common.emotions.EMOTIONS",
        "JobStatus": "faces.models.JobStatus",
        "TemplateStatus": "emojis.models.TemplateStatus",
        "CutoutMethod": "emojis.serializers.CUTOUT_METHODS",
    },
    # Swagger UI from the installed sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Proxies whose X-Forwarded-For is believed (addresses, networks or host names):
# nginx in compose and `make stack`; empty under `make run` (no proxy).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")

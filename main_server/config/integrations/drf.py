"""Django REST framework and drf-spectacular."""

from config.env import env_list, env_str

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.JwtAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
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

SPECTACULAR_SETTINGS = {
    "TITLE": "IGEMOJI API",
    "DESCRIPTION": "Turn the people in a photo into emoji.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Proxies whose X-Forwarded-For is believed (addresses, networks or host names):
# nginx in compose and `make stack`; empty under `make run` (no proxy).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")

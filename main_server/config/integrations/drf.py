"""Django REST framework and drf-spectacular."""

from config.env import env_str

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
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
    },
    "NUM_PROXIES": 1 if env_str("BEHIND_PROXY", "0") == "1" else None,
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

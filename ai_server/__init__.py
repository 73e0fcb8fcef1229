"""IGEMOJI AI server: faces → emotions → emoji, as a Flask service.

``create_app()`` is the application factory. Importing this package stays light (no
TensorFlow): ``python -m ai_server`` imports it in the gunicorn master, and models
must only be built in the workers, after the fork.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    from ai_server import metrics
    from ai_server.api import TIMED_ENDPOINTS, bp
    from ai_server.config import load_config
    from ai_server.errors import register_error_handlers
    from ai_server.models import Models
    from ai_server.templates import TemplateCache

    app = Flask(__name__)
    load_config(app, test_config)
    app.json.sort_keys = False
    register_error_handlers(app)
    app.register_blueprint(bp)
    models = Models(app.config)
    app.extensions["ai_models"] = models
    app.extensions["template_cache"] = TemplateCache(int(float(app.config["TEMPLATE_CACHE_MB"]) * 1024 * 1024))
    metrics.init_series(tuple(TIMED_ENDPOINTS.values()))
    if app.config["EAGER_LOAD"]:
        models.load_all()
    logging.getLogger("ai_server").info(
        "app ready emotion_models=%s cutout=%s", models.emotion_names, models.health()["cutout_model"]
    )
    return app

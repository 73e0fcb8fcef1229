"""gunicorn entry: `gunicorn config.wsgi` (run from main_server/).

`/metrics` is answered here, before Django: Prometheus scrapes each replica by its
IP, which is not (and should not be) in ALLOWED_HOSTS, and a scrape needs neither
sessions nor SSL redirects. It is the same default registry django-prometheus and
the database collector write to. nginx never proxies `/metrics` to the public.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from config.body_drain import drain_unread_body

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.base")

# Early answers (401/413/429) to uploads leave the body unread: config/body_drain.py.
django_application = drain_unread_body(get_wsgi_application(), max_bytes=settings.REQUEST_MAX_BYTES + 2**20)


def _metrics_application():
    from django.db import close_old_connections
    from prometheus_client import REGISTRY, make_wsgi_app

    metrics_app = make_wsgi_app(REGISTRY)

    def serve(environ, start_response):
        # The DB collector queries outside Django's request cycle: tidy its connection.
        close_old_connections()
        try:
            return metrics_app(environ, start_response)
        finally:
            close_old_connections()

    return serve


metrics_application = _metrics_application()


def application(environ, start_response):
    if environ.get("PATH_INFO") in ("/metrics", "/metrics/"):
        return metrics_application(environ, start_response)
    return django_application(environ, start_response)

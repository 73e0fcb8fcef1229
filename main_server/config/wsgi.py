"""gunicorn entry: `gunicorn config.wsgi` (run from main_server/)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.base")

application = get_wsgi_application()

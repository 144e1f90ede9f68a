import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - settings are ready once the application is

if not settings.SECRET_KEY:
    raise ImproperlyConfigured(
        "Set SECRET_KEY (or DEBUG=1 for local development): the portal will not start without it."
    )

"""Settings for the test suite: the production settings with a fixed key, a fast hasher and in-memory email/cache."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-real-environment-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from .settings import *  # noqa: E402,F403
from .settings import STORAGES  # noqa: E402

DATABASE_OWNER = None  # tests that need the owner role set it themselves (tests/evidence/test_roles.py)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"},
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests-local"},
}
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# A delivery test whose database never answers again gives up in seconds rather than the production ten minutes.
OUTBOX_MARK_SENT_PATIENCE_SECONDS = 15
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

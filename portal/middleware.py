import time

from django.conf import settings
from django.contrib.auth import logout


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class IdleTimeoutMiddleware:
    """Signs a person out after SESSION_IDLE_TIMEOUT seconds without a request.

    The session is touched at most once a minute, so an active person's session and cookie are extended
    without writing the session on every request.
    """

    TOUCH_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get("last_seen", now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
            elif now - last_seen >= self.TOUCH_EVERY or "last_seen" not in request.session:
                request.session["last_seen"] = now
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuses a request body larger than the biggest upload we accept, before anything parses it.

    It sits before the CSRF check, which would otherwise read the whole body to find the token.
    """

    MARGIN = 64 * 1024  # room for the form's other fields and the multipart framing

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.STAFF_IMPORT_MAX_BYTES + self.MARGIN:
            from django.shortcuts import render

            return render(
                request, "413.html", {"max_mb": max(1, settings.STAFF_IMPORT_MAX_BYTES // (1024 * 1024))}, status=413
            )
        return self.get_response(request)

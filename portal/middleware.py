import time

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        # XFrameOptionsMiddleware sits late in the chain, so pages refused early (400 bad host, 413 too large) would
        # go without it; this middleware wraps nearly everything.
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response


class PrivatePagesMiddleware:
    """A signed-in person's pages and downloads are never kept by a browser or shared cache (`private, no-store`):
    on a shared computer, Back after signing out must not show someone's record or HR's report."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
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
            return render(
                request, "413.html", {"max_mb": max(1, settings.STAFF_IMPORT_MAX_BYTES // (1024 * 1024))}, status=413
            )
        return self.get_response(request)


class AdminAccessMiddleware:
    """The admin is the portal's too: someone signed in without admin access gets the portal's 403 in their
    language, and nobody sees Django's own admin sign-in page (the portal's sign-in page leads back)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or admin.site.name not in match.namespaces:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if not admin.site.has_permission(request):
            raise PermissionDenied
        return None

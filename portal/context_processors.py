import time

from django.conf import settings
from django.urls import reverse

from .i18n import active_language, other_language, switched_url

ROLES_TTL = 300


def nav_roles(request) -> dict:
    """Which role links a person's menu shows. Kept in the session for a few minutes to spare two queries a page;
    the pages themselves always check roles afresh."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cached = request.session.get("nav_roles")
    if cached and cached.get("user") == user.pk and time.time() - cached.get("at", 0) < ROLES_TTL:
        return cached
    roles = {
        "user": user.pk,
        "at": int(time.time()),
        "hr": user.is_hr,
        "editor": user.is_editor,
        "manager": user.reports.filter(is_active=True).exists(),
    }
    request.session["nav_roles"] = roles
    return roles


def portal(request):
    """The language switch and the menu's role links, for the shared layout."""
    current = active_language()
    other = other_language(current)
    return {
        "current_language": current,
        "other_language": other,
        # Signed in, the switch is a small form that also saves the preference; signed out, a plain link.
        "language_switch_url": switched_url(request.get_full_path(), other),
        "language_switch_action": reverse("switch-language", kwargs={"language": other}),
        "language_switch_next": request.get_full_path(),
        "nav_roles": nav_roles(request),
        "oidc_enabled": settings.OIDC_ENABLED,
    }

import time

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language

OTHER_LANGUAGE = {"en": "cy", "cy": "en"}
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
    current = (get_language() or "en")[:2]
    other = OTHER_LANGUAGE.get(current, "cy")
    switch_url = (
        reverse("switch-language", kwargs={"language": other}) + "?" + urlencode({"next": request.get_full_path()})
    )
    return {
        "current_language": current,
        "other_language": other,
        "language_switch_url": switch_url,
        "nav_roles": nav_roles(request),
        "oidc_enabled": settings.OIDC_ENABLED,
    }

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language

from .models import Language

OTHER_LANGUAGE = {"en": "cy", "cy": "en"}


def portal(request):
    """The language switch and the person's roles, for the shared layout."""
    current = (get_language() or "en")[:2]
    other = OTHER_LANGUAGE.get(current, "cy")
    switch_url = reverse("switch-language", kwargs={"language": other}) + "?" + urlencode(
        {"next": request.get_full_path()}
    )
    return {
        "current_language": current,
        "other_language": other,
        "other_language_name": dict(Language.choices)[other],
        "language_switch_url": switch_url,
        "oidc_enabled": settings.OIDC_ENABLED,
    }

"""Template helpers for the admin's own templates in templates/admin/ (bilingual fields, counts)."""

from django import template
from django.utils.html import format_html

from portal.admin_counts import count_of

register = template.Library()


@register.filter
def field_language(name) -> str:
    """ "cy" for a Welsh field (name ending in _cy), "en" for an English one, "" for the rest."""
    name = str(name or "")
    return name[-2:] if name.endswith(("_cy", "_en")) else ""


@register.simple_tag
def bilingual_widget(bound_field):
    """The field's widget with `lang` for a field in one language, so screen readers read Welsh as Welsh (and English
    as English on a Welsh page)."""
    language = field_language(bound_field.name)
    if not language:
        return bound_field
    return format_html("{}", bound_field.as_widget(attrs={"lang": language}))


@register.simple_tag
def result_count(cl) -> str:
    return count_of(cl.opts, cl.result_count)

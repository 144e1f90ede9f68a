"""Show a person's status with the label and colour its one definition gives it."""

from django import template

from ..status import TAG_CLASSES, PersonStatus

register = template.Library()


@register.filter
def status_label(status: str) -> str:
    return str(PersonStatus(status).label)


@register.filter
def status_tag_class(status: str) -> str:
    return TAG_CLASSES[PersonStatus(status)]

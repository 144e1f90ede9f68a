"""Django's own messages that people can see here but that Django's Welsh catalogue leaves untranslated.

Marking them here puts them in locale/cy, where our Welsh for them takes precedence.
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS_WITHOUT_WELSH = [
    gettext_noop("Null characters are not allowed."),
    gettext_noop("Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
    gettext_noop("Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("That page number is not an integer"),
    gettext_noop("That page number is less than 1"),
    gettext_noop("That page contains no results"),
    gettext_noop("The inline value did not match the parent instance."),
    gettext_noop("Messages"),
]

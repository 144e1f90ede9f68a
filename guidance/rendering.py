"""Markdown to safe HTML. Editors write Markdown; what reaches the page is sanitised, so no script can get through."""

import markdown
import nh3
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "a", "strong", "em", "blockquote", "br", "hr", "abbr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}


def render_markdown(text: str) -> SafeString:
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"https", "http", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)


def render_cached(key: str, text: str) -> SafeString:
    """Published text never changes, so its HTML is cached for a day under a key that names the exact text."""
    html = cache.get(key)
    if html is None:
        html = str(render_markdown(text))
        cache.set(key, html, 60 * 60 * 24)
    return mark_safe(html)

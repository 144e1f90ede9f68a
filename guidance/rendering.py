"""Markdown to safe HTML. Editors write Markdown; what reaches the page is sanitised, so no script can get through."""

import re

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
    return mark_safe(mark_shown_addresses(clean))


LINK = re.compile(r'<a href="(?P<href>[^"]+)"(?P<rest>[^>]*)>(?P<text>.*?)</a>', re.DOTALL)


def addresses_written_out(html: str) -> set[str]:
    """The addresses a text shows as words: links whose text is their own address."""
    return {match["href"] for match in LINK.finditer(html) if match["text"].strip() == match["href"]}


def mark_shown_addresses(html: str, shown: set[str] | None = None) -> str:
    """Printed pages put each link's address after it (print CSS), unless the text already shows that address:
    links to an address in `shown` (by default, the ones this text writes out) get `app-url-shown` and print none."""
    shown = addresses_written_out(html) if shown is None else shown
    if not shown:
        return html

    def mark(match: re.Match) -> str:
        if match["href"] not in shown or "app-url-shown" in match["rest"]:
            return match.group(0)
        return f'<a href="{match["href"]}" class="app-url-shown"{match["rest"]}>{match["text"]}</a>'

    return LINK.sub(mark, html)


def render_cached(key: str, text: str) -> SafeString:
    """Published text never changes, so its HTML is cached for a day under a key that names the exact text."""
    html = cache.get(key)
    if html is None:
        html = str(render_markdown(text))
        cache.set(key, html, 60 * 60 * 24)
    return mark_safe(html)

"""Markdown of the service articles, rendered to HTML that is safe to show.

Editors write plain text with a little Markdown (lists, emphasis, links, headings). The source
is what is stored; HTML is made on output, in two steps by two maintained libraries:

- markdown-it-py renders CommonMark, the specification every Markdown editor follows, with raw
  HTML turned off (it is shown as text) and tables and strikethrough on;
- nh3 (Python bindings of the Rust crate ammonia) sanitises the result against an allow-list
  of tags and attributes, and keeps only http, https, mailto and tel links. Rendering alone
  would already escape HTML; the sanitiser is what guarantees it for every page, whatever the
  renderer's options become.

The result of a text is cached by the text itself (it never changes), so a page shown often
renders its article once per process.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "hr",
        "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])


def _shifted_headings(html: str) -> str:
    """An article's own headings sit under the page's title and its sections (h1, h2)."""
    for level in (2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(
            f"</h{level}>", f"</h{level + 2}>"
        )
    return html


@lru_cache(maxsize=2048)
def render_markdown(source: str) -> SafeString:
    """The Markdown `source` as sanitised HTML, ready for a template."""
    if not source.strip():
        return mark_safe("")
    html = _shifted_headings(_markdown.render(source))
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above

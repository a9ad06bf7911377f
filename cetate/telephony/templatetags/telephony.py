"""How the call log writes durations."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def duration(span: timedelta | None) -> SafeString | str:
    """42 s → "0:42", 65 min → "1:05:00", as a <time> element machines can read; "—" for none."""
    if span is None:
        return "—"
    seconds = max(int(span.total_seconds()), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"
    return format_html('<time datetime="PT{}H{}M{}S">{}</time>', hours, minutes, seconds, text)

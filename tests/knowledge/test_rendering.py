"""Markdown of the articles reaches pages sanitised."""

from cetate.knowledge.rendering import render_markdown


def test_script_and_raw_html_never_reach_the_page():
    html = render_markdown(
        "Pași:\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "- [link](javascript:alert(1))\n- [bun](https://www.apulum.ro)"
    )
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert '<a href="https://www.apulum.ro" rel="noopener noreferrer nofollow">bun</a>' in html


def test_lists_tables_and_emphasis_render():
    html = render_markdown("1. unu\n2. **doi**\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<ol>" in html and "<strong>doi</strong>" in html
    assert "<table>" in html and "<td>1</td>" in html


def test_an_article_heading_sits_below_the_page_sections():
    assert render_markdown("# Titlu\n\n## Sub").strip() == "<h3>Titlu</h3>\n<h4>Sub</h4>"

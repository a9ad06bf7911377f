"""A dispatcher finds a held message from the console's waiting bar, reads it and registers
it as a case of the kind and category they read in it, in a real browser at a laptop's size."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from cetate.cases.choices import Channel, Kind
from cetate.mail.models import InboundMessage, Outcome
from cetate.mail.pipeline import receive

pytestmark = pytest.mark.browser

NAMELESS = """From: ion.popescu@example.org
To: registratura@apulum.ro
Subject: Groapa din strada Morilor
Message-ID: <held-walk@example.org>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<p>Pe strada Morilor este o groapă <b>adâncă</b>.</p><script>document.title="x"</script>
""".encode()


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


def test_the_dispatcher_registers_a_held_message_as_a_case(browse, city, settings):
    settings.MAP_TILE_URL = ""
    assert receive(NAMELESS, source="pipe").outcome == Outcome.QUARANTINED
    page = browse.page
    page.set_viewport_size({"width": 1366, "height": 768})
    browse.sign_in(city.dispatcher)

    waiting = page.get_by_role("link", name=f"{_ro('Held mail')}: 1")
    expect(waiting).to_be_visible()
    waiting.click()
    page.wait_for_url("**/console/mail/")
    browse.audit()
    page.get_by_role("link", name="Groapa din strada Morilor").click()
    page.wait_for_url("**/console/mail/*/")
    browse.audit()
    expect(page.locator(".held-text")).to_contain_text("Pe strada Morilor este o groapă adâncă.")
    expect(
        page.get_by_role("link", name=_ro("Download the message as received (.eml)"))
    ).to_be_visible()
    overflow = page.evaluate("() => document.documentElement.scrollWidth > innerWidth")
    assert not overflow

    # A complaint names its author: without the name it is refused, beside the name.
    expect(page.get_by_label(_ro("Kind"))).to_have_value("request")
    page.get_by_label(_ro("Kind")).select_option("complaint")
    with page.expect_navigation():
        page.get_by_role("button", name=_ro("Register as a case")).click()
    browse.audit()
    expect(page.get_by_role("alert").first).to_contain_text(
        _ro("The case was not registered: correct the fields marked below.")
    )
    expect(page.locator("#id_name_error")).to_contain_text(
        _ro(
            "Give the petitioner's name: anonymous petitions are not considered "
            "(OG 27/2002 art. 7)."
        )
    )
    expect(page.get_by_label(_ro("Kind"))).to_have_value("complaint")
    assert InboundMessage.objects.get().outcome == Outcome.QUARANTINED

    # The dispatcher reads a report of a lamp out: its kind, its category and its question.
    page.get_by_label(_ro("Sender's name")).fill("Ion Popescu")
    expect(page.get_by_label(_ro("Address to answer to"))).to_have_value("ion.popescu@example.org")
    page.get_by_label(_ro("Kind")).select_option("report")
    page.get_by_label(_ro("Find a category")).fill("stalp")
    expect(page.locator("#id_category option:checked")).to_have_text("Iluminat › Stâlp stins")
    page.get_by_label("Numărul stâlpului").fill("A-17")
    browse.audit()
    with page.expect_navigation():
        page.get_by_role("button", name=_ro("Register as a case")).click()
    browse.audit()
    message = InboundMessage.objects.get()
    assert message.outcome == Outcome.CASE
    case = message.case
    assert (case.channel, case.kind, case.category) == (Channel.EMAIL, Kind.REPORT, city.lamp)
    assert case.answers == {"pole": "A-17"}
    page.wait_for_url(f"**{reverse('console:case', args=[case.pk])}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.number)
    expect(page.locator(".case-mail a")).to_have_attribute(
        "href", reverse("console:case_message_raw", args=[case.pk, message.pk])
    )
    expect(page.get_by_role("link", name=f"{_ro('Held mail')}: 0")).to_be_visible()

"""Mail that looks like spam is held for the dispatcher, with each point of its score in words;
the score reads only what the city's own mail server wrote on the message."""

import hashlib
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from cetate.cases.models import Case
from cetate.mail.models import InboundMessage, Outcome
from cetate.mail.pipeline import Received, receive
from cetate.mail.spam import parse_authentication_results, score_of

CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture(autouse=True)
def _city_mail_server(settings):
    settings.MAIL_AUTHSERV_ID = ["mx.apulum.ro"]


def received(name: str, capture) -> tuple[Received, InboundMessage]:
    data = (CORPUS / name).read_bytes()
    with capture(execute=True):
        result = receive(data, source="pipe")
    return result, InboundMessage.objects.get(sha256=hashlib.sha256(data).hexdigest())


def headers_of(text: str):
    return BytesParser(policy=policy.default).parsebytes(text.encode(), headersonly=True)


def test_a_message_failing_dmarc_is_held_with_each_point_in_words_and_opens_no_case(
    city, django_capture_on_commit_callbacks, mailoutbox
):
    result, row = received("spam-dmarc-fail.eml", django_capture_on_commit_callbacks)

    assert (result.outcome, result.case) == (Outcome.QUARANTINED, None)
    assert row.spam_score == 6
    assert row.spam_reasons == ["DMARC: fail (+4)", "SPF: fail (+2)"]
    assert row.reason == (
        "Looks like spam (6 points; a message is held at 5 or more): DMARC: fail (+4); "
        "SPF: fail (+2)."
    )
    assert not Case.objects.exists()
    assert mailoutbox == []


def test_an_spf_softfail_alone_stays_below_the_threshold_and_opens_a_case(
    city, django_capture_on_commit_callbacks
):
    result, row = received("spam-spf-softfail.eml", django_capture_on_commit_callbacks)

    assert result.outcome == Outcome.CASE
    assert (row.spam_score, row.spam_reasons) == (1, ["SPF: softfail (+1)"])
    assert row.case.reporter.name == "Maria Ionescu"


def test_a_lower_header_from_another_server_is_not_believed(
    city, django_capture_on_commit_callbacks
):
    # The sender wrote a header saying everything passed, under a name that is not the city's
    # mail server: the city's server found a bad DKIM signature, and that is what counts.
    result, row = received("spam-forged-results.eml", django_capture_on_commit_callbacks)

    assert result.outcome == Outcome.QUARANTINED
    assert row.spam_reasons == ["DMARC: fail (+4)", "SPF: fail (+2)", "DKIM: fail (+1)"]


def test_without_the_servers_name_only_the_topmost_header_is_read(settings):
    settings.MAIL_AUTHSERV_ID = []
    forged_below = headers_of(
        "Authentication-Results: mx.apulum.ro; spf=none; dkim=none; dmarc=none\n"
        "Authentication-Results: mx.apulum.ro; spf=pass; dkim=pass; dmarc=pass\n\n"
    )

    assert score_of(forged_below).reasons == ("No SPF, DKIM or DMARC result (+1)",)


def test_a_header_from_another_server_alone_leaves_the_message_unauthenticated():
    other = headers_of("Authentication-Results: mx.example.net; spf=fail; dmarc=fail\n\n")

    assert score_of(other).reasons == ("No SPF, DKIM or DMARC result (+1)",)


def test_the_spamassassin_verdict_holds_a_message_that_passes_authentication(
    city, django_capture_on_commit_callbacks
):
    result, row = received("spam-spamassassin.eml", django_capture_on_commit_callbacks)

    assert result.outcome == Outcome.QUARANTINED
    assert row.spam_reasons == ["The mail server marked it as spam (X-Spam-Flag: YES) (+5)"]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "header",
    ["X-Spam-Status: Yes, score=7.5 required=5.0", "X-Spam: Yes", "X-Spam-Flag: yes"],
)
def test_each_spam_filters_verdict_is_read(header):
    message = headers_of(
        f"Authentication-Results: mx.apulum.ro; spf=pass; dkim=pass; dmarc=pass\n{header}\n\n"
    )

    assert score_of(message).points == 5


def test_a_filter_saying_no_adds_nothing():
    message = headers_of(
        "Authentication-Results: mx.apulum.ro; spf=pass; dmarc=pass\n"
        "X-Spam-Status: No, score=0.1 required=5.0\nX-Spam-Flag: NO\n\n"
    )

    assert (score_of(message).points, score_of(message).reasons) == (0, ())


def test_points_set_to_zero_leave_their_reason_out(settings):
    settings.MAIL_SPAM_POINTS = {**settings.MAIL_SPAM_POINTS, "unauthenticated": 0}

    assert score_of(headers_of("Subject: x\n\n")).reasons == ()


def test_comments_quotes_and_versions_are_read_past():
    header = (
        'mx.apulum.ro 1; auth=pass (cram-md5) smtp.auth="a;b"; spf/2=softfail '
        '(sender (nested) comment) smtp.mailfrom=a@example.org; dkim=fail reason="bad; sig"'
    )

    assert parse_authentication_results(header) == (
        "mx.apulum.ro",
        [("auth", "pass"), ("spf", "softfail"), ("dkim", "fail")],
    )
    assert parse_authentication_results("mx.apulum.ro; none") == ("mx.apulum.ro", [])

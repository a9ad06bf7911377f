"""The signature header: what a receiver accepts and what it refuses."""

from cetate.webhooks.signing import signature, verify

SECRET = "s3cret"
BODY = b'{"id":1}'


def test_a_fresh_signature_of_the_same_body_is_accepted():
    header = signature(SECRET, 1_700_000_000, BODY)
    assert header.startswith("t=1700000000,v1=")
    assert verify(SECRET, header, BODY, now=1_700_000_100)


def test_a_changed_body_or_timestamp_is_refused():
    header = signature(SECRET, 1_700_000_000, BODY)
    assert not verify(SECRET, header, b'{"id":2}', now=1_700_000_000)
    forged = header.replace("t=1700000000", "t=1700000050")
    assert not verify(SECRET, forged, BODY, now=1_700_000_050)


def test_an_old_delivery_replayed_later_is_refused():
    header = signature(SECRET, 1_700_000_000, BODY)
    assert not verify(SECRET, header, BODY, now=1_700_000_000 + 301)


def test_a_malformed_header_is_refused():
    assert not verify(SECRET, "v1=abc", BODY, now=0)
    assert not verify(SECRET, "t=soon,v1=abc", BODY, now=0)
    assert not verify(SECRET, "", BODY, now=0)

"""Whether a message looks like spam: a few points, each named in words, that a dispatcher can
check against the message's headers.

The points come from what the city's own mail server found and wrote on the message: the
SPF, DKIM and DMARC results of its `Authentication-Results` header (RFC 8601), and its spam
filter's verdict when it has one (SpamAssassin's `X-Spam-Flag` and `X-Spam-Status`, Rspamd's
`X-Spam`). A message scoring `MAIL_SPAM_THRESHOLD` or more is held for a person to look at;
the score and its reasons are kept on the message either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cetate.mail.models import InboundMessage

# The methods whose results count; any other (iprev, arc, auth …) is read past.
COUNTED_METHODS = ("spf", "dkim", "dmarc")
# Headers in which a spam filter gives its verdict: "Yes" (before any comma) means spam.
VERDICT_HEADERS = ("X-Spam-Flag", "X-Spam-Status", "X-Spam")


@dataclass(frozen=True)
class SpamScore:
    """The points a message scored, each reason in words with its points."""

    points: int
    reasons: tuple[str, ...]

    @property
    def held(self) -> bool:
        return self.points >= settings.MAIL_SPAM_THRESHOLD

    @property
    def reason(self) -> str:
        """Why the message is held, as the held mail list shows it."""
        return ngettext(
            "Looks like spam (%(points)d point; a message is held at %(threshold)d or more): "
            "%(why)s.",
            "Looks like spam (%(points)d points; a message is held at %(threshold)d or more): "
            "%(why)s.",
            self.points,
        ) % {
            "points": self.points,
            "threshold": settings.MAIL_SPAM_THRESHOLD,
            "why": "; ".join(self.reasons),
        }


def spam_score(row: InboundMessage, message: Message) -> SpamScore:
    """Score the message and keep the score and its reasons on its row."""
    score = score_of(message)
    InboundMessage.objects.filter(pk=row.pk).update(
        spam_score=score.points, spam_reasons=list(score.reasons)
    )
    return score


def score_of(message: Message) -> SpamScore:
    """The message's points: its authentication as the city's mail server found it, and the
    server's spam verdict."""
    points = settings.MAIL_SPAM_POINTS
    results = authentication_results(message)
    scored: list[tuple[str, int]] = []
    if "fail" in results["dmarc"]:
        scored.append((_("DMARC: fail"), points["dmarc_fail"]))
    if "fail" in results["spf"]:
        scored.append((_("SPF: fail"), points["spf_fail"]))
    elif "softfail" in results["spf"]:
        scored.append((_("SPF: softfail"), points["spf_softfail"]))
    # One good signature is enough: a list or a forwarder may break another one on the way.
    if "fail" in results["dkim"] and "pass" not in results["dkim"]:
        scored.append((_("DKIM: fail"), points["dkim_fail"]))
    if not any(result != "none" for found in results.values() for result in found):
        scored.append((_("No SPF, DKIM or DMARC result"), points["unauthenticated"]))
    verdict = _spam_verdict(message)
    if verdict:
        scored.append(
            (
                _("The mail server marked it as spam (%(header)s)") % {"header": verdict},
                points["marked_spam"],
            )
        )
    counted = [(what, value) for what, value in scored if value > 0]
    return SpamScore(
        points=sum(value for _what, value in counted),
        reasons=tuple(f"{what} (+{value})" for what, value in counted),
    )


def authentication_results(message: Message) -> dict[str, list[str]]:
    """The results of SPF, DKIM and DMARC, by method, in the headers the city can trust.

    With MAIL_AUTHSERV_ID set, only headers its mail server wrote count: those naming one of
    its ids. Without it, only the topmost header counts: each server puts its header above
    the ones it received, so the topmost is the city's own server's, and any lower one may
    have been written by the sender, to pass for authenticated. A header under the city's own
    name is believed wherever it is: the city's server removes such headers from the mail it
    receives (RFC 8601 section 5).
    """
    found: dict[str, list[str]] = {method: [] for method in COUNTED_METHODS}
    headers = [str(value) for value in message.get_all("Authentication-Results") or []]
    trusted_ids = set(settings.MAIL_AUTHSERV_ID)
    if not trusted_ids:
        headers = headers[:1]
    for header in headers:
        parsed = parse_authentication_results(header)
        if parsed is None:
            continue
        authserv_id, results = parsed
        if trusted_ids and authserv_id not in trusted_ids:
            continue
        for method, result in results:
            if method in found:
                found[method].append(result)
    return found


def parse_authentication_results(value: str) -> tuple[str, list[tuple[str, str]]] | None:
    """(authserv-id, [(method, result) …]) of one header, lower case; None if unreadable.

    `mx.example.ro 1; spf=pass smtp.mailfrom=a@b.ro; dkim=fail (bad signature) header.d=b.ro`
    reads as ("mx.example.ro", [("spf", "pass"), ("dkim", "fail")]).
    """
    parts = _split_outside_quotes(_without_comments(value), ";")
    head = parts[0].split()
    if not head:
        return None
    results: list[tuple[str, str]] = []
    for part in parts[1:]:
        words = part.split()
        if not words or "=" not in words[0]:
            continue  # "none": the server checked nothing
        method, _equals, result = words[0].partition("=")
        method = method.split("/")[0].strip().lower()
        results.append((method, result.strip().lower()))
    return head[0].lower(), results


def _without_comments(value: str) -> str:
    """The header without its (comments), which may nest; quoted strings are kept."""
    kept: list[str] = []
    depth = 0
    quoted = False
    escaped = False
    for char in value:
        if escaped:
            escaped = False
            if depth == 0:
                kept.append(char)
            continue
        if char == "\\":
            escaped = True
            if depth == 0:
                kept.append(char)
            continue
        if quoted:
            quoted = char != '"'
            kept.append(char)
        elif char == '"' and depth == 0:
            quoted = True
            kept.append(char)
        elif char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            kept.append(" ")
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


def _split_outside_quotes(value: str, separator: str) -> list[str]:
    parts = [""]
    quoted = False
    for char in value:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted:
            parts.append("")
        else:
            parts[-1] += char
    return parts


def _spam_verdict(message: Message) -> str:
    """The spam filter's header that says the message is spam, as "name: value", or ""."""
    for name in VERDICT_HEADERS:
        for value in message.get_all(name) or []:
            words = " ".join(str(value).split())
            if words.split(",")[0].strip().lower() == "yes":
                return f"{name}: {words.split(',')[0].strip()}"
    return ""

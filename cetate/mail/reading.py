"""What a message says, read from its bytes: who sent it, its subject, its text and its files.

Encoded words are decoded by the standard library's `email` package with `policy.default`. A
text part is read as UTF-8 whenever its bytes are UTF-8, whatever character set it declares
(web forms and old mailers often declare ISO-8859-1 and write UTF-8); otherwise in the character
set it declares, or, when that is unknown (or ASCII, for 8-bit bytes), in Windows-1250, the 8-bit
set of Romanian mail, with what cannot be read replaced, never refused. Text sent as
format=flowed (RFC 3676) is joined back into its paragraphs, and Outlook's placeholders for the
images within a message ("[cid:image001.jpg@…]") are left out of its text. An HTML-only message
is turned into text by the standard HTML parser: only its text is kept, never a script's or a
style's, and nothing of it is ever run or shown as HTML. A message whose MIME structure is
broken, or that names no sender we could answer, is `Unreadable`: it is held whole for a person
to look at.
"""

from __future__ import annotations

import codecs
import io
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from email import errors, policy
from email.message import EmailMessage, Message, MIMEPart
from email.parser import BytesParser
from html.parser import HTMLParser

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from mailparser_reply import EmailReplyParser
from PIL import Image

from cetate.cases.uploads import CleanFile, Upload
from cetate.lib.text import plain_text

# Defects that leave the parts of a message unknown: what it carries cannot be told.
BROKEN_STRUCTURE = (
    errors.NoBoundaryInMultipartDefect,
    errors.StartBoundaryNotFoundDefect,
    errors.MultipartInvariantViolationDefect,
)
# A reply quoted under a Romanian mail client's header ("La 7 dec. 2026, Ion a scris:"), which
# the reply parser's languages do not include.
ROMANIAN_QUOTE_HEADER = re.compile(
    r"^\s*(?:(?:La|În|Pe)\b.{0,200}\ba scris:\s*$"
    # Outlook in Romanian: the quoted message's headers ("De la: …" then "Trimis: …").
    r"|\**De la:\**[^\n]{0,300}\n\s*\**(?:Trimis|Dată|Data):)",
    re.MULTILINE,
)


# Outlook's plain text marks where an image stood within the message.
IMAGE_PLACEHOLDER = re.compile(r"[ \t]*\[cid:[^\]\s]+\][ \t]*")
# What a text part is read in when the character set it names is unknown.
FALLBACK_CHARSET = "windows-1250"
# An image shown within a message (not attached) smaller than this on its shorter side is part of
# the message's layout: a logo, a signature's icon, a social network's button. A photo of a
# street is larger; an image whose size cannot be read is kept, so that its refusal is named.
LAYOUT_IMAGE_PIXELS = 200


class Unreadable(Exception):
    """The message cannot be read as a letter to the city; the message says why."""


@dataclass(frozen=True)
class Headline:
    """What the register of incoming mail keeps of a message, read leniently: empty where the
    header is missing or broken."""

    message_id: str = ""
    sender: str = ""
    subject: str = ""


@dataclass(frozen=True)
class Letter:
    """A message read as a letter: `text` whole, `shown` without quoted text and signature."""

    sender_name: str
    sender_address: str
    subject: str
    text: str
    shown: str
    attachments: Sequence[Upload | CleanFile] = field(default_factory=list)


def parse(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def headline(message: Message) -> Headline:
    """The headline as it can be written to any database: on one line, without control
    characters (PostgreSQL refuses a NUL), and cut to the columns' lengths."""
    return Headline(
        message_id=_one_line(_header(message, "Message-ID"))[:998],
        sender=_one_line(sender_of(message)[1])[:254],
        subject=_one_line(_header(message, "Subject"))[:998],
    )


def _one_line(text: str) -> str:
    return " ".join(plain_text(text).split())


def letter_of(message: EmailMessage) -> Letter:
    """The message as a letter, or Unreadable."""
    for part in message.walk():
        if any(isinstance(defect, BROKEN_STRUCTURE) for defect in part.defects):
            raise Unreadable(_("The message's MIME structure is broken."))
    name, address = sender_of(message)
    try:
        validate_email(address)
    except ValidationError:
        raise Unreadable(_("The message names no sender address to answer to.")) from None
    body = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        text = "\n\n".join(
            _readable_text(part).strip() for part in [body, *_continuations(message, body)]
        )
    text = re.sub(r"\n{3,}", "\n\n", IMAGE_PLACEHOLDER.sub("", text)).strip()
    return Letter(
        sender_name=name,
        sender_address=address,
        subject=" ".join(_header(message, "Subject").split()),
        text=text,
        shown=without_quotes(text),
        attachments=_attachments(message, body),
    )


def without_quotes(text: str) -> str:
    """The text its author wrote last: without the messages it quotes and the signature."""
    romanian = ROMANIAN_QUOTE_HEADER.search(text)
    if romanian:
        text = text[: romanian.start()]
    replies = EmailReplyParser(languages=["en"]).read(text=text).replies
    shown = replies[0].body.strip() if replies else ""
    return shown or text.strip()


def html_to_text(html: str) -> str:
    reader = _TextOfHtml()
    reader.feed(html)
    reader.close()
    lines = [" ".join(line.split()) for line in "".join(reader.pieces).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class _TextOfHtml(HTMLParser):
    BLOCKS = frozenset(
        {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table"}
    )
    HIDDEN = frozenset({"script", "style", "head", "title", "template", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.pieces.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.pieces.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.pieces.append(data)


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except (errors.HeaderParseError, ValueError, IndexError, LookupError):
        return ""
    return "" if value is None else str(value)


def sender_of(message: Message) -> tuple[str, str]:
    """(display name, address) of the From header, empty when it has none we can read."""
    try:
        header = message.get("From")
        addresses = getattr(header, "addresses", ())
        if not addresses:
            return "", ""
        first = addresses[0]
        return " ".join(first.display_name.split()), first.addr_spec.strip().lower()
    except (errors.HeaderParseError, ValueError, IndexError, LookupError, AttributeError):
        return "", ""


def _readable_text(part: MIMEPart) -> str:
    """A text part's text, HTML turned into text and flowed lines joined."""
    text = _text_of(part).replace("\r\n", "\n")
    if part.get_content_subtype() == "html":
        return html_to_text(text)
    if str(part.get_param("format", "") or "").lower() == "flowed":
        return unflowed(text, delsp=str(part.get_param("delsp", "") or "").lower() == "yes")
    return text


def _continuations(message: EmailMessage, body: MIMEPart) -> list[MIMEPart]:
    """The text parts after the body in the same multipart/mixed: what was written after a
    photo placed within the text (Apple Mail sends text, photo, text)."""
    for part in message.walk():
        if part.get_content_type() != "multipart/mixed":
            continue
        children = list(part.iter_parts())
        found = [index for index, child in enumerate(children) if child is body]
        if found:
            return [
                child
                for child in children[found[0] + 1 :]
                if child.get_content_type() == body.get_content_type()
                and child.get_content_disposition() != "attachment"
                and not child.get_filename()
            ]
    return []


def unflowed(text: str, *, delsp: bool = False) -> str:
    """format=flowed text (RFC 3676) with each paragraph back on one line: a line ending in a
    space goes on in the next line of the same quote depth."""
    lines: list[tuple[int, str]] = []
    open_line: tuple[int, str] | None = None
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffed, or the space after the quote marks
        flowed = content.endswith(" ") and content != "-- "
        if flowed and delsp:
            content = content[:-1]
        if open_line is not None and open_line[0] == depth:
            open_line = (depth, open_line[1] + content)
        else:
            if open_line is not None:
                lines.append(open_line)
            open_line = (depth, content)
        if not flowed:
            lines.append(open_line)
            open_line = None
    if open_line is not None:
        lines.append(open_line)
    return "\n".join(f"{'>' * depth} {content}" if depth else content for depth, content in lines)


def _text_of(part: MIMEPart) -> str:
    try:
        payload = part.get_payload(decode=True)
    except (LookupError, UnicodeError, ValueError, AssertionError):
        return ""
    if not isinstance(payload, bytes):
        return ""
    if not payload.isascii():
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            pass
    try:
        codec = codecs.lookup(part.get_content_charset() or "us-ascii").name
    except LookupError:
        codec = FALLBACK_CHARSET
    if codec == "ascii":  # 8-bit bytes said to be ASCII: the declaration is wrong
        codec = FALLBACK_CHARSET
    return payload.decode(codec, errors="replace")


def _attachments(message: EmailMessage, body: Message | None) -> list[Upload]:
    """Every part that is a file: named, or not text. The body and its other forms are not,
    nor the small images of the message's layout."""
    files = []
    for part in message.walk():
        if part is body or part.is_multipart():
            continue
        name = part.get_filename() or ""
        if not name and part.get_content_maintype() in {"text", "message"}:
            continue
        content = part.get_payload(decode=True)
        if not isinstance(content, bytes) or _is_layout_image(part, content):
            continue
        files.append(Upload(name=name or _("unnamed file"), content=content))
    return files


def _is_layout_image(part: Message, content: bytes) -> bool:
    """An image shown within the message, too small on its shorter side to be a photo."""
    if part.get_content_maintype() != "image" or part.get_content_disposition() == "attachment":
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(content)) as image:  # reads the header only
                width, height = image.size
    except Exception:  # not an image Pillow reads: kept, and named if the case refuses it
        return False
    return min(width, height) < LAYOUT_IMAGE_PIXELS

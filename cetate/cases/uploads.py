"""Checking uploaded files by their content, not their name, and removing photo metadata.

A photo's GPS position can be read (`photo_location`) before its metadata is removed, so that a
resident may offer it as the place of the case.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from cetate.cases.errors import DomainError
from cetate.lib.geo import valid_coordinates

IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
MAX_PIXELS = 40_000_000


class RejectedUpload(DomainError):
    """A file that is not an image or PDF we accept, or too large."""


@dataclass(frozen=True)
class Upload:
    """A file as received from a channel, before it is checked."""

    name: str
    content: bytes


@dataclass(frozen=True)
class CleanFile:
    name: str
    content: bytes
    content_type: str
    sha256: str


def clean_upload(upload: Upload) -> CleanFile:
    """The file ready to store: images re-encoded without EXIF, PDFs checked to parse."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if len(upload.content) > limit:
        raise RejectedUpload(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(len(upload.content)),
                "limit": filesizeformat(limit),
            }
        )
    if upload.content.startswith(b"%PDF-"):
        content, content_type, extension = _checked_pdf(upload), "application/pdf", "pdf"
    else:
        content, content_type, extension = _stripped_image(upload)
    stem = get_valid_filename(upload.name.rsplit(".", 1)[0])[:80] or "file"
    return CleanFile(
        name=f"{stem}.{extension}",
        content=content,
        content_type=content_type,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _not_accepted(upload: Upload) -> RejectedUpload:
    return RejectedUpload(
        _("“%(name)s” is not a photo (JPEG, PNG, WebP) or a PDF document.") % {"name": upload.name}
    )


def _checked_pdf(upload: Upload) -> bytes:
    try:
        reader = PdfReader(io.BytesIO(upload.content))
        if len(reader.pages) < 1:
            raise _not_accepted(upload)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise _not_accepted(upload) from error
    return upload.content


def _stripped_image(upload: Upload) -> tuple[bytes, str, str]:
    try:
        with Image.open(io.BytesIO(upload.content)) as image:
            if image.format not in IMAGE_FORMATS:
                raise _not_accepted(upload)
            if image.width * image.height > MAX_PIXELS:
                raise RejectedUpload(_("“%(name)s” has too many pixels.") % {"name": upload.name})
            image_format = image.format
            image.load()
            # Apply the camera's rotation before the EXIF that carries it is dropped.
            upright = ImageOps.exif_transpose(image)
            if upright.mode in {"P", "PA", "LA", "I;16"}:
                upright = upright.convert("RGBA")
            # Re-encoding from pixels alone drops EXIF, GPS, XMP and any trailing payload.
            pixels = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise _not_accepted(upload) from error
    output = io.BytesIO()
    if image_format == "JPEG" and pixels.mode not in {"RGB", "L"}:
        pixels = pixels.convert("RGB")
    pixels.save(output, format=image_format, quality=90)
    content_type, extension = IMAGE_FORMATS[image_format]
    return output.getvalue(), content_type, extension


def photo_location(content: bytes) -> tuple[float, float] | None:
    """(latitude, longitude) stored by the camera in a photo's EXIF, or None when it has none.

    Only the metadata is read, not the pixels; anything that is not a photo with a usable
    position gives None, as does the (0, 0) some cameras write before they find satellites.
    """
    try:
        with Image.open(io.BytesIO(content)) as image:
            gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    latitude = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef))
    longitude = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef))
    if latitude is None or longitude is None or (latitude == 0 and longitude == 0):
        return None
    if not valid_coordinates(latitude, longitude):
        return None
    return latitude, longitude


def _degrees(value: object, reference: object) -> float | None:
    """Degrees from EXIF's (degrees, minutes, seconds); south and west are negative."""
    if not isinstance(value, tuple) or len(value) != 3:
        return None
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    total = degrees + minutes / 60 + seconds / 3600
    if isinstance(reference, bytes):
        reference = reference.decode("ascii", "replace")
    if isinstance(reference, str) and reference.strip().upper() in {"S", "W"}:
        total = -total
    return total

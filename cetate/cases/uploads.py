"""Checking uploaded files by their content, not their name, and removing photo metadata.

A photo's GPS position can be read (`photo_location`) before its metadata is removed, so that a
resident may offer it as the place of the case.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
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
# The modes each format is written in as they are; others are converted.
JPEG_MODES = frozenset({"RGB", "L", "CMYK"})
PNG_MODES = frozenset({"1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"})


# Files one submission may carry (a report, a registration at the console).
FILES_PER_SUBMISSION = 5


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


class TooManyPixels(Exception):
    """An image larger in pixels than anyone may send."""


@contextmanager
def _opened(content: bytes) -> Iterator[Image.Image]:
    """The image with only its header read; a size Pillow takes for a decompression bomb (its
    warning as much as its error) is TooManyPixels."""
    # The filter is the process's: threads racing here can at worst leave the warning an
    # error for all, which is what every caller wants.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(content))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise TooManyPixels from error
    with image:
        yield image


def _too_many_pixels(upload: Upload, pixels: int | None = None) -> RejectedUpload:
    limit = number_format(settings.UPLOAD_MAX_PIXELS / 1_000_000, decimal_pos=0)
    if pixels is None:
        return RejectedUpload(
            _("“%(name)s” has far too many pixels; photos may have at most %(limit)s megapixels.")
            % {"name": upload.name, "limit": limit}
        )
    return RejectedUpload(
        _("“%(name)s” has %(pixels)s megapixels; photos may have at most %(limit)s megapixels.")
        % {
            "name": upload.name,
            "pixels": number_format(pixels / 1_000_000, decimal_pos=1),
            "limit": limit,
        }
    )


def _stripped_image(upload: Upload) -> tuple[bytes, str, str]:
    """The image re-encoded from its pixels alone, which drops EXIF, GPS, XMP, comments, text
    chunks and any trailing payload.

    Its size is checked from the header, before anything is decoded. Memory stays near one
    copy of the pixels: a palette or 1-bit image stays one byte a pixel (a few kilobytes of
    PNG can hold 40 megapixels of one colour), and nothing is copied to strip metadata.
    """
    try:
        with _opened(upload.content) as image:
            if image.format not in IMAGE_FORMATS:
                raise _not_accepted(upload)
            pixels = image.width * image.height
            if pixels > settings.UPLOAD_MAX_PIXELS:
                raise _too_many_pixels(upload, pixels)
            image_format = image.format
            transparency = image.info.get("transparency")
            image.load()
            # Apply the camera's rotation before the EXIF that carries it is dropped.
            ImageOps.exif_transpose(image, in_place=True)
            image.info = {} if transparency is None else {"transparency": transparency}
            if image_format == "JPEG" and image.mode not in JPEG_MODES:
                image = image.convert("RGB")
            elif image_format == "PNG" and image.mode not in PNG_MODES:
                image = image.convert("RGBA")
            output = io.BytesIO()
            # Only what is named here is written: no metadata carried over.
            image.save(output, format=image_format, quality=90)
    except TooManyPixels:
        raise _too_many_pixels(upload) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise _not_accepted(upload) from error
    content_type, extension = IMAGE_FORMATS[image_format]
    return output.getvalue(), content_type, extension


def photo_location(content: bytes) -> tuple[float, float] | None:
    """(latitude, longitude) stored by the camera in a photo's EXIF, or None when it has none.

    Only the metadata is read, not the pixels; anything that is not a photo with a usable
    position gives None, as does the (0, 0) some cameras write before they find satellites.
    """
    try:
        with _opened(content) as image:
            gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    except (TooManyPixels, UnidentifiedImageError, OSError, SyntaxError, ValueError):
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

"""Previews of a case's photos, for the staff's case card and the resident's tracking page.

Uploads were checked by their content and stripped of their metadata when they came in
(cetate/cases/uploads.py); a preview is made from the stored file once, on first request,
and kept under THUMBNAIL_DIR by the attachment's id (a cache: any process remakes a missing
one). Deleting a case's files deletes their previews too (services/anonymisation.py).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings

from cetate.cases.models import Attachment
from cetate.lib.thumbnails import THUMBNAIL_PX, small_copy

PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


def is_photo(attachment: Attachment) -> bool:
    return attachment.content_type in PHOTO_TYPES


def _path(attachment_id: int) -> Path:
    return Path(settings.THUMBNAIL_DIR) / f"{attachment_id}-{THUMBNAIL_PX}.jpg"


def forget(attachment_id: int) -> None:
    """Delete the photo's preview, if one was made."""
    _path(attachment_id).unlink(missing_ok=True)


def thumbnail(attachment: Attachment) -> bytes:
    """A JPEG preview of the photo, made once and kept on disk."""
    path = _path(attachment.pk)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    # Photos are at most ATTACHMENT_MAX_MB: read whole, they need no streaming.
    with attachment.file.open("rb") as file:
        content = small_copy(file.read())
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed: a reader never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    os.replace(temporary, path)
    return content

"""A case's files are written to storage before the case's transaction opens.

The storage may be across the network (S3): a write there must never hold a case's lock or a
transaction open. So every way a file joins a case first checks it (`clean_upload`, by its
content) and writes it (`written_first`), then opens the transaction that records it, which
only names the file already written. A file the transaction did not record — it failed, or
the file was one too many — is removed as soon as the work is over; one a stopped process left
behind is removed by the daily retention job (`forget_unrecorded`) a day or two later.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cetate.cases.uploads import CleanFile, RejectedUpload, Upload, clean_upload
from cetate.lib import clock

logger = logging.getLogger(__name__)

FOLDER = "attachments"
# Files younger than this may still be on their way into a transaction.
UNRECORDED_AFTER = timedelta(days=1)
# How far back each run of the retention job looks for files left behind.
UNRECORDED_WINDOW_DAYS = 10


@dataclass(frozen=True)
class StoredFile(CleanFile):
    """A checked file, already in storage as `stored_as`."""

    stored_as: str


def checked(file: Upload | CleanFile) -> CleanFile:
    """The file as it is to be kept: checked by its content, unless it was already."""
    return file if isinstance(file, CleanFile) else clean_upload(file)


@contextmanager
def written_first(
    files: Sequence[Upload | CleanFile], *, keep_refused: bool = False
) -> Iterator[list[Upload | StoredFile]]:
    """Check the files and write them to storage, then run what records them.

    Yields the files in their order, each as its StoredFile. A refused file raises
    RejectedUpload before anything is written; with `keep_refused` it is yielded as it came,
    for the service to name it with its reason. On leaving, whatever happened, the files no
    case records are removed from storage. Call it outside any transaction.
    """
    cleaned: list[Upload | CleanFile] = []
    for file in files:
        try:
            cleaned.append(checked(file))
        except RejectedUpload:
            if not keep_refused:
                raise
            cleaned.append(file)
    written: list[StoredFile] = []
    prepared: list[Upload | StoredFile] = []
    try:
        for file in cleaned:
            if isinstance(file, CleanFile):
                stored = write(file)
                if stored is not file:
                    written.append(stored)
                prepared.append(stored)
            else:
                prepared.append(file)
        yield prepared
    finally:
        remove_unrecorded(written)


def write(file: CleanFile) -> StoredFile:
    """The file in storage (a StoredFile is there already)."""
    if isinstance(file, StoredFile):
        return file
    day = clock.now()
    name = f"{FOLDER}/{day:%Y/%m/%d}/{file.sha256[:16]}-{secrets.token_hex(4)}-{file.name}"
    stored_as = default_storage.save(name, ContentFile(file.content))
    return StoredFile(**asdict(file), stored_as=stored_as)


def remove_unrecorded(files: Sequence[StoredFile]) -> int:
    """Remove from storage those of `files` no attachment records; how many. When the
    register cannot be asked, they stay, for `forget_unrecorded`."""
    from cetate.cases.models import Attachment

    removed = 0
    for file in files:
        try:
            if Attachment.objects.filter(file=file.stored_as).exists():
                continue
            default_storage.delete(file.stored_as)
            removed += 1
        except Exception:
            logger.warning("file %s left in storage", file.stored_as, exc_info=True)
    return removed


def forget_unrecorded() -> int:
    """Remove the files written for a case in the last UNRECORDED_WINDOW_DAYS days, more than
    UNRECORDED_AFTER ago, that no attachment records (their process stopped before its
    transaction committed); how many."""
    from cetate.cases.models import Attachment

    newest = (clock.now() - UNRECORDED_AFTER).date()
    removed = 0
    for back in range(UNRECORDED_WINDOW_DAYS):
        day = newest - timedelta(days=back + 1)
        folder = f"{FOLDER}/{day:%Y/%m/%d}"
        try:
            _folders, names = default_storage.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        recorded = set(
            Attachment.objects.filter(file__startswith=f"{folder}/").values_list("file", flat=True)
        )
        for name in names:
            path = f"{folder}/{name}"
            if path not in recorded:
                default_storage.delete(path)
                removed += 1
    return removed

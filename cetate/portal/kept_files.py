"""Files a resident chose, kept while the report form comes back to them unsent.

Browsers never send a file back to a page, so a form that comes back (to show a category's
questions, the streets found, a field to correct) would lose the photo. Instead each file is
checked as the case service will check it (cetate/cases/uploads.py: a photo or a PDF, its
metadata removed) and stored for a while; the page carries a signed token per file, and the
session lists the files it kept, so a token works only in the browser it was given to. A
file kept is dropped once the case is registered with it, when the resident removes it, or
after KEEP_SECONDS (`forget_old`, when a file is kept and by the daily retention job).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.utils import timezone

from cetate.cases.uploads import Upload, clean_upload

FOLDER = "kept-uploads"
KEEP_SECONDS = 6 * 3600
SALT = "cetate.portal.kept-file"
SESSION_KEY = "portal_kept_files"


@dataclass(frozen=True)
class KeptFile:
    token: str
    name: str
    key: str

    def upload(self) -> Upload | None:
        """The file as kept, or None when it is gone."""
        path = f"{FOLDER}/{self.key}"
        try:
            with default_storage.open(path, "rb") as stored:
                return Upload(name=self.name, content=stored.read())
        except (FileNotFoundError, OSError):
            return None


def keep(request: HttpRequest, uploads: list[Upload]) -> list[KeptFile]:
    """Store `uploads` for this session; each must pass the checks the case service makes
    (RejectedUpload is raised for the first that does not)."""
    cleaned = [clean_upload(upload) for upload in uploads]
    forget_old()
    kept = []
    for clean in cleaned:
        key = secrets.token_hex(16)
        default_storage.save(f"{FOLDER}/{key}", ContentFile(clean.content))
        token = signing.dumps({"key": key, "name": clean.name}, salt=SALT, compress=True)
        kept.append(KeptFile(token=token, name=clean.name, key=key))
    if kept:
        request.session[SESSION_KEY] = [*_session_keys(request), *(file.key for file in kept)]
    return kept


def kept(request: HttpRequest, tokens: list[str]) -> list[KeptFile]:
    """The files named by `tokens` that this session kept and that are still there."""
    mine = set(_session_keys(request))
    files: dict[str, KeptFile] = {}
    for token in tokens:
        try:
            value = signing.loads(token, salt=SALT, max_age=KEEP_SECONDS)
        except signing.BadSignature:
            continue
        key, name = str(value.get("key", "")), str(value.get("name", ""))
        if key in mine and default_storage.exists(f"{FOLDER}/{key}"):
            files[key] = KeptFile(token=token, name=name, key=key)
    return list(files.values())


def forget(request: HttpRequest, files: list[KeptFile]) -> None:
    """Drop the files: sent with the case, or removed by the resident."""
    keys = {file.key for file in files}
    for key in keys:
        default_storage.delete(f"{FOLDER}/{key}")
    if keys:
        request.session[SESSION_KEY] = [key for key in _session_keys(request) if key not in keys]


def _session_keys(request: HttpRequest) -> list[str]:
    return [str(key) for key in request.session.get(SESSION_KEY, [])]


def forget_old() -> int:
    """Remove the files kept longer than KEEP_SECONDS, whoever kept them; how many."""
    if not default_storage.exists(FOLDER):
        return 0
    removed = 0
    oldest = timezone.now() - timedelta(seconds=KEEP_SECONDS)
    for name in default_storage.listdir(FOLDER)[1]:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < oldest:
                default_storage.delete(path)
                removed += 1
        except (FileNotFoundError, OSError):
            continue
    return removed

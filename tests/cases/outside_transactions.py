"""A storage that refuses to write inside a database transaction, as a case's files must never
be written while a transaction (and a case's lock) is open: with S3 that is a network call."""

from typing import Any

from django.core.files.storage import FileSystemStorage
from django.db import connection


class StorageOutsideTransactions(FileSystemStorage):
    def save(self, name: str | None, content: Any, max_length: int | None = None) -> str:
        assert not connection.in_atomic_block, f"{name} written inside a transaction"
        return super().save(name, content, max_length=max_length)

"""Backups of an installation: its database and its uploaded files in one archive.

An archive (`.tar`, or `.tar.gz` when asked for) holds
- `database.sqlite3.gz` (a copy by SQLite's online backup, gzipped) or `database.pgdump`
  (`pg_dump`'s custom format, compressed by itself), taken first;
- `media/…`, the uploaded files as they are on disk (none when uploads live in an S3 bucket);
- `manifest.json`, written last, so that it states what the archive really holds: Cetate's
  version, the database vendor, the last applied migration of each app, the counts of cases,
  events and attachments in the dump, the files and their bytes, and when it was made.

`making.py` writes an archive, `restoring.py` checks one whole before it changes anything and
then puts it back; `sqlite.py` and `postgres.py` dump and restore each database.
"""

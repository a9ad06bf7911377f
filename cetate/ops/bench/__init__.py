"""`manage.py bench`: fill a separate database with cases and print how fast Cetate works at
that size — intake through the services against a raw-SQL baseline, and the main queries.

- database.py  which database the benchmark fills, and creating it
- city.py      the directory of the bench city and where its cases lie
- rows.py      the rows of a case (and its events) as the services would write them
- writer.py    raw SQL writes: one case per transaction, batches, bulk fill
- intake.py    open_case against the raw-SQL baseline on the same cases
- mail.py      new letters by email through the mail pipeline, per second
- queries.py   the main queries of the worklist, the map and the statistics, timed
- report.py    the figures and the table printed from them
- runner.py    the phases, each run in its own process on the bench database
"""

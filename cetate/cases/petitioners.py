"""Who petitioned: the contact a case's reporter stands for once merged duplicates are followed.

OG 27/2002 art. 10 joins petitions of the same petitioner only; reports of one problem by
different residents are linked instead, each answered on its own case.
"""

from __future__ import annotations

from cetate.cases.models import Case
from cetate.contacts.merged import root_of, with_merged
from cetate.contacts.models import Contact


def petitioner(contact: Contact | None) -> Contact | None:
    """The contact that holds `contact`'s cases now: the end of its `merged_into` chain."""
    return None if contact is None else root_of(contact)


def same_petitioner(case: Case, other: Case) -> bool:
    """Whether both cases come from the same person. Two anonymous cases do not: nobody can
    say they were written by one person."""
    mine, theirs = petitioner(case.reporter), petitioner(other.reporter)
    return mine is not None and theirs is not None and mine.pk == theirs.pk


def contact_ids_of_petitioner(contact: Contact) -> set[int]:
    """The ids of every contact that stands for the same person as `contact`: the end of its
    chain and every duplicate merged into it, however long the chains."""
    return set(with_merged([root_of(contact).pk]))

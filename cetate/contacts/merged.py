"""A person as the register knows them: a contact and the duplicates staff merged into it.

A merged duplicate keeps pointing at the contact that holds its cases (`merged_into`), in
chains as long as the merges made them.
"""

from __future__ import annotations

from collections.abc import Iterable

from cetate.contacts.models import Contact


def root_of(contact: Contact) -> Contact:
    """The contact that holds the cases of `contact`: the end of its `merged_into` chain."""
    seen: set[int] = set()
    while contact.merged_into_id is not None and contact.pk not in seen:
        seen.add(contact.pk)
        assert contact.merged_into is not None
        contact = contact.merged_into
    return contact


def with_merged(contact_ids: Iterable[int]) -> list[int]:
    """The ids given and those of every contact merged into them, however long the chains."""
    ids = set(contact_ids)
    frontier = set(ids)
    while frontier:
        frontier = (
            set(Contact.objects.filter(merged_into__in=frontier).values_list("pk", flat=True)) - ids
        )
        ids |= frontier
    return sorted(ids)

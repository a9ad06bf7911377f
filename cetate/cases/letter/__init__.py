"""The city's letters about a case, as A4 PDFs.

A resident who asked for answers by post or at the front desk gets, as a printed letter, each
public message about their case: the answer, a rejection, a redirection, a message, the notice
of an extended deadline, the notice that the case waits. A letter keeps the case's
registration number and states the legal basis.

A case sent to an external organisation goes with a forwarding letter to it: the facts of the
case and how to reach the resident (OG 27/2002 art. 6 (2)). The same facts make the body of
the email that forwards it.
"""

from cetate.cases.letter.forwarding import (
    Forwarding,
    attachments_summary,
    forwarding_facts,
    forwarding_language,
    forwarding_pdf,
    forwarding_text,
    redirection_of,
)
from cetate.cases.letter.parts import NoSuchLetter, current_contact
from cetate.cases.letter.resident import (
    LETTER_TITLES,
    Letter,
    LetterKind,
    letter_kind,
    letter_pdf,
    letters_of,
)

__all__ = [
    "LETTER_TITLES",
    "Forwarding",
    "Letter",
    "LetterKind",
    "NoSuchLetter",
    "attachments_summary",
    "current_contact",
    "forwarding_facts",
    "forwarding_language",
    "forwarding_pdf",
    "forwarding_text",
    "letter_kind",
    "letter_pdf",
    "letters_of",
    "redirection_of",
]

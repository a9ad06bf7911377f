class DomainError(Exception):
    """A request the rules refuse; its message is shown to the user as it is."""


class IllegalTransition(DomainError):
    """The transition table has no such move from the case's status."""


class NotAllowed(DomainError):
    """The actor's role or departments do not allow this on this case."""

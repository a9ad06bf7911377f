"""What every form of the case card shares.

Every form carries `seen`, the number of the case's last event when the page was drawn, so
that a change made meanwhile by someone else is refused rather than overwritten (the services
raise StaleCase). Forms are prefixed by their action's name: a page holds many of them.
"""

from __future__ import annotations

from typing import Any

from django import forms

from cetate.accounts.access import case_roles
from cetate.accounts.models import User
from cetate.cases import services
from cetate.cases.models import Case
from cetate.cases.workflow import Action, Permission, roles_allowed

TEXT = forms.Textarea(attrs={"rows": 3})


class CardForm(forms.Form):
    """What every form of the card shares: the case, the user, and what the user saw.

    Each form names its action (`name`, also its prefix and the `action` it posts), its
    heading and button, and what the workflow must allow for it (`needs`).
    """

    name: str
    heading: Any  # lazy text: read when a page is drawn, in its language
    button: Any
    needs: tuple[Action | Permission, ...]
    multipart = False

    seen = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, case: Case, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.name)
        super().__init__(*args, **kwargs)
        self.case, self.user = case, user

    @classmethod
    def permitted(cls, user: User, case: Case) -> bool:
        """Whether the user's role on this case allows the action at all, whatever the status."""
        roles = case_roles(user, case)
        return any(roles & roles_allowed(what) for what in cls.needs)

    @classmethod
    def offered(cls, user: User, case: Case) -> bool:
        """Whether the form is shown now: the workflow allows it from the case's status."""
        return any(services.may(user, case, what) for what in cls.needs)

    def submit(self) -> str:
        """Call the case service; the message to show when it succeeded."""
        raise NotImplementedError

    @property
    def seen_value(self) -> int:
        seen: int = self.cleaned_data["seen"]
        return seen


def set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices

"""Two-factor sign-in for staff: who must use it, and what a signed-in user must still do.

After the password, a staff member with an authenticator app (a confirmed TOTP device of
django-otp) gives its current code; one whose role requires a second factor and who has none
sets one up before reaching any other page (cetate/accounts/middleware.py keeps them there).
Any other member of staff may set one up from their account page.

The printed demo accounts sign in with their password alone, but only while the installation
runs in demo mode and only for accounts the demo loader marked (`User.demo_password_only`):
a production installation honours no such exemption, whatever its database holds.
"""

from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify
from enum import StrEnum
from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.db import transaction
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from cetate.accounts.roles import Role, roles_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cetate.accounts.models import User

# The roles that sign in only with a second factor; superusers and users of the admin site
# always do. Extend this set for any role that reads residents' data in bulk.
ROLES_REQUIRING_SECOND_FACTOR: frozenset[Role] = frozenset(
    {Role.ADMINISTRATOR, Role.SUPERVISOR, Role.DATA_PROTECTION}
)

CODE_DIGITS = 6
DEVICE_NAME = "authenticator"


class Step(StrEnum):
    """What a signed-in user must still do before reaching any other page."""

    CODE = "code"  # give the current code of their authenticator app
    ENROL = "enrol"  # set up an authenticator app


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    THROTTLED = "throttled"  # too many wrong codes in a row: wait before the next one


def is_demo_exempt(user: User) -> bool:
    return bool(settings.DEMO_MODE and user.demo_password_only)


def requires_second_factor(user: User) -> bool:
    if is_demo_exempt(user):
        return False
    return bool(
        user.is_superuser or user.is_staff or roles_of(user) & ROLES_REQUIRING_SECOND_FACTOR
    )


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_verified(user: User | AnonymousUser) -> bool:
    """Whether this request's user gave a code (django-otp's middleware sets `otp_device`)."""
    return getattr(user, "otp_device", None) is not None


def missing_step(user: User) -> Step | None:
    """What `user`, signed in with their password, must still do; None when nothing."""
    if is_verified(user) or is_demo_exempt(user):
        return None
    if confirmed_device(user) is not None:
        return Step.CODE
    if requires_second_factor(user):
        return Step.ENROL
    return None


def clean_code(text: str) -> str | None:
    """The digits of a typed code (spaces allowed, as apps show them), or None if not a code."""
    digits = "".join(text.split())
    return digits if len(digits) == CODE_DIGITS and digits.isdigit() else None


def check_code(user: User, device: TOTPDevice, code: str) -> Outcome:
    """Check a code against the user's device; each code is accepted once."""
    allowed, _why = device.verify_is_allowed()
    if not allowed:
        return Outcome.THROTTLED
    digits = clean_code(code)
    if digits is None:
        # Counted as a failure too: django-otp then makes the next attempt wait.
        device.throttle_increment()
        return Outcome.WRONG
    if verify_token(user, device.persistent_id, digits) is None:
        return Outcome.WRONG
    return Outcome.ACCEPTED


# Enrolment: the secret is kept in the session until the user proves, with one code, that
# their app holds it; only then is a device written.


def new_secret() -> str:
    return str(random_hex(20))


def setup_url(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return str(TOTPDevice(user=user, key=secret).config_url)


def qr_data_uri(url: str) -> str:
    return str(segno.make(url, error="m").svg_data_uri(scale=5, border=2))


def readable_secret(secret: str) -> str:
    """The secret as apps ask for it when typed in: base32, in groups of four."""
    text = b32encode(unhexlify(secret)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def enrol(user: User, secret: str, code: str) -> TOTPDevice | None:
    """The user's new device, if `code` is the current one for `secret`; else None."""
    digits = clean_code(code)
    if digits is None:
        return None
    totp = TOTP(unhexlify(secret), step=30, t0=0, digits=CODE_DIGITS, drift=0)
    totp.time = time.time()
    if not totp.verify(int(digits), tolerance=1):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device: TOTPDevice = TOTPDevice.objects.create(
            user=user, name=DEVICE_NAME, key=secret, confirmed=True, last_t=totp.t()
        )
    return device


def remove_devices(user: User) -> int:
    """Remove the user's authenticator apps; they set one up again when they next need it."""
    deleted, _per_model = TOTPDevice.objects.filter(user=user).delete()
    return int(deleted)

"""Phone numbers in E.164, Romania by default."""

import phonenumbers

DEFAULT_REGION = "RO"


class InvalidPhoneNumber(ValueError):
    """Not a phone number that can be dialled."""


def normalise_phone(raw: str, *, region: str = DEFAULT_REGION) -> str:
    """'0744 123 456' → '+40744123456'; raises InvalidPhoneNumber for what cannot be a number."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneNumber(str(error)) from error
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

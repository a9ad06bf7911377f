from django.conf import settings
from django.http import HttpRequest


def city(request: HttpRequest) -> dict[str, object]:
    return {
        "CITY_NAME": settings.CITY_NAME,
        "CITY_LOGO_URL": settings.CITY_LOGO_URL,
        "CITY_COLOUR": settings.CITY_COLOUR,
        "DEMO_MODE": settings.DEMO_MODE,
    }

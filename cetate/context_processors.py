from django.conf import settings
from django.http import HttpRequest


def city(request: HttpRequest) -> dict[str, object]:
    return {"CITY_NAME": settings.CITY_NAME, "DEMO_MODE": settings.DEMO_MODE}

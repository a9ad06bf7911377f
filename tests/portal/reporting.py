"""Sending the report form as a browser would, and reading what it left behind."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cetate.cases.models import Case, RegistrationCounter
from cetate.test import INSIDE, City


def last_number() -> int:
    """The counter of this year's registration numbers: no refusal may move it."""
    counter = RegistrationCounter.objects.filter(year=date.today().year).first()
    return counter.last_number if counter else 0


def pothole(city: City, **overrides: Any) -> dict[str, Any]:
    """An anonymous pothole report with a pin inside the city: the simplest that registers."""
    fields: dict[str, Any] = {
        "kind": "report",
        "category": str(city.pothole.pk),
        "description": "Groapă mare în fața școlii",
        "latitude": str(INSIDE["latitude"]),
        "longitude": str(INSIDE["longitude"]),
        "address": "",
        "answer_channel": "email",
        "step": "send",
    }
    fields.update(overrides)
    return {key: value for key, value in fields.items() if value is not None}


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def send(client: Client, data: dict[str, Any], **extra: Any) -> Any:
    return client.post("/report/", data, **extra)


def only_case() -> Case:
    return Case.objects.get()

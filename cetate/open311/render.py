"""GeoReport v2 documents in both formats: XML built with ElementTree, JSON as the spec maps it.

A document is a list of items under a root element (services/service,
service_requests/request, errors/error, …) or one object (discovery, service_definition).
Lists nested in an item take their element names from NESTED_ITEMS.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
FORMATS = ("xml", "json")
# What XML 1.0 allows in a document (its Char production). Text is kept without control
# characters from intake on; one stored before that would make the whole document unreadable.
_NOT_IN_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
NESTED_ITEMS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "notes": "note",
}


def _fill(element: ET.Element, value: Any, item_tag: str | None) -> None:
    if isinstance(value, Mapping):
        for name, inner in value.items():
            _fill(ET.SubElement(element, name), inner, NESTED_ITEMS.get(name))
    elif isinstance(value, list | tuple):
        assert item_tag is not None, f"no element name for the items of <{element.tag}>"
        for inner in value:
            _fill(ET.SubElement(element, item_tag), inner, None)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _NOT_IN_XML.sub("", str(value))


def xml_document(root: str, content: Mapping[str, Any] | Sequence[Any], item: str = "") -> bytes:
    element = ET.Element(root)
    _fill(element, content, item or None)
    body = ET.tostring(element, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'.encode()


def document(
    fmt: str,
    content: Mapping[str, Any] | Sequence[Any],
    *,
    root: str,
    item: str = "",
    status: int = 200,
) -> HttpResponse:
    if fmt == "json":
        body = json.dumps(content, ensure_ascii=False).encode()
        return HttpResponse(body, content_type=JSON_TYPE, status=status)
    return HttpResponse(xml_document(root, content, item), content_type=XML_TYPE, status=status)


def errors(fmt: str, status: int, descriptions: Sequence[str]) -> HttpResponse:
    """The spec's error list: one {code, description} per problem, code being the HTTP status."""
    content = [{"code": status, "description": str(text)} for text in descriptions]
    return document(fmt, content, root="errors", item="error", status=status)

"""What the public may see of a case, decided here and nowhere else (policy.py): the public map,
its list and case pages, Open311 without a privileged key, follow pages, nearby suggestions and
webhook payloads all ask this package. place.py rounds the public point; text.py masks what
residents wrote and cuts addresses to the street."""

from cetate.cases.publication.place import (
    OFFSET,
    ROUNDING,
    from_index,
    public_coordinate,
    rounded,
    rounded_index,
    within,
)
from cetate.cases.publication.policy import (
    PLAIN_STATUS,
    PUBLIC_KINDS,
    PUBLIC_STATUSES,
    PUBLIC_UPDATE_KINDS,
    PublicView,
    category_is_public,
    exact_category_ids,
    is_public,
    public_cases,
    public_cases_q,
    public_categories,
    public_text,
    public_update,
    public_updates_q,
    public_view,
    why_not_public,
)
from cetate.cases.publication.text import masked, street_only

__all__ = [
    "OFFSET",
    "PLAIN_STATUS",
    "PUBLIC_KINDS",
    "PUBLIC_STATUSES",
    "PUBLIC_UPDATE_KINDS",
    "ROUNDING",
    "PublicView",
    "category_is_public",
    "exact_category_ids",
    "from_index",
    "is_public",
    "masked",
    "public_cases",
    "public_cases_q",
    "public_categories",
    "public_coordinate",
    "public_text",
    "public_update",
    "public_updates_q",
    "public_view",
    "rounded",
    "rounded_index",
    "street_only",
    "why_not_public",
    "within",
]

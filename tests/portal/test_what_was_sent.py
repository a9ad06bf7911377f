"""The resident's receipt and tracking page show the place and the photos they sent; the
photos are served only to whoever holds the tracking code, and never on a public page."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from cetate.cases import services
from cetate.cases.models import Attachment, Case
from cetate.cases.uploads import Upload
from cetate.contacts.protection import restrict_processing
from tests.cases.files import jpeg_with_gps, minimal_pdf
from tests.portal.reporting import only_case, pothole, send, upload

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ADDRESS = "Strada Mihai Viteazul 12"


def big_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), (30, 90, 160)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def reported(client, city) -> Case:
    """A pothole reported on the portal with a photo and a PDF, this browser holding its receipt."""
    files = [
        upload("groapa.jpg", big_photo()),
        upload("plan.pdf", minimal_pdf(), "application/pdf"),
    ]
    response = send(
        client,
        {
            **pothole(city, address=ADDRESS, name="Ana Pop", email="ana@example.org"),
            "documents": files,
        },
    )
    assert response.status_code == 302
    return only_case()


def photo_urls(case: Case) -> tuple[str, str]:
    photo = case.attachments.get(content_type="image/jpeg")
    args = [case.tracking_code, photo.pk]
    return reverse("track_photo", args=args), reverse("track_photo_small", args=args)


def test_the_receipt_shows_the_place_and_the_photo(client, reported):
    html = client.get(reverse("report_sent"), **EN).content.decode()
    whole, small = photo_urls(reported)
    assert "What you sent us" in html
    assert ADDRESS in html
    assert "46.07000, 23.58000" in html
    assert f'href="{whole}"' in html and f'src="{small}"' in html
    # The PDF is no photo: it has no thumbnail.
    assert html.count("/photos/") == 2


def test_the_tracking_page_shows_them_too_and_the_thumbnail_is_small(client, reported):
    html = client.get(reverse("track", args=[reported.tracking_code]), **EN).content.decode()
    whole, small = photo_urls(reported)
    assert ADDRESS in html and f'src="{small}"' in html

    thumbnail = client.get(small)
    assert thumbnail.status_code == 200
    assert thumbnail["Content-Type"] == "image/jpeg"
    assert "private" in thumbnail["Cache-Control"]
    with Image.open(io.BytesIO(thumbnail.content)) as image:
        assert max(image.size) == 320
    stored = reported.attachments.get(content_type="image/jpeg")
    original = client.get(whole)
    assert original.status_code == 200
    with stored.file.open("rb") as file:
        assert original.content == file.read()


def test_a_photo_needs_its_own_cases_code(client, city, reported):
    other = city.report()
    photo = reported.attachments.get(content_type="image/jpeg")
    for code in (other.tracking_code, "ZZZZZZZZZZ"):
        assert client.get(reverse("track_photo_small", args=[code, photo.pk])).status_code == 404
        assert client.get(reverse("track_photo", args=[code, photo.pk])).status_code == 404
    pdf = reported.attachments.get(content_type="application/pdf")
    assert (
        client.get(reverse("track_photo", args=[reported.tracking_code, pdf.pk])).status_code == 404
    )


def test_a_photo_staff_added_is_not_the_residents(client, city):
    case = city.report(address=ADDRESS)
    staff_photo = services.add_attachment(
        case_id=case.pk, actor=city.dispatcher, upload=Upload("lucrare.jpg", jpeg_with_gps())
    )
    html = client.get(reverse("track", args=[case.tracking_code]), **EN).content.decode()
    assert ADDRESS in html  # the place the dispatcher wrote down from the call
    assert "/photos/" not in html
    url = reverse("track_photo_small", args=[case.tracking_code, staff_photo.pk])
    assert client.get(url).status_code == 404


def test_public_pages_never_show_the_photos(client, reported, settings):
    number = [reported.registration_year, reported.registration_number]
    public = client.get(reverse("public_case", args=number), **EN)
    assert public.status_code == 200
    assert "/photos/" not in public.content.decode()
    listing = client.get(reverse("public_list"), **EN).content.decode()
    assert "/photos/" not in listing and reported.tracking_code not in listing


def test_nothing_sent_is_shown_while_processing_is_restricted(client, city, reported):
    restrict_processing(contact_id=reported.reporter_id, actor=city.dpo, note="Cerere art. 18")
    html = client.get(reverse("track", args=[reported.tracking_code]), **EN).content.decode()
    assert ADDRESS not in html and "/photos/" not in html
    for url in photo_urls(reported):
        assert client.get(url).status_code == 404


def test_a_small_map_only_where_there_are_tiles(client, reported, settings):
    settings.MAP_TILE_URL = ""
    html = client.get(reverse("track", args=[reported.tracking_code]), **EN).content.decode()
    assert "sent-place-config" not in html and "leaflet.js" not in html
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    html = client.get(reverse("track", args=[reported.tracking_code]), **EN).content.decode()
    assert "sent-place-config" in html and "what_was_sent.js" in html


def test_an_anonymised_case_shows_no_photo(client, reported):
    Case.objects.filter(pk=reported.pk).update(anonymised_at=reported.registered_at)
    assert Attachment.objects.filter(case=reported).exists()
    html = client.get(reverse("track", args=[reported.tracking_code]), **EN).content.decode()
    assert "/photos/" not in html


def test_a_photo_gone_from_storage_is_not_found(client, reported):
    photo = reported.attachments.get(content_type="image/jpeg")
    photo.file.storage.delete(photo.file.name)
    for url in photo_urls(reported):
        assert client.get(url).status_code == 404

"""Photos and documents sent with a report: checked by content, limited in size and number,
their metadata removed, and the photo's GPS used as the place only when the resident asks."""

import io

import pytest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import override
from PIL import Image

from cetate.cases.models import Attachment, Case
from cetate.cases.uploads import photo_location
from tests.cases.files import flat_png, jpeg_with_gps, minimal_pdf, png
from tests.portal.reporting import last_number, only_case, pothole, send, upload


def jpeg_at(latitude_ref: str, longitude_ref: str, dms=((46.0, 4.0, 12.0), (23.0, 34.0, 5.0))):
    image = Image.new("RGB", (32, 24), (10, 120, 10))
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = latitude_ref, dms[0], longitude_ref, dms[1]
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_a_photos_gps_position_is_read_in_degrees():
    place = photo_location(jpeg_with_gps())
    assert place is not None
    latitude, longitude = place
    assert latitude == pytest.approx(46.07)
    assert longitude == pytest.approx(23.0 + 34 / 60 + 5 / 3600)


def test_south_and_west_are_negative():
    place = photo_location(jpeg_at("S", "W"))
    assert place is not None
    latitude, longitude = place
    assert latitude < 0 and longitude < 0


@pytest.mark.parametrize(
    "content",
    [
        png(),
        minimal_pdf(),
        b"not a photo at all",
        jpeg_at("N", "E", dms=((0.0, 0.0, 0.0), (0.0, 0.0, 0.0))),  # no satellite fix yet
        jpeg_at("N", "E", dms=((95.0, 0.0, 0.0), (23.0, 0.0, 0.0))),  # beyond the pole
    ],
)
def test_no_usable_position_is_none(content):
    assert photo_location(content) is None


def test_the_stored_photo_has_no_exif_and_no_gps(client, city):
    photo = upload("groapa.jpg", jpeg_with_gps())
    response = send(client, {**pothole(city), "documents": [photo]})
    assert response.status_code == 302
    attachment = Attachment.objects.get(case=only_case())
    stored = attachment.file.read()
    assert attachment.content_type == "image/jpeg"
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
    assert b"Exif" not in stored
    assert b"PhoneMaker" not in stored
    assert photo_location(stored) is None


def test_the_photos_place_is_used_when_the_resident_agrees(client, city):
    data = {
        **pothole(city, latitude="", longitude=""),
        "use_photo_location": "on",
        "documents": [upload("groapa.jpg", jpeg_with_gps())],
    }
    assert send(client, data).status_code == 302
    case = only_case()
    assert case.latitude == pytest.approx(46.07)
    assert case.longitude == pytest.approx(23.568, abs=1e-3)


def test_the_photos_place_is_not_used_without_consent(client, city):
    data = {
        **pothole(city, latitude="", longitude="", address="lângă școală"),
        "documents": [upload("groapa.jpg", jpeg_with_gps())],
    }
    assert send(client, data).status_code == 302
    assert only_case().latitude is None


def test_asking_for_the_place_of_a_photo_without_one_is_explained(client, city):
    data = {
        **pothole(city, latitude="", longitude=""),
        "use_photo_location": "on",
        "documents": [upload("groapa.png", png(), "image/png")],
    }
    response = send(client, data)
    assert response.status_code == 200
    assert response.context["form"].errors["use_photo_location"]
    assert [kept.name for kept in response.context["kept_files"]] == ["groapa.png"]
    assert not Case.objects.exists()


def test_a_pdf_and_photos_are_accepted_up_to_five(client, city):
    files = [upload(f"poza{n}.png", png(), "image/png") for n in range(4)]
    files.append(upload("cerere.pdf", minimal_pdf(), "application/pdf"))
    assert send(client, {**pothole(city), "documents": files}).status_code == 302
    assert Attachment.objects.filter(case=only_case()).count() == 5


def test_a_sixth_file_is_refused_and_nothing_registered(client, city):
    files = [upload(f"poza{n}.png", png(), "image/png") for n in range(6)]
    response = send(client, {**pothole(city), "documents": files})
    assert response.status_code == 200
    (error,) = response.context["form"].errors["documents"]
    assert "5" in error and "6" in error
    assert not Case.objects.exists()
    assert last_number() == 0


def test_a_text_file_named_jpg_is_refused_by_its_content(client, city):
    fake = upload("poza.jpg", b"This is not a photo, only text.\n" * 10)
    response = send(client, {**pothole(city, name="Ana Pop"), "documents": [fake]})
    assert response.status_code == 200
    (error,) = response.context["form"].errors["documents"]
    assert "poza.jpg" in error
    html = response.content.decode()
    assert 'value="Ana Pop"' in html  # what was typed comes back
    assert not Case.objects.exists()
    assert not Attachment.objects.exists()
    assert last_number() == 0


def test_an_oversized_file_is_refused_with_the_limit(client, city, settings):
    settings.ATTACHMENT_MAX_BYTES = 2_000
    big = upload("mare.jpg", jpeg_with_gps(size=(400, 300)))
    assert (big.size or 0) > 2_000
    response = send(client, {**pothole(city), "documents": [big]})
    assert response.status_code == 200
    (error,) = response.context["form"].errors["documents"]
    assert "mare.jpg" in error
    with override("ro"):
        assert filesizeformat(2_000) in error
    assert not Case.objects.exists()
    assert last_number() == 0


def test_files_too_large_together_are_refused_before_anything_else(client, city, settings):
    settings.ATTACHMENT_MAX_BYTES = 1_000
    files = [upload(f"poza{n}.jpg", jpeg_with_gps(size=(200, 200))) for n in range(5)]
    assert sum(f.size or 0 for f in files) > 5_000
    response = send(
        client, {**pothole(city, description="Groapa de lângă școală"), "documents": files}
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert "Groapa de lângă școală" in html
    assert not Case.objects.exists()
    assert last_number() == 0


def test_an_image_of_too_many_pixels_is_refused_with_the_limit(client, city):
    def bomb():
        return upload("plan.png", flat_png(20_000, 20_000, rows=False), "image/png")

    # Asked for the place the photo was taken, it has none to give.
    data = {**pothole(city, name="Ana Pop"), "documents": [bomb()], "use_photo_location": "on"}
    response = send(client, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "use_photo_location" in response.context["form"].errors
    response = send(
        client, {**pothole(city, name="Ana Pop"), "documents": [bomb()]}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["documents"]
    assert "plan.png" in error and "40 megapixels" in error
    assert 'value="Ana Pop"' in response.content.decode()
    assert not Case.objects.exists()
    assert last_number() == 0


def kept_tokens(response) -> list[str]:
    return [kept.token for kept in response.context["kept_files"]]


def test_a_photo_chosen_before_the_categorys_questions_is_kept_and_sent(client, city):
    """Without JavaScript, the first send shows the category's questions: the photo chosen
    is kept on the server, named on the page, and registered with the case."""
    data = {
        **pothole(city, category=str(city.lamp.pk), name="Ana Pop", email="ana@example.org"),
        "documents": [upload("stalp.jpg", jpeg_with_gps())],
    }
    first = send(client, data)
    assert first.context["questions_to_answer"]
    html = first.content.decode()
    assert "stalp.jpg" in html
    assert 'name="kept_file"' in html
    assert not Case.objects.exists()

    tokens = kept_tokens(first)
    again = {key: value for key, value in data.items() if key != "documents"}
    sent = send(client, {**again, "questions_for": str(city.lamp.pk), "kept_file": tokens})
    assert sent.status_code == 302
    attachment = Attachment.objects.get(case=only_case())
    assert attachment.content_type == "image/jpeg"
    assert photo_location(attachment.file.read()) is None  # kept without its metadata
    # Sent with the case, the kept file is gone: its token keeps nothing any more.
    assert (
        send(client, {**again, "kept_file": tokens, "step": "find_address"}).context["kept_files"]
        == []
    )


def test_a_kept_photo_can_be_removed_and_is_only_for_its_browser(client, city):
    from django.test import Client

    data = {**pothole(city, description=""), "documents": [upload("groapa.png", png())]}
    tokens = kept_tokens(send(client, data))
    assert len(tokens) == 1
    # Another browser holding the token gets nothing.
    stranger = Client()
    other = send(stranger, {**pothole(city), "kept_file": tokens})
    assert other.status_code == 302
    assert not Attachment.objects.exists()
    # The resident removes it: the case registers without it.
    removed = send(
        client,
        {**pothole(city, nearby_shown="on"), "kept_file": tokens, "drop_kept_file": tokens},
    )
    assert removed.status_code == 302
    assert Case.objects.count() == 2
    assert not Attachment.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused_before_it_is_kept(client, city):
    fake = upload("poza.jpg", b"This is not a photo, only text.\n" * 10)
    response = send(client, {**pothole(city, description=""), "documents": [fake]})
    assert response.context["kept_files"] == []
    assert "poza.jpg" in response.context["file_refusal"]

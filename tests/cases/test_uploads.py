import io

import pytest
from PIL import Image

from cetate.cases.uploads import RejectedUpload, Upload, clean_upload
from tests.cases.files import jpeg_with_gps, minimal_pdf, png


def test_photo_loses_its_exif_and_gps():
    cleaned = clean_upload(Upload(name="IMG 2031.JPG", content=jpeg_with_gps()))
    assert cleaned.content_type == "image/jpeg"
    assert cleaned.name == "IMG_2031.jpg"
    with Image.open(io.BytesIO(cleaned.content)) as image:
        assert not image.getexif()
        assert image.size == (64, 48)


def test_palette_png_is_kept_as_png():
    cleaned = clean_upload(Upload(name="harta.png", content=png()))
    assert cleaned.content_type == "image/png"


def test_pdf_is_accepted_by_its_content_whatever_its_name():
    cleaned = clean_upload(Upload(name="scan.jpg", content=minimal_pdf()))
    assert (cleaned.content_type, cleaned.name) == ("application/pdf", "scan.pdf")


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00\x03", b"<html><script>alert(1)</script>", b"%PDF-1.7 broken", b"GIF89a\x01\x00"],
)
def test_other_content_is_refused(content):
    with pytest.raises(RejectedUpload, match="not a photo"):
        clean_upload(Upload(name="x.jpg", content=content))


def test_size_limit_is_explained(settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(RejectedUpload, match="at most"):
        clean_upload(Upload(name="mare.jpg", content=jpeg_with_gps((400, 400)) + b"\0" * 1000))


def test_a_truncated_image_is_refused():
    with pytest.raises(RejectedUpload):
        clean_upload(Upload(name="cut.jpg", content=jpeg_with_gps()[:200]))

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from PIL import Image, PngImagePlugin

from cetate.cases.uploads import RejectedUpload, Upload, clean_upload, photo_location
from tests.cases.files import flat_png, jpeg_with_gps, minimal_pdf, png


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


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (20_000, 20_000),  # beyond Pillow's own limit: it refuses to open it at all
        (10_000, 10_000),  # between its warning and its refusal
        (7_000, 6_000),  # within both, beyond the city's
    ],
)
def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded(width, height):
    content = flat_png(width, height, rows=False)
    with pytest.raises(RejectedUpload, match="megapixels"):
        clean_upload(Upload(name="bomb.png", content=content))
    # Reading where a photo was taken opens it too: nothing to read there.
    assert photo_location(content) is None


def test_the_pixel_limit_is_a_setting(settings):
    settings.UPLOAD_MAX_PIXELS = 50 * 50
    clean_upload(Upload(name="small.png", content=png((50, 50))))
    with pytest.raises(RejectedUpload, match="megapixels"):
        clean_upload(Upload(name="large.png", content=png((51, 50))))


def test_every_kind_of_metadata_is_removed():
    image = Image.new("RGB", (32, 24), (10, 120, 40))
    buffer = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">Ion Popescu</x:xmpmeta>'
    image.save(buffer, format="JPEG", comment=b"Ion Popescu", xmp=xmp, icc_profile=b"ICC" * 10)
    cleaned = clean_upload(Upload(name="a.jpg", content=buffer.getvalue() + b"TRAILING"))
    assert b"Ion Popescu" not in cleaned.content
    assert b"TRAILING" not in cleaned.content
    with Image.open(io.BytesIO(cleaned.content)) as opened:
        assert set(opened.info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"}
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Ion Popescu")
    buffer = io.BytesIO()
    drawing = Image.new("P", (8, 8), 0)
    drawing.putpalette([0, 0, 0, 255, 255, 255])
    drawing.putpixel((0, 0), 1)
    drawing.save(buffer, format="PNG", pnginfo=text, transparency=1)
    cleaned = clean_upload(Upload(name="b.png", content=buffer.getvalue()))
    assert b"Ion Popescu" not in cleaned.content
    with Image.open(io.BytesIO(cleaned.content)) as opened:
        assert opened.mode == "P"
        assert opened.info.get("transparency") == 1  # pixels, not metadata: kept


MEASURE = """
import json, os, sys
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "cetate.settings"
django.setup()
from cetate.cases.uploads import RejectedUpload, Upload, clean_upload

def megabytes(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024

content = open(sys.argv[1], "rb").read()
# Start the process's peak (VmHWM) again from what it holds now (Linux).
with open("/proc/self/clear_refs", "w") as clear_refs:
    clear_refs.write("5")
before = megabytes("VmRSS")
try:
    clean_upload(Upload(name="flat.png", content=content))
    outcome = "kept"
except RejectedUpload:
    outcome = "refused"
except Exception as error:
    outcome = type(error).__name__
print(json.dumps({"outcome": outcome, "peak_mb": megabytes("VmHWM") - before}))
"""


def peak_of_checking(content: bytes, tmp_path: Path) -> dict[str, Any]:
    """How far above what it held before a fresh process's memory rises while checking
    `content`, in MB."""
    path = tmp_path / "flat.png"
    path.write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_tiny_palette_png_of_many_pixels_costs_little_memory(tmp_path):
    """A 1-bit palette PNG of 39.7 megapixels is a few kilobytes; decoded it must not cost
    more than one byte a pixel."""
    content = flat_png(6_300, 6_300)
    assert len(content) < 10_000
    measured = peak_of_checking(content, tmp_path)
    assert measured["outcome"] == "kept"
    assert measured["peak_mb"] < 90, measured

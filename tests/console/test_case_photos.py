"""The photos of a case on the staff's card: previews made on the server and a larger view,
each behind the card's own access check."""

import io

from django.urls import reverse
from PIL import Image

from cetate.cases import services
from cetate.cases.models import Case
from cetate.cases.services.anonymisation import delete_anonymised_files
from cetate.cases.uploads import Upload
from cetate.contacts.models import PersonalDataView
from tests.cases.files import jpeg_with_gps, minimal_pdf
from tests.console.test_case_card import EN, show


def with_photo(city, size=(1200, 900)) -> tuple[Case, int]:
    case = city.report()
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    services.add_attachment(
        case_id=case.pk,
        actor=None,
        upload=Upload(name="groapa.jpg", content=jpeg_with_gps(size)),
    )
    return case, case.attachments.get().pk


def url(name: str, case: Case, attachment_id: int) -> str:
    return reverse(f"console:{name}", kwargs={"case_id": case.pk, "attachment_id": attachment_id})


def test_the_card_shows_each_photo_as_a_preview_opening_a_larger_view(client, city):
    case, photo = with_photo(city)
    services.add_attachment(
        case_id=case.pk, actor=None, upload=Upload(name="pv.pdf", content=minimal_pdf())
    )
    client.force_login(city.officer)

    html = show(client, case).content.decode()

    gallery = html.split('class="case-photos"')[1].split("</ul>")[0]
    assert f'src="{url("photo_thumbnail", case, photo)}"' in gallery
    assert f'href="{url("photo", case, photo)}"' in gallery
    assert 'alt="groapa.jpg: larger view"' in gallery
    assert f'data-src="{url("photo_image", case, photo)}"' in gallery
    assert "pv.pdf" not in gallery  # a document is listed, not previewed
    assert "<script>" not in html.split("</main>")[0].split("<main")[1]


def test_a_preview_is_small_made_once_and_kept_by_the_browser(client, city, settings):
    case, photo = with_photo(city)
    client.force_login(city.officer)

    response = client.get(url("photo_thumbnail", case, photo))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=86400"
    with Image.open(io.BytesIO(response.content)) as preview:
        assert max(preview.size) == 320
    kept = list(settings.THUMBNAIL_DIR.iterdir())
    assert [path.name for path in kept] == [f"{photo}-320.jpg"]
    assert client.get(url("photo_thumbnail", case, photo)).content == response.content


def test_the_larger_view_shows_the_photo_in_the_page_and_records_the_view(client, city):
    case, photo = with_photo(city)
    client.force_login(city.officer)

    page = client.get(url("photo", case, photo), **EN)
    image = client.get(url("photo_image", case, photo))

    assert page.status_code == 200
    assert f'src="{url("photo_image", case, photo)}"' in page.content.decode()
    assert (image.status_code, image["Content-Type"]) == (200, "image/jpeg")
    assert image["Content-Disposition"] == "inline"
    assert b"PhoneMaker" not in image.content  # stripped when it was uploaded
    assert PersonalDataView.objects.filter(
        user=city.officer, what=f"case {case.number} photo {photo}"
    ).exists()


def test_photos_are_served_only_to_who_may_see_the_case(client, city):
    case, photo = with_photo(city)
    services.add_attachment(
        case_id=case.pk, actor=None, upload=Upload(name="pv.pdf", content=minimal_pdf())
    )
    document = case.attachments.get(content_type="application/pdf").pk
    client.force_login(city.lighting_officer)
    for name in ("photo", "photo_image", "photo_thumbnail"):
        assert client.get(url(name, case, photo)).status_code == 404
    client.force_login(city.officer)
    assert client.get(url("photo_thumbnail", case, document)).status_code == 404
    other = city.report()
    assert client.get(url("photo_image", other, photo)).status_code in {403, 404}
    client.logout()
    assert client.get(url("photo_thumbnail", case, photo)).status_code == 302


def test_the_files_of_an_anonymised_case_take_their_previews_with_them(client, city, settings):
    case, photo = with_photo(city)
    client.force_login(city.officer)
    client.get(url("photo_thumbnail", case, photo))
    assert (settings.THUMBNAIL_DIR / f"{photo}-320.jpg").exists()
    Case.objects.filter(pk=case.pk).update(anonymised_at=case.registered_at)

    delete_anonymised_files(case_id=case.pk)

    assert not (settings.THUMBNAIL_DIR / f"{photo}-320.jpg").exists()

"""Two-factor sign-in through HTTP: the code after the password, set-up for the roles that
require it, wrong codes refused, attempts limited, the demo accounts' exemption."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cetate.accounts.roles import Role
from cetate.accounts.second_factor import ROLES_REQUIRING_SECOND_FACTOR, readable_secret
from cetate.test import PASSWORD, current_code, give_authenticator, make_user

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def sign_in(client, user, next_url=""):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data, **EN)


def test_administrators_and_supervisors_require_it():
    assert {
        Role.ADMINISTRATOR,
        Role.SUPERVISOR,
        Role.DATA_PROTECTION,
    } <= ROLES_REQUIRING_SECOND_FACTOR
    assert Role.DISPATCHER not in ROLES_REQUIRING_SECOND_FACTOR


def test_the_code_is_asked_after_the_password(client, city):
    response = sign_in(client, city.supervisor, next_url="/console/supervision/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("login_code")
    assert parse_qs(location.query)["next"] == ["/console/supervision/"]
    # Until the code is given, no other page opens.
    for page in ("/console/", "/console/supervision/", "/register/", "/"):
        assert client.get(page)["Location"].startswith(reverse("login_code")), page
    refused = client.get("/api/v1/cases/")
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["code"] == "second_factor_required"

    device = TOTPDevice.objects.get(user=city.supervisor)
    response = client.post(
        reverse("login_code"), {"code": current_code(device), "next": "/console/supervision/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/console/supervision/"
    assert client.get("/console/supervision/").status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_message(client, city):
    sign_in(client, city.supervisor)
    device = TOTPDevice.objects.get(user=city.supervisor)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    response = client.post(reverse("login_code"), {"code": wrong}, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "This code is not right or has expired." in html
    assert client.get("/console/")["Location"].startswith(reverse("login_code"))


def test_the_wrong_code_message_is_in_romanian_by_default(client, city):
    sign_in(client, city.supervisor)
    response = client.post(reverse("login_code"), {"code": "12"})
    assert "Codul nu este corect sau a expirat." in response.content.decode()


def test_a_code_is_accepted_once(client, city):
    device = TOTPDevice.objects.get(user=city.supervisor)
    code = current_code(device)
    sign_in(client, city.supervisor)
    assert client.post(reverse("login_code"), {"code": code}).status_code == 302
    client.logout()
    sign_in(client, city.supervisor)
    response = client.post(reverse("login_code"), {"code": code}, **EN)
    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()


def test_code_attempts_are_limited_per_user(client, city):
    sign_in(client, city.supervisor)
    device = TOTPDevice.objects.get(user=city.supervisor)
    device.throttling_enabled = False  # only the rate limit is under test here
    statuses = []
    for _ in range(11):
        # django-otp makes each attempt after a failure wait longer; forget that wait here.
        TOTPDevice.objects.filter(pk=device.pk).update(
            throttling_failure_count=0, throttling_failure_timestamp=None
        )
        statuses.append(client.post(reverse("login_code"), {"code": "999999"}).status_code)
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    # Even the right code waits for the window to end.
    response = client.post(reverse("login_code"), {"code": current_code(device)})
    assert response.status_code == 429


def test_wrong_codes_in_a_row_make_the_next_attempt_wait(client, city):
    sign_in(client, city.supervisor)
    device = TOTPDevice.objects.get(user=city.supervisor)
    client.post(reverse("login_code"), {"code": "999999"}, **EN)
    response = client.post(reverse("login_code"), {"code": current_code(device)}, **EN)
    assert "Too many wrong codes in a row" in response.content.decode()


def test_a_required_role_without_an_app_is_sent_to_set_one_up(client, city):
    newcomer = make_user("supervizor2", Role.SUPERVISOR)
    response = sign_in(client, newcomer, next_url="/console/supervision/")
    assert urlsplit(response["Location"]).path == reverse("two_factor_enrol")
    assert client.get("/console/")["Location"].startswith(reverse("two_factor_enrol"))
    assert client.get("/admin/")["Location"].startswith(reverse("two_factor_enrol"))

    page = client.get(reverse("two_factor_enrol"), {"next": "/console/supervision/"}, **EN)
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    secret = client.session["two_factor_enrol_secret"]
    assert readable_secret(secret) in html  # for typing it in, when the camera fails

    wrong = client.post(reverse("two_factor_enrol"), {"code": "000000"}, **EN)
    assert "This code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=newcomer).exists()

    done = client.post(
        reverse("two_factor_enrol"),
        {"code": current_code(secret), "next": "/console/supervision/"},
    )
    assert done["Location"] == "/console/supervision/"
    device = TOTPDevice.objects.get(user=newcomer)
    assert device.confirmed
    assert client.get("/console/supervision/").status_code == 200


def test_an_administrator_cannot_reach_the_admin_without_the_code(client, city):
    sign_in(client, city.admin)
    assert client.get("/admin/")["Location"].startswith(reverse("login_code"))
    device = TOTPDevice.objects.get(user=city.admin)
    client.post(reverse("login_code"), {"code": current_code(device)})
    assert client.get("/admin/").status_code == 200


def test_the_admins_own_sign_in_form_leads_to_the_staff_sign_in(client, city):
    response = client.get("/admin/login/", {"next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_other_staff_sign_in_with_their_password_alone(client, city):
    response = sign_in(client, city.dispatcher)
    assert response["Location"] == "/console/"
    assert client.get("/console/queue/").status_code == 200


def test_other_staff_may_set_it_up_and_remove_it(client, city):
    sign_in(client, city.dispatcher)
    account = client.get(reverse("staff_account"), **EN).content.decode()
    assert "Off: you sign in with your password alone." in account
    client.get(reverse("two_factor_enrol"))
    secret = client.session["two_factor_enrol_secret"]
    response = client.post(reverse("two_factor_enrol"), {"code": current_code(secret)})
    assert response["Location"] == reverse("staff_account")
    client.logout()

    # From now on the dispatcher too gives a code.
    assert sign_in(client, city.dispatcher)["Location"].startswith(reverse("login_code"))
    device = TOTPDevice.objects.get(user=city.dispatcher)
    client.post(reverse("login_code"), {"code": current_code(device, steps_ahead=1)})
    assert (
        "Remove two-factor sign-in" in client.get(reverse("staff_account"), **EN).content.decode()
    )
    client.post(reverse("two_factor_remove"))
    assert not TOTPDevice.objects.filter(user=city.dispatcher).exists()
    client.logout()
    assert sign_in(client, city.dispatcher)["Location"] == "/console/"


def test_a_required_role_cannot_remove_it(client, city):
    client.force_login(city.supervisor)
    response = client.post(reverse("two_factor_remove"), follow=True, **EN)
    assert "Your role requires two-factor sign-in." in response.content.decode()
    assert TOTPDevice.objects.filter(user=city.supervisor).exists()


def test_a_second_app_needs_the_first_ones_code(client, city):
    """Someone holding only the password cannot add their own app to the account."""
    sign_in(client, city.supervisor)
    response = client.get(reverse("two_factor_enrol"))
    assert response["Location"].startswith(reverse("login_code"))
    assert "two_factor_enrol_secret" not in client.session


def test_demo_accounts_sign_in_with_their_password_alone_in_demo_mode_only(client, city, settings):
    demo = make_user("demo-supervizor", Role.SUPERVISOR)
    demo.demo_password_only = True
    demo.save()
    settings.DEMO_MODE = True
    assert sign_in(client, demo)["Location"] == "/console/"
    assert client.get("/console/supervision/").status_code == 200
    client.logout()

    # The same account, outside demo mode, sets up an app like any supervisor.
    settings.DEMO_MODE = False
    assert urlsplit(sign_in(client, demo)["Location"]).path == reverse("two_factor_enrol")
    client.logout()

    # In demo mode, an account the demo loader did not mark is not exempt.
    settings.DEMO_MODE = True
    assert sign_in(client, city.supervisor)["Location"].startswith(reverse("login_code"))


def test_an_administrator_resets_a_lost_phone_and_the_reset_is_recorded(client, city):
    from django.contrib.admin.models import LogEntry

    client.force_login(city.admin)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [city.supervisor.pk]},
        follow=True,
        **EN,
    )
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=city.supervisor).exists()
    entry = LogEntry.objects.get(object_id=str(city.supervisor.pk))
    assert entry.user == city.admin
    assert "Two-factor sign-in reset" in entry.get_change_message()

    # The supervisor sets up a new app at the next sign-in.
    client.logout()
    assert urlsplit(sign_in(client, city.supervisor)["Location"]).path == reverse(
        "two_factor_enrol"
    )


def test_the_admin_never_shows_a_devices_secret(client, city):
    device = TOTPDevice.objects.get(user=city.supervisor)
    client.force_login(city.admin)
    html = client.get(reverse("admin:accounts_user_change", args=[city.supervisor.pk])).content
    assert device.key not in html.decode()
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_give_authenticator_helper_matches_enrolment(city):
    device = give_authenticator(make_user("altcineva", Role.DISPATCHER))
    assert device.confirmed and len(current_code(device)) == 6

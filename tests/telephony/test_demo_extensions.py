from io import StringIO

from django.core.management import call_command

from cetate.accounts.models import User


def test_demo_dispatchers_have_desk_phones(db, settings):
    settings.DEMO_MODE = True
    call_command("demo_users", stdout=StringIO())
    extensions = dict(
        User.objects.exclude(phone_extension="").values_list("username", "phone_extension")
    )
    assert extensions == {"demo-dispecer": "101", "demo-supervizor": "102"}


def test_an_extension_given_by_the_city_is_kept(db, settings):
    settings.DEMO_MODE = True
    call_command("demo_users", stdout=StringIO())
    User.objects.filter(username="demo-dispecer").update(phone_extension="230")
    call_command("demo_users", stdout=StringIO())
    assert User.objects.get(username="demo-dispecer").phone_extension == "230"

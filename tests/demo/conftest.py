import pytest


@pytest.fixture(autouse=True)
def _demo_mode(settings):
    settings.DEMO_MODE = True
    # Demo accounts get a real password hash; a fast hasher keeps these tests quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

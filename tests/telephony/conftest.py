import pytest


@pytest.fixture(autouse=True)
def _pages_in_english(client):
    """Pages choose their language from the browser; these tests read them in English."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

import pytest
from rest_framework.test import APIClient

from cetate.api.tokens import issue_token


@pytest.fixture
def api():
    """`api(user)`: a client sending a token of that user; `api()` sends none. Messages are
    asked for in English, their source text."""

    def client(user=None) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            _token, raw = issue_token(user=user, name="tests")
            client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
        return client

    return client

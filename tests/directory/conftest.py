import json

import pytest

from directory.scim.tokens import create_token


@pytest.fixture
def token(db):
    return create_token(name="Entra ID")[1]


@pytest.fixture
def scim(client, token):
    def call(method, path, body=None, *, bearer=token):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {bearer}"} if bearer else {}
        data = json.dumps(body) if body is not None else ""
        response = getattr(client, method.lower())(
            f"/scim/v2/{path}", data=data, content_type="application/scim+json", **headers
        )
        return response.status_code, (json.loads(response.content) if response.content else None)

    return call

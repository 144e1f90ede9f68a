"""scim2-tester, a checker the project did not write, against the portal's SCIM endpoint on a live server."""

import httpx2
import pytest
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from directory.scim.tokens import create_token

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_check_that_applies_passes(live_server):
    _token, raw = create_token(name="scim2-tester")
    # Closed at the end: a kept-alive connection holds the live server's thread, and with it a database connection
    # that would stop the test database being dropped.
    with httpx2.Client(
        base_url=f"{live_server.url}/scim/v2", headers={"Authorization": f"Bearer {raw}"}, timeout=30
    ) as http:
        results = check_server(SyncSCIMClient(http))
    failures = [
        (result.status.name, result.title, result.reason)
        for result in results
        if result.status not in (Status.SUCCESS, Status.SKIPPED)
    ]
    print("\n".join(f"{s} {t}: {str(r)[:1500]}" for s, t, r in failures))
    assert failures == []
    assert len([result for result in results if result.status == Status.SUCCESS]) > 50
    checked = {result.title for result in results}
    assert {"object_creation", "object_replacement", "object_deletion", "check_replace_attribute"} <= checked

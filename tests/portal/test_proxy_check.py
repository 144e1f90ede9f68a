"""`check --deploy` warns when a proxy count alone decides whose address the lockout counts."""

import pytest
from django.core.checks import run_checks


def deploy_warnings() -> str:
    return " ".join(message.id for message in run_checks(include_deployment_checks=True))


def test_a_proxy_count_without_the_proxies_addresses_is_a_deploy_warning(settings):
    settings.TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXY_ADDRESSES = 1, []
    assert "portal.W001" in deploy_warnings()


@pytest.mark.parametrize(("count", "addresses"), [(0, []), (1, ["10.0.0.5"]), (0, ["10.0.0.5", "10.0.0.6"])])
def test_named_proxies_or_none_are_fine(settings, count, addresses):
    settings.TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXY_ADDRESSES = count, addresses
    assert "portal.W001" not in deploy_warnings()

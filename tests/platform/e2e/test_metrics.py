"""Monitoring: the hub's Prometheus metrics, read with the `prometheus` service's token
(HUB_METRICS_TOKEN_FILE), which may read them and nothing else."""

import pytest
import requests

pytestmark = pytest.mark.e2e


def test_the_metrics_token_reads_the_metrics(hub):
    token = {"Authorization": f"token {hub.metrics_token}"}
    metrics = requests.get(f"{hub.url}/hub/metrics", headers=token, timeout=10)
    assert metrics.status_code == 200, metrics.text[:300]
    assert "jupyterhub_running_servers" in metrics.text
    assert "jupyterhub_total_users" in metrics.text


def test_without_a_token_there_are_no_metrics(hub):
    assert requests.get(f"{hub.url}/hub/metrics", timeout=10).status_code == 403


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/hub/api/users"),
        ("GET", "/hub/api/users/alice"),
        ("GET", "/hub/api/services"),
        ("POST", "/hub/api/users/alice/tokens"),
        ("DELETE", "/hub/api/users/alice/server"),
    ],
)
def test_the_metrics_token_opens_nothing_else(hub, method, path):
    response = requests.request(
        method,
        f"{hub.url}{path}",
        headers={"Authorization": f"token {hub.metrics_token}"},
        timeout=10,
    )
    assert response.status_code in (403, 404), (response.status_code, response.text[:200])

"""The worker writes its heartbeat while it runs; the metrics read it."""

import pytest

from outbox import worker as outbox_worker
from portal.observability import heartbeat
from portal.observability.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_a_beat_at_most_every_ten_seconds():
    now = [1000.0]
    pacemaker = heartbeat.Pacemaker("w1", clock=lambda: now[0])
    pacemaker.tick()
    first = WorkerHeartbeat.objects.get(worker_id="w1").beat_at
    now[0] += 5
    pacemaker.tick()
    assert WorkerHeartbeat.objects.get(worker_id="w1").beat_at == first  # no write for every loop
    now[0] += 5
    pacemaker.tick()
    assert WorkerHeartbeat.objects.get(worker_id="w1").beat_at > first


def test_the_running_worker_beats(monkeypatch):
    class OneRound:
        worker_id = "worker-under-test"
        running = True

        def configure_signals(self):
            pass

        def run(self):
            self.running = False  # as after SIGTERM: the loop ends after this round

    monkeypatch.setattr(outbox_worker, "make_worker", OneRound)
    assert heartbeat.seconds_since_last_beat() is None
    outbox_worker.run_forever(interval=0)
    assert WorkerHeartbeat.objects.filter(worker_id="worker-under-test").exists()
    assert heartbeat.seconds_since_last_beat() < 60

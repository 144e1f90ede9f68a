"""Logging helpers."""

import logging
import time


class OnceAMinute(logging.Filter):
    """Let through one record per logger and message template a minute: an outage is reported, not once per request."""

    INTERVAL = 60.0

    def __init__(self, name=""):
        super().__init__(name)
        self._last: dict[tuple[str, str], float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg))
        now = time.monotonic()
        if now - self._last.get(key, -self.INTERVAL) < self.INTERVAL:
            return False
        self._last[key] = now
        return True

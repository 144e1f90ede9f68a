"""The clients of `make faults`: people who read the guidance (English and Welsh), answer the quiz and confirm the
declaration through the real pages and forms, one thread each, every request timed and classified. Before
confirming they open the pages the declaration page lists as not yet read (the portal refuses a declaration until then).

A person who meets an error does what a person would: waits a moment and carries on from where the portal says they
are (the quiz start resumes an attempt in progress; a question of a submitted attempt leads to its results; the
declaration page of someone who has confirmed leads to their confirmation). Each finished journey is recorded: the
attempt whose results page was shown and the reference of the confirmation page reached.
"""

import contextlib
import html
import http.client
import re
import threading
import time
import urllib.parse

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
OPTION = re.compile(r'name="answer" type="radio" value="(\d+)"')
STILL_TO_READ = re.compile(r'id="still-to-read".*?<ul[^>]*>(.*?)</ul>', re.S)
HREF = re.compile(r'href="([^"]+)"')
TIMEOUT = 10


class Failed(Exception):
    """A 5xx, a connection error or a page the journey did not expect: the person tries again."""


def pattern(template: str) -> re.Pattern:
    return re.compile(re.escape(template).replace("1111111", r"(\d+)").replace("2222222", r"(\d+)") + "$")


def keep_cookies(cookies: dict, response: http.client.HTTPResponse) -> None:
    """What the portal set (session, CSRF, language), kept as a browser would for the next request."""
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _sep, rest = value.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]


class Record:
    """Everything the clients saw, shared by the threads: requests, outcomes, finished attempts and declarations."""

    def __init__(self):
        self.lock = threading.Lock()
        self.events = []  # (client, started, ended, outcome) with outcome "ok", "error" (5xx/connection) or "unexpected"
        self.requests = []  # the same requests in full: what was asked and the X-Request-ID it was answered with
        self.attempts = {}  # attempt id -> person id
        self.references = {}  # reference -> person id
        self.person_ids = set()

    def add(self, client: int, started: float, outcome: str, *, method: str = "", path: str = "",
            status: int | None = None, request_id: str = "") -> None:  # fmt: skip
        ended = time.monotonic()
        with self.lock:
            self.events.append((client, started, ended, outcome))
            self.requests.append({"client": client, "started": started, "ended": ended, "outcome": outcome,
                                  "method": method, "path": path, "status": status, "request_id": request_id})  # fmt: skip


class Person(threading.Thread):
    def __init__(self, index: int, base: str, pool: list, shared: dict, record: Record, stop: threading.Event):
        super().__init__(daemon=True, name=f"person-{index}")
        self.index, self.pool, self.shared, self.record, self.stop = index, pool, shared, record, stop
        self.host, self.port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
        self.correct = set(shared["correct"])
        self.person = None

    # -- HTTP -----------------------------------------------------------------------------------------------------
    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Host": f"{self.host}:{self.port}"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        started = time.monotonic()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.record.add(self.index, started, "error", method=method, path=path)
            raise Failed(f"{method} {path}: {error}") from error
        finally:
            connection.close()
        keep_cookies(self.cookies, response)
        status = response.status
        asked = {"method": method, "path": path, "status": status, "request_id": response.getheader("X-Request-ID", "")}
        if status >= 500:
            self.record.add(self.index, started, "error", **asked)
            raise Failed(f"{method} {path}: {status}")
        location = urllib.parse.urlsplit(response.getheader("Location") or "").path
        self.record.add(self.index, started, "ok" if status in (200, 302) else "unexpected", **asked)
        if status not in (200, 302):
            raise Failed(f"{method} {path}: {status}")
        return status, text, location

    def get(self, path: str) -> tuple[int, str, str]:
        return self.request("GET", path)

    def post(self, path: str, text: str, **fields) -> str:
        token = CSRF.search(text)
        if not token:
            raise Failed(f"no CSRF token on {path}")
        status, _text, location = self.request("POST", path, {"csrfmiddlewaretoken": token.group(1), **fields})
        if status != 302:
            raise Failed(f"POST {path} answered {status}, not a redirect")
        return location

    # -- the journey ----------------------------------------------------------------------------------------------
    def run(self) -> None:
        while not self.stop.is_set():
            try:
                person = self.pool.pop()
            except IndexError:
                person = None  # everyone has confirmed: the last person goes on reading
            if person:
                self.person = person
                self.cookies = dict(c.split("=", 1) for c in [person["cookie"]])
                with self.record.lock:
                    self.record.person_ids.add(person["id"])
            if self.person is None:
                return
            try:
                self.retrying(self.read)
                if person:
                    attempt = self.retrying(self.quiz)
                    with self.record.lock:
                        self.record.attempts[attempt] = person["id"]
                    reference = self.retrying(self.declare)
                    with self.record.lock:
                        self.record.references[reference] = person["id"]
            except InterruptedError:
                return

    def retrying(self, step):
        while True:
            if self.stop.is_set():
                raise InterruptedError
            try:
                return step()
            except Failed:
                time.sleep(0.2)

    def urls(self, language: str | None = None) -> dict:
        return self.shared["urls"][language or self.person["language"]]

    def read(self) -> None:
        other = "en" if self.person["language"] == "cy" else "cy"
        for path in [*self.urls()["read"], self.urls(other)["read"][2]]:
            self.get(path)

    def quiz(self) -> int:
        urls = self.urls()
        question, check, results = pattern(urls["question"]), pattern(urls["check"]), pattern(urls["results"])
        status, text, location = self.get(urls["quiz"])
        attempt = getattr(self, "attempt", None)
        if attempt and attempt[0] == self.person["id"]:
            path = urls["question"].replace("1111111", str(attempt[1])).replace("2222222", "1")
        else:
            path = self.post(urls["quiz"], text)  # starts an attempt, or resumes the one in progress
        for _step in range(100):
            status, text, location = self.get(path)
            if status == 302:
                path = location
                continue
            if match := question.match(path):
                self.attempt = (self.person["id"], int(match.group(1)))
                options = OPTION.findall(text)
                right = [o for o in options if int(o) in self.correct] or options
                if not right:
                    raise Failed(f"no options on {path}")
                path = self.post(path, text, answer=right[0])
            elif check.match(path):
                path = self.post(path, text)
            elif match := results.match(path):
                return int(match.group(1))
            else:
                raise Failed(f"the quiz led to {path}")
        raise Failed("the quiz did not end")

    def declare(self) -> str:
        path = self.urls()["declaration"]
        status, text, location = self.get(path)
        if status == 200 and (unread := STILL_TO_READ.search(text)):
            for page in HREF.findall(unread.group(1)):  # the pages the portal says must be opened before confirming
                self.get(html.unescape(page))
            status, text, location = self.get(path)
        if status == 200:
            location = self.post(path, text)
        elif not location.rstrip("/").rsplit("/", 1)[-1].startswith("SMG-"):
            raise Failed(f"the declaration led to {location}")
        status, text, _location = self.get(location)
        if status != 200:
            raise Failed(f"the confirmation page answered {status}")
        return location.rstrip("/").rsplit("/", 1)[-1]


def watch_health(base: str, log: list, stop: threading.Event, every: float = 0.1) -> None:
    """Polls /healthz: (time asked, time answered, HTTP status or None, the body's status)."""
    import json

    parts = urllib.parse.urlsplit(base)
    while not stop.is_set():
        started = time.monotonic()  # when the question was asked, so an answer is never counted in the wrong phase
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        try:
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            body = response.read()
            try:
                state = json.loads(body).get("status")
            except ValueError:
                state = body[:40].decode("utf-8", "replace")
            log.append((started, time.monotonic(), response.status, state))
        except (OSError, http.client.HTTPException):
            log.append((started, time.monotonic(), None, "no answer"))
        finally:
            connection.close()
        stop.wait(every)


@contextlib.contextmanager
def at_work(base: str, pool: list, shared: dict, count: int, health: list | None = None):
    """`count` people at work through `base` while the block runs; yields their record. Given a list, /healthz is
    polled into it too. On leaving, everyone stops after the request they are in."""
    record, stop, health_stop = Record(), threading.Event(), threading.Event()
    people = [Person(i, base, pool, shared, record, stop) for i in range(count)]
    watcher = None
    if health is not None:
        watcher = threading.Thread(target=watch_health, args=(base, health, health_stop), daemon=True)
        watcher.start()
    try:
        for person in people:
            person.start()
        yield record
    finally:
        stop.set()
        health_stop.set()
        for person in people:
            person.join(15)
        if watcher:
            watcher.join(10)

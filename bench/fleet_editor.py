"""A content editor at work over HTTP, as a browser would be, for `make fleet`'s publish step: sign in, start a new
draft in the admin, change every section's text in English and Welsh and the summary of what changed, save, open the
publish page, tick the box saying they understand the consequence and publish.

No browser engine: the pages' forms are read with html.parser and sent back as a browser sends them (every field as
rendered, with the editor's changes), with the session and CSRF cookies the portal set.
"""

import html.parser
import http.client
import re
import urllib.parse

from bench.faults_load import keep_cookies

ADMIN = "/en/admin/guidance/guidanceversion/"


class Refused(Exception):
    """A page the editor did not expect: what it said is in the message."""


class Form(html.parser.HTMLParser):
    """The fields one form sends, as (name, value) pairs in page order: text, hidden and number inputs, ticked boxes
    and radios, each textarea's text and each select's chosen option (the first one when none is marked)."""

    def __init__(self, page: str, *, containing: str):
        super().__init__(convert_charrefs=True)
        self.containing, self.fields, self.action = containing, [], None
        self._form_depth = 0
        self._in_form = self._found = False
        self._textarea = self._select = None
        self._text: list[str] = []
        self._first_option = self._chosen = None
        self.feed(page)
        if not self._found:
            raise Refused(f"no form with {containing!r} on the page")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self._found:
            self._in_form, self.fields, self.action = True, [], attrs.get("action")
        if not self._in_form or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self.fields.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._first_option, self._chosen = name, None, None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            self._first_option = value if self._first_option is None else self._first_option
            if "selected" in attrs:
                self._chosen = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))  # as browsers read it
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._chosen if self._chosen is not None else self._first_option
            if chosen is not None:
                self.fields.append((self._select, chosen))
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form = False
            self._found = any(self.containing in (name, value) for name, value in self.fields) or (
                self.containing in (self.action or "")
            )

    def value(self, name: str) -> str:
        return next(value for field, value in self.fields if field == name)


class Browser:
    """One person's visits to one portal instance: cookies kept, redirects followed, every answer checked."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, form: list | None = None) -> tuple[int, str, str]:
        headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers |= {"Content-Type": "application/x-www-form-urlencoded",
                        "Referer": f"http://127.0.0.1:{self.port}{path}"}  # fmt: skip
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        keep_cookies(self.cookies, response)
        return response.status, text, urllib.parse.urlsplit(response.getheader("Location") or "").path

    def get(self, path: str) -> str:
        status, text, location = self.request("GET", path)
        if status == 302:
            return self.get(location)
        if status != 200:
            raise Refused(f"GET {path} answered {status}")
        return text

    def submit(self, path: str, page: str, *, containing: str, change=None) -> tuple[int, str, str]:
        """Sends the form on `page` that has `containing` (a field's name or value, or its action) to where it
        posts, after `change(fields)` has edited its fields."""
        form = Form(page, containing=containing)
        fields = change(list(form.fields)) if change else form.fields
        target = urllib.parse.urljoin(path, form.action) if form.action else path
        return self.request("POST", target, fields)

    def sign_in(self, username: str, password: str) -> tuple[int, str]:
        """The sign-in form: (status, where it sends the person)."""
        page = self.get("/en/sign-in/")

        def credentials(fields):
            return [(n, v) for n, v in fields if n not in ("username", "password")] + [
                ("username", username), ("password", password)
            ]  # fmt: skip

        status, _text, location = self.submit("/en/sign-in/", page, containing="password", change=credentials)
        return status, location


def errors_on(page: str) -> str:
    found = re.findall(r'class="(?:errornote|errorlist[^"]*)"[^>]*>(.*?)</(?:p|ul)>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", text).split() for text in found)[:500] if found else page[:300]


def publish_as_editor(port: int, username: str, password: str, mark: str) -> dict:
    """The editor's whole publish, through one instance; returns the version number and what each page answered."""
    editor = Browser(port)
    status, where = editor.sign_in(username, password)
    if status != 302:
        raise Refused(f"the editor could not sign in ({status})")
    changelist = editor.get(ADMIN)
    status, _text, draft_page = editor.submit(ADMIN, changelist, containing="new-draft/")
    if status != 302 or not draft_page.endswith("/change/"):
        raise Refused(f"Start a new draft answered {status} → {draft_page}")
    page = editor.get(draft_page)

    def edit(fields):
        edited = []
        for name, value in fields:
            if re.fullmatch(r"sections-\d+-body_(en|cy)", name):
                value = f"{value.rstrip()}\n\n{mark}"
            elif name == "change_summary_en":
                value = f"Every section now ends with {mark}."
            elif name == "change_summary_cy":
                value = f"Mae pob adran bellach yn gorffen gyda {mark}."
            if name != "requires_reacknowledgement":
                edited.append((name, value))
        return [*edited, ("requires_reacknowledgement", "on"), ("_continue", "Save and continue editing")]

    status, text, location = editor.submit(draft_page, page, containing="sections-TOTAL_FORMS", change=edit)
    if status != 302:
        raise Refused(f"saving the draft answered {status}: {errors_on(text)}")
    sections_changed = sum(1 for name, _value in Form(page, containing="sections-TOTAL_FORMS").fields
                           if re.fullmatch(r"sections-\d+-body_en", name))  # fmt: skip
    publish_path = draft_page.removesuffix("change/") + "publish/"
    confirm = editor.get(publish_path)
    if "consequence_understood" not in confirm:
        raise Refused(f"the publish page offers no publishing: {errors_on(confirm)}")
    number = int(re.search(r"version (\d+) replaces version", confirm).group(1))

    def understood(fields):
        return [*fields, ("consequence_understood", "yes")]

    status, text, location = editor.submit(publish_path, confirm, containing="publish/", change=understood)
    if status != 302:
        raise Refused(f"publishing answered {status}: {errors_on(text)}")
    said = editor.get(location)
    return {"version": number, "sections_changed_in_both_languages": sections_changed,
            "asks_everyone_again": "will need to read what changed and confirm again" in confirm,
            "admin_said_published": f"Version {number} is published." in said}  # fmt: skip

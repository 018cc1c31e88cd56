"""bench/two_servers.py's HTTP side: a browser of its own (cookies, kept-alive connections,
forms filled as a browser fills them, the Referer it sends) and the portal's forms it uses."""

import html.parser
import http.client
import re
import secrets
import ssl
import time
import urllib.parse
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pyotp

HOST = "127.0.0.1"
PASSWORD = "demo-portal-2026"  # noqa: S105 - the demo accounts' password
# The 503 page's words, in the reader's language (the demo member reads Spanish).
DOWN_PAGES = ("The database is not answering", "La base de datos no responde")


def log(message: str) -> None:
    print(f"[two-servers {datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class Browser:
    """A person's browser against one address: its cookies, kept-alive connection, forms."""

    def __init__(self, port: int, tls: ssl.SSLContext | None = None, address: str | None = None):
        self.port, self.tls, self.address = port, tls, address
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        self.tls_version: str | None = None

    def on(self, port: int, tls: ssl.SSLContext | None = None) -> "Browser":
        """The same person (cookies) going to another server."""
        other = Browser(port, tls, self.address)
        other.cookies = self.cookies
        return other

    def request(
        self, method: str, path: str, body: bytes | None = None, headers=None, timeout: float = 60
    ) -> Answer:
        sent = {"Host": f"{HOST}:{self.port}", **(headers or {})}  # as a browser sends it
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.address:
            sent["X-Forwarded-For"] = self.address
        began = time.monotonic()
        for attempt in (1, 2):  # a kept-alive connection the server closed: open a new one
            if self.connection is None:
                if self.tls:
                    self.connection = http.client.HTTPSConnection(
                        HOST, self.port, timeout=timeout, context=self.tls
                    )
                else:
                    self.connection = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
            try:
                self.connection.request(method, path, body=body, headers=sent)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine):
                self.close()
                if attempt == 2:
                    raise
        if self.tls and self.connection.sock is not None:
            self.tls_version = self.connection.sock.version()
        if response.will_close:
            self.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in header or "expires=Thu, 01 Jan 1970" in header:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return Answer(response.status, response.msg, data, time.monotonic() - began)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def get(self, path: str, **kwargs) -> Answer:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, fields: list[tuple[str, str]], files=None, page: str = "") -> Answer:
        if files:
            body, content_type = multipart(fields, files)
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        # As a browser: the page the form was on (over HTTPS the app checks it is the portal).
        scheme = "https" if self.tls else "http"
        referer = f"{scheme}://{HOST}:{self.port}{page or path}"
        headers = {"Content-Type": content_type, "Referer": referer}
        return self.request("POST", path, body, headers)

    def submit(self, path: str, has: str, files=None, **values: str) -> Answer:
        """GET the page, fill the form holding the field `has` as a browser would (its
        defaults, its token), change `values`, and send it."""
        page = self.get(path)
        if page.status != 200:
            return page  # no form to send (the caller sees why: a 503 page, a redirect)
        forms = FormReader.read(page.text)
        form = next((f for f in forms if any(name == has for name, _ in f["fields"])), None)
        if form is None:
            raise RuntimeError(f"no form with {has!r} on {path}")
        fields = [(k, v) for k, v in form["fields"] if k not in values and k not in (files or {})]
        fields += list(values.items())
        action = form["action"] or path
        return self.post(action, fields, files, page=path)


class FormReader(html.parser.HTMLParser):
    """The forms of a page and what a browser would send from each, untouched."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text = ""

    @classmethod
    def read(cls, page: str) -> list[dict]:
        reader = cls()
        reader.feed(page)
        return reader.forms

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"), "fields": []})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.forms[-1]["fields"].append(
                (a["name"], a.get("value") or ("on" if kind in ("checkbox", "radio") else ""))
            )
        elif tag == "select":
            self.select, self.options = a.get("name"), []
        elif tag == "option" and self.select:
            self.options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self.textarea, self.text = a.get("name"), ""

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select and self.forms:
            chosen = [v for v, selected in self.options if selected] or [
                v for v, _ in self.options[:1]
            ]
            self.forms[-1]["fields"] += [(self.select, v) for v in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea and self.forms:
            self.forms[-1]["fields"].append((self.textarea, self.text.lstrip("\n")))
            self.textarea = None


def multipart(fields, files) -> tuple[bytes, str]:
    boundary = secrets.token_hex(12)
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (file_name, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{file_name}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def action_fields(facts: dict, title: str) -> dict[str, str]:
    """A new action item of the member's, due in ten days."""
    return {
        "title": title,
        "owner_ids": str(facts["member_id"]),
        "party_id": str(facts["party_id"]),
        "due_on": (date.today() + timedelta(days=10)).isoformat(),
    }


def refusals(answer: Answer) -> str:
    """What a refused form says (its field messages), for the summary."""
    found = re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*([^<]+)', answer.text)
    return "; ".join(m.strip() for m in found)[:200]


def log_in(browser: Browser, email: str, secret: str | None = None, on: Browser | None = None):
    """The password step on `browser`, the code step (if asked) on `on` (another server)."""
    answer = browser.submit("/auth/login", "password", email=email, password=PASSWORD)
    if answer.status != 302:
        raise RuntimeError(f"logging in as {email}: HTTP {answer.status}")
    if answer.location.endswith("/auth/second-factor"):
        second = on or browser
        code = pyotp.TOTP(secret).now()
        return second.submit("/auth/second-factor", "code", code=code), code
    return answer, None


def is_down_page(answer: Answer) -> bool:
    return answer.status == 503 and any(words in answer.text for words in DOWN_PAGES)

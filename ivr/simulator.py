"""Plays a Twilio caller against the phone line: signs requests, parses TwiML, follows <Gather action>.

Used by `clinic-voice chat` (a person types what a caller would say) and by the tests and load test.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urljoin
from xml.etree import ElementTree

from twilio.request_validator import RequestValidator

# post(path_and_query, form, headers) -> (HTTP status, body text)
Poster = Callable[[str, dict[str, str], dict[str, str]], tuple[int, str]]


@dataclass
class Heard:
    """What the caller hears back from one request."""

    status: int
    body: str
    says: list[str] = field(default_factory=list)
    action: str | None = None          # where the next turn goes (a <Gather action> or <Redirect>)
    gather: dict[str, str] = field(default_factory=dict)
    dialled: str | None = None
    hung_up: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.says)


def parse(status: int, body: str) -> Heard:
    heard = Heard(status, body)
    if status != 200:
        return heard
    root = ElementTree.fromstring(body)  # raises if the TwiML is not well-formed XML
    assert root.tag == "Response", root.tag
    for element in root.iter():
        if element.tag == "Say":
            heard.says.append((element.text or "").strip())
        elif element.tag == "Gather":
            heard.gather, heard.action = dict(element.attrib), element.get("action")
        elif element.tag == "Redirect" and heard.action is None:
            heard.action = (element.text or "").strip()
        elif element.tag == "Dial":
            heard.dialled = (element.text or "").strip()
            heard.action = heard.action or element.get("action")  # where Twilio reports how the transfer ended
        elif element.tag == "Hangup":
            heard.hung_up = True
    return heard


class Caller:
    def __init__(self, post: Poster, public_url: str = "http://localhost", token: str | None = None,
                 from_number: str = "+15005550006"):
        self.post, self.public_url, self.token = post, public_url.rstrip("/"), token
        self.form = {"CallSid": f"CA{uuid.uuid4().hex}", "AccountSid": "AC" + "0" * 32,
                     "From": from_number, "To": "+15005550001", "CallStatus": "in-progress", "Direction": "inbound"}
        self.last: Heard | None = None

    def signed_headers(self, path: str, form: dict[str, str]) -> dict[str, str]:
        if not self.token:
            return {}
        return {"X-Twilio-Signature": RequestValidator(self.token).compute_signature(self.public_url + path, form)}

    def request(self, path: str, extra: dict[str, str] | None = None) -> Heard:
        form = {**self.form, **(extra or {})}
        status, body = self.post(path, form, self.signed_headers(path, form))
        self.last = parse(status, body)
        return self.last

    def call(self) -> Heard:
        return self.request("/ivr/voice")

    def _next(self) -> str:
        assert self.last is not None and self.last.action, "the line is not listening"
        return urljoin("/ivr/voice", self.last.action)

    def say(self, speech: str, confidence: str = "0.92") -> Heard:
        return self.request(self._next(), {"SpeechResult": speech, "Confidence": confidence})

    def press(self, digits: str) -> Heard:
        return self.request(self._next(), {"Digits": digits})

    def silence(self) -> Heard:
        return self.request(self._next())

    def transfer_ends(self, status: str) -> Heard:
        """Twilio's report that the <Dial> ended: DialCallStatus completed, busy, no-answer, failed..."""
        return self.request(self._next(), {"DialCallStatus": status})


def flask_poster(client) -> Poster:
    """A Poster over a Flask test client."""
    def post(path: str, form: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        response = client.post(path, data=form, headers=headers)
        return response.status_code, response.get_data(as_text=True)
    return post

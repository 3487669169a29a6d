"""POST /alexa with Alexa's request verification: real certificates, real signatures, every failure -> 400."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone

import pytest

from clinic_voice.web import create_app
from skill.verify import AlexaVerifier, VerificationFailed, check_cert_url, load_roots
from tests.alexa import LAUNCH, SKILL_ID, AlexaUser, envelope, intent_request, speech
from tests.certs import NOW, MadePKI

CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"


@pytest.fixture(scope="module")
def pki():
    return MadePKI()


class Endpoint:
    """The web endpoint, with certificate downloads answered from `published` (the network stand-in)."""

    def __init__(self, pki, tmp_path, phone_settings, **changes):
        roots = tmp_path / "roots.pem"
        roots.write_bytes(pki.root_pem())
        self.published: dict[str, bytes] = {}
        self.fetches: list[str] = []
        self.app = create_app(phone_settings._replace(alexa_trusted_roots=roots, alexa_skill_id=SKILL_ID, **changes))
        self.app.extensions["alexa_verifier"] = AlexaVerifier(load_roots(roots), fetch=self.fetch)
        self.client = self.app.test_client()

    def fetch(self, url: str) -> bytes:
        self.fetches.append(url)
        return self.published[url]

    def post(self, body: bytes, signer=None, cert_url: str = CERT_URL, signature: str | None = None):
        headers = {"Content-Type": "application/json", "SignatureCertChainUrl": cert_url}
        if signer is not None:
            self.published.setdefault(cert_url, signer.chain_pem())
            headers["Signature-256"] = signature or signer.sign(body)
        return self.client.post("/alexa", data=body, headers=headers)


@pytest.fixture
def endpoint(pki, tmp_path, phone_settings):
    return Endpoint(pki, tmp_path, phone_settings)


_log: list = []  # this test's caplog, for refused()


@pytest.fixture(autouse=True)
def log_of_this_test(caplog):
    _log[:] = [caplog]


def refused(response, reason: str) -> bool:
    """A bare 400 (nothing a prober could learn from), with the reason in the log."""
    return response.status_code == 400 and response.data == b"" and reason in _log[0].text


def body(request=LAUNCH, **kwargs) -> bytes:
    return json.dumps(envelope(request, **kwargs)).encode()


def test_genuine_request_is_answered(endpoint, pki, content):
    response = endpoint.post(body(), pki.signer())
    assert response.status_code == 200
    assert speech(response.get_json()) == content.say("welcome")


def test_conversation_over_http(endpoint, pki, content):
    signer = pki.signer()

    def send(event):
        data = json.dumps(event).encode()
        return endpoint.post(data, signer).get_json()

    user = AlexaUser(send)
    user.say("AftercareIntent")
    assert content.aftercare_steps[1] in speech(user.say("AMAZON.NextIntent"))


def test_certificate_is_cached_by_url(endpoint, pki):
    signer = pki.signer()
    for _ in range(3):
        assert endpoint.post(body(), signer).status_code == 200
    assert endpoint.fetches == [CERT_URL]


@pytest.mark.parametrize("url", [
    "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://notamazon.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
    "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
    "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem",
    "",
    "https://s3.amazonaws.com:notaport/echo.api/x.pem",
])
def test_bad_certificate_urls(endpoint, pki, url):
    response = endpoint.post(body(), pki.signer(), cert_url=url)
    assert refused(response, "SignatureCertChainUrl") or refused(response, "certificate URL")
    assert endpoint.fetches == []


@pytest.mark.parametrize("url", [
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
    "HTTPS://s3.amazonaws.com/echo.api/echo-api-cert.pem",
])
def test_good_certificate_url_forms(url):
    assert check_cert_url(url) == url


def test_expired_certificate(endpoint, pki):
    signer = pki.signer(not_before=NOW - timedelta(days=60), not_after=NOW - timedelta(days=1))
    assert refused(endpoint.post(body(), signer), "not valid at validation time")


def test_not_yet_valid_certificate(endpoint, pki):
    signer = pki.signer(not_before=NOW + timedelta(days=1), not_after=NOW + timedelta(days=60))
    assert refused(endpoint.post(body(), signer), "not valid at validation time")


def test_wrong_name_certificate(endpoint, pki):
    assert refused(endpoint.post(body(), pki.signer(name="evil.example.com")), "subjectAltName")


def test_untrusted_chain(endpoint):
    stranger = MadePKI()  # a different root, not configured as trusted
    assert refused(endpoint.post(body(), stranger.signer()), "not valid now")


def test_tampered_body(endpoint, pki):
    signer = pki.signer()
    original = body()
    tampered = original.replace(b"LaunchRequest", b"IntentRequest")
    response = endpoint.post(tampered, signer, signature=signer.sign(original))
    assert refused(response, "signature does not match the body")


@pytest.mark.parametrize("signature", ["", "not base64!!", "AAAA"])
def test_bad_signatures(endpoint, pki, signature):
    signer = pki.signer()
    headers = {"SignatureCertChainUrl": CERT_URL, "Signature-256": signature}
    endpoint.published[CERT_URL] = signer.chain_pem()
    assert endpoint.client.post("/alexa", data=body(), headers=headers).status_code == 400


def test_missing_headers(endpoint):
    assert endpoint.client.post("/alexa", data=body()).status_code == 400


@pytest.mark.parametrize("age", [155, -155, 3600])  # whole seconds: keep clear of 150
def test_stale_timestamp(endpoint, pki, age):
    event = envelope(LAUNCH)
    event["request"]["timestamp"] = (datetime.now(timezone.utc) - timedelta(seconds=age)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert refused(endpoint.post(json.dumps(event).encode(), pki.signer()), "timestamp")


def test_fresh_timestamp_within_window(endpoint, pki):
    event = envelope(LAUNCH)
    event["request"]["timestamp"] = (datetime.now(timezone.utc) - timedelta(seconds=100)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert endpoint.post(json.dumps(event).encode(), pki.signer()).status_code == 200


def test_wrong_skill_id_gets_400(endpoint, pki):
    response = endpoint.post(body(skill_id="amzn1.ask.skill.not-ours"), pki.signer())
    assert refused(response, "another skill") and endpoint.fetches == []


def test_certificate_download_failure(endpoint, pki):
    signer = pki.signer()
    headers = {"SignatureCertChainUrl": CERT_URL, "Signature-256": signer.sign(body())}
    assert endpoint.client.post("/alexa", data=body(), headers=headers).status_code == 400  # nothing published


def test_garbage_certificate_chain(endpoint, pki):
    endpoint.published[CERT_URL] = b"-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n"
    signer = pki.signer()
    headers = {"SignatureCertChainUrl": CERT_URL, "Signature-256": signer.sign(body())}
    assert endpoint.client.post("/alexa", data=body(), headers=headers).status_code == 400


# ---------------------------------------------------------------- bad bodies (dev mode: verification off)

@pytest.fixture
def dev_endpoint(pki, tmp_path, phone_settings):
    return Endpoint(pki, tmp_path, phone_settings, dev=True)


@pytest.mark.parametrize("data", [b"{not json", b"[]", b'{"version": "1.0"}', b'{"request": "x"}', b"\xff\xfe", b""])
def test_malformed_bodies_get_400(dev_endpoint, data):
    response = dev_endpoint.client.post("/alexa", data=data, headers={"Content-Type": "application/json"})
    assert refused(response, "not an Alexa request envelope")


def test_dev_mode_warns_on_every_request(dev_endpoint, caplog, content):
    caplog.set_level(logging.WARNING)
    for _ in range(2):
        response = dev_endpoint.client.post("/alexa", data=body())
        assert response.status_code == 200 and speech(response.get_json()) == content.say("welcome")
    assert caplog.text.count("verification is OFF") == 2


def test_dev_mode_still_rejects_other_skills(dev_endpoint):
    assert dev_endpoint.client.post("/alexa", data=body(skill_id="amzn1.ask.skill.x")).status_code == 400


def test_oversized_alexa_body(dev_endpoint):
    big = json.dumps(envelope(intent_request("PainIntent"), attributes={"pad": "x" * 100_000})).encode()
    assert dev_endpoint.client.post("/alexa", data=big).status_code == 413


def test_verifier_rejects_without_roots_match_directly(pki):
    verifier = AlexaVerifier([MadePKI().root], fetch=lambda url: pki.signer().chain_pem())
    with pytest.raises(VerificationFailed, match="not valid now"):
        verifier.verify(body(), CERT_URL, "AAAA", datetime.now(timezone.utc).isoformat())

"""Verifying that a request to the web endpoint really comes from Alexa.

Amazon's rules for skills hosted as web services:
1. `SignatureCertChainUrl`: https, host s3.amazonaws.com, path under /echo.api/, port 443 if given.
2. The certificate chain at that URL: valid now, for `echo-api.amazon.com`, up to a trusted root.
3. `Signature-256`: base64 RSA signature (PKCS#1 v1.5, SHA-256) of the raw body by that certificate.
4. The request's timestamp within 150 seconds of now.
The cheap checks (URL, timestamp) come before any download. Downloaded chains are cached by URL
until their leaf certificate expires, failures for a short while; both caches are bounded, and so
is the number of downloads at once (the sync workers also serve the phone line).
"""
from __future__ import annotations

import base64
import binascii
import posixpath
import threading
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

ALEXA_CERT_HOST = "s3.amazonaws.com"
ALEXA_CERT_PATH_PREFIX = "/echo.api/"
ALEXA_CERT_NAME = "echo-api.amazon.com"
MAX_TIMESTAMP_SKEW_SECONDS = 150
MAX_CHAIN_BYTES = 64 * 1024
FETCH_TIMEOUT_SECONDS = 3.0
FAILURE_CACHE_SECONDS = 60.0
MAX_CACHED_URLS = 64       # Amazon uses a handful of certificate URLs
MAX_DOWNLOADS_AT_ONCE = 1  # per process: a worker waiting on S3 is not answering a caller


class VerificationFailed(Exception):
    """The request must be refused (HTTP 400); the message says why, for the log."""


def check_cert_url(url: str | None) -> str:
    """The URL if it satisfies Amazon's rules for SignatureCertChainUrl, else VerificationFailed."""
    if not url:
        raise VerificationFailed("missing SignatureCertChainUrl")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise VerificationFailed("malformed SignatureCertChainUrl") from None
    path = posixpath.normpath(parts.path) + ("/" if parts.path.endswith("/") else "") if parts.path else ""
    if parts.scheme.lower() != "https":
        raise VerificationFailed("certificate URL is not https")
    if (parts.hostname or "").lower() != ALEXA_CERT_HOST:
        raise VerificationFailed("certificate URL host is not s3.amazonaws.com")
    if not path.startswith(ALEXA_CERT_PATH_PREFIX):
        raise VerificationFailed("certificate URL path is not under /echo.api/")
    if port not in (None, 443):
        raise VerificationFailed("certificate URL port is not 443")
    return url


def fetch_url(url: str) -> bytes:
    """Download a certificate chain (Amazon's S3); bounded in time and size."""
    with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310 (URL checked)
        data = response.read(MAX_CHAIN_BYTES + 1)
    if len(data) > MAX_CHAIN_BYTES:
        raise VerificationFailed("certificate chain too large")
    return data


@dataclass(frozen=True)
class _Cached:
    leaf: x509.Certificate
    intermediates: tuple[x509.Certificate, ...]


def _put(cache: dict, key: str, value: object) -> None:
    """Insert, dropping the oldest entry when full: URLs come from requests, so the cache is bounded."""
    if key not in cache and len(cache) >= MAX_CACHED_URLS:
        cache.pop(next(iter(cache)))
    cache[key] = value


def load_roots(path: Path | None) -> list[x509.Certificate]:
    """Trusted roots: a PEM file (configuration), else the Mozilla bundle that `certifi` ships."""
    if path is None:
        import certifi
        path = Path(certifi.where())
    return x509.load_pem_x509_certificates(Path(path).read_bytes())


class AlexaVerifier:
    def __init__(self, roots: list[x509.Certificate], fetch: Callable[[str], bytes] = fetch_url,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self.store, self.fetch, self.clock = Store(roots), fetch, clock
        self._cache: dict[str, _Cached] = {}
        self._failed: dict[str, tuple[datetime, str]] = {}  # url -> (until, reason)
        self._lock = threading.Lock()
        self._downloads = threading.BoundedSemaphore(MAX_DOWNLOADS_AT_ONCE)

    def verify(self, body: bytes, cert_url: str | None, signature: str | None, timestamp: str | None) -> None:
        """Raise VerificationFailed unless the request is genuinely from Alexa and fresh."""
        now = self.clock()
        url = check_cert_url(cert_url)
        self._check_timestamp(timestamp, now)
        chain = self._chain(url, now)
        self._check_signature(chain.leaf, body, signature)

    def _chain(self, url: str, now: datetime) -> _Cached:
        with self._lock:
            cached, failed = self._cache.get(url), self._failed.get(url)
        if cached is not None and cached.leaf.not_valid_after_utc > now:
            return cached
        if failed is not None and failed[0] > now:
            raise VerificationFailed(f"{failed[1]} (cached)")
        if not self._downloads.acquire(blocking=False):
            raise VerificationFailed("a certificate download is already under way")
        try:
            chain = self._download(url, now)
        except VerificationFailed as exc:
            with self._lock:
                _put(self._failed, url, (now + timedelta(seconds=FAILURE_CACHE_SECONDS), str(exc)))
            raise
        finally:
            self._downloads.release()
        with self._lock:
            _put(self._cache, url, chain)
        return chain

    def _download(self, url: str, now: datetime) -> _Cached:
        try:
            certs = x509.load_pem_x509_certificates(self.fetch(url))
        except VerificationFailed:
            raise
        except Exception as exc:  # network or parse failure: refuse, say why in the log
            raise VerificationFailed(f"cannot load certificate chain: {type(exc).__name__}") from None
        chain = _Cached(certs[0], tuple(certs[1:]))
        verifier = PolicyBuilder().store(self.store).time(now).build_server_verifier(x509.DNSName(ALEXA_CERT_NAME))
        try:
            verifier.verify(chain.leaf, list(chain.intermediates))
        except VerificationError as exc:
            raise VerificationFailed(f"certificate chain not valid now for {ALEXA_CERT_NAME}: {exc}") from None
        return chain

    @staticmethod
    def _check_signature(leaf: x509.Certificate, body: bytes, signature: str | None) -> None:
        if not signature:
            raise VerificationFailed("missing Signature-256")
        try:
            raw = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            raise VerificationFailed("Signature-256 is not base64") from None
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise VerificationFailed("certificate key is not RSA")
        try:
            key.verify(raw, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise VerificationFailed("signature does not match the body") from None

    @staticmethod
    def _check_timestamp(timestamp: str | None, now: datetime) -> None:
        try:
            when = datetime.fromisoformat(str(timestamp).replace("Z", "+00:00"))
        except ValueError:
            raise VerificationFailed("request timestamp missing or malformed") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        if abs((now - when).total_seconds()) > MAX_TIMESTAMP_SKEW_SECONDS:
            raise VerificationFailed("request timestamp is more than 150 seconds from now")

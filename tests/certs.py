"""A test PKI made in the test: a root CA, an intermediate, and Alexa-like signing certificates."""
from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = datetime.now(timezone.utc)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(subject: str, key, issuer_name: str, issuer_key, *, ca: bool, san: str | None = None,
          not_before: datetime = NOW - timedelta(days=1), not_after: datetime = NOW + timedelta(days=30),
          issuer_cert: x509.Certificate | None = None) -> x509.Certificate:
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer_name))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(not_before).not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    issuer_public = (issuer_cert.public_key() if issuer_cert else key.public_key())
    builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public), critical=False)
    if ca:
        builder = builder.add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                                      content_commitment=False, key_encipherment=False,
                                                      data_encipherment=False, key_agreement=False,
                                                      encipher_only=False, decipher_only=False), critical=True)
    else:
        builder = (builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(san or subject)]), critical=False)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                   .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=True, key_cert_sign=False,
                                                crl_sign=False, content_commitment=False, data_encipherment=False,
                                                key_agreement=False, encipher_only=False, decipher_only=False),
                                  critical=True))
    return builder.sign(issuer_key, hashes.SHA256())


class MadePKI:
    def __init__(self):
        self.root_key, self.inter_key = _key(), _key()
        self.root = _cert("Test Root CA", self.root_key, "Test Root CA", self.root_key, ca=True,
                          not_after=NOW + timedelta(days=365))
        self.inter = _cert("Test Intermediate CA", self.inter_key, "Test Root CA", self.root_key, ca=True,
                           issuer_cert=self.root, not_after=NOW + timedelta(days=300))

    def signer(self, name: str = "echo-api.amazon.com", **dates) -> "Signer":
        key = _key()
        leaf = _cert(name, key, "Test Intermediate CA", self.inter_key, ca=False, san=name,
                     issuer_cert=self.inter, **dates)
        return Signer(key, leaf, self.inter)

    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)


class Signer:
    def __init__(self, key, leaf: x509.Certificate, inter: x509.Certificate):
        self.key, self.leaf, self.inter = key, leaf, inter

    def chain_pem(self) -> bytes:
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (self.leaf, self.inter))

    def sign(self, body: bytes) -> str:
        return base64.b64encode(self.key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode()

"""Signatures on exported records, so the exchange can tell later that a file is ours and unchanged.

A customer may bring their records back months later (a dispute, a police report). The files
carry an Ed25519 signature over their own bytes, so `unlockdesk verify-export FILE` needs
nothing but the file and the desk's public keys: no database row, which expires with the
export a day later.

The signature sits where each format ignores it: a PDF comment line after ``%%EOF`` (readers
skip comments), and the second line of the JSON file (the records follow it as one value).
What is signed is a domain tag plus every other byte, so no single byte can change unnoticed,
and a PDF signature cannot be replayed onto a JSON file.
"""

import base64
import hashlib
import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from unlockdesk import keys

PDF_TAG = b"unlockdesk-records-pdf-v1\n"
JSON_TAG = b"unlockdesk-records-json-v1\n"
_PDF_MARK = b"%UnlockdeskSignature v1 "
_JSON_HEAD = b'{\n"signature": '
_JSON_RECORDS = b'"records": '
_JSON_TAIL = b"\n}\n"


@dataclass(frozen=True)
class Verdict:
    genuine: bool
    kind: str  # "pdf", "json" or "" when the file is not an export at all
    key_id: str
    reason: str  # why not genuine; empty when genuine


def _private_key() -> Ed25519PrivateKey:
    seed = base64.urlsafe_b64decode(
        keys.load_or_create("export-signing", env="UNLOCKDESK_EXPORT_SIGNING_KEY"))
    return Ed25519PrivateKey.from_private_bytes(seed[:32])


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(public: Ed25519PublicKey) -> str:
    return hashlib.sha256(_raw(public)).hexdigest()[:16]


def public_key_text() -> str:
    """The current public key, base64: what an exchange keeps to verify exports elsewhere."""
    return base64.b64encode(_raw(_private_key().public_key())).decode()


def trusted_keys() -> dict[str, Ed25519PublicKey]:
    """The current key and retired ones (UNLOCKDESK_EXPORT_VERIFY_KEYS, comma-separated base64)."""
    found = [_private_key().public_key()]
    for item in os.environ.get("UNLOCKDESK_EXPORT_VERIFY_KEYS", "").split(","):
        if item.strip():
            found.append(Ed25519PublicKey.from_public_bytes(base64.b64decode(item.strip())))
    return {key_id(k): k for k in found}


def sign_pdf(pdf: bytes) -> bytes:
    private = _private_key()
    signature = private.sign(PDF_TAG + pdf)
    line = _PDF_MARK + f"ed25519 key={key_id(private.public_key())} sig={signature.hex()}\n".encode()
    return pdf + line


def sign_json(records: dict[str, object]) -> bytes:
    body = json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True).encode()
    private = _private_key()
    signature = {
        "alg": "Ed25519",
        "key": key_id(private.public_key()),
        "value": private.sign(JSON_TAG + body).hex(),
        "covers": "the bytes of the records value below, as written",
    }
    head = _JSON_HEAD + json.dumps(signature, sort_keys=True).encode() + b",\n"
    return head + _JSON_RECORDS + body + _JSON_TAIL


def _check(kind: str, tag: bytes, signed: bytes, key: str, value: str) -> Verdict:
    public = trusted_keys().get(key)
    if public is None:
        return Verdict(False, kind, key, "signed with a key this desk does not know")
    try:
        public.verify(bytes.fromhex(value), tag + signed)
    except (InvalidSignature, ValueError):
        return Verdict(False, kind, key, "the file was changed after it was issued")
    return Verdict(True, kind, key, "")


def _verify_pdf(data: bytes) -> Verdict:
    at = data.rfind(_PDF_MARK)
    if at < 0:
        return Verdict(False, "pdf", "", "the file carries no signature")
    fields = dict(part.split("=", 1) for part in
                  data[at + len(_PDF_MARK):].decode("ascii", "replace").split()[1:] if "=" in part)
    if not data.endswith(b"\n") or data[at:].count(b"\n") != 1:
        return Verdict(False, "pdf", fields.get("key", ""), "the file was changed after it was issued")
    return _check("pdf", PDF_TAG, data[:at], fields.get("key", ""), fields.get("sig", ""))


def _verify_json(data: bytes) -> Verdict:
    head, _, rest = data[len(_JSON_HEAD):].partition(b",\n")
    try:
        signature = json.loads(head)
        key, value = str(signature["key"]), str(signature["value"])
    except (ValueError, KeyError, TypeError):
        return Verdict(False, "json", "", "the signature line is damaged")
    if not (rest.startswith(_JSON_RECORDS) and rest.endswith(_JSON_TAIL)):
        return Verdict(False, "json", key, "the file was changed after it was issued")
    return _check("json", JSON_TAG, rest[len(_JSON_RECORDS):-len(_JSON_TAIL)], key, value)


def verify(data: bytes) -> Verdict:
    """Whether `data` is an export this desk signed, byte for byte."""
    if data.startswith(b"%PDF-"):
        return _verify_pdf(data)
    if data.startswith(_JSON_HEAD):
        return _verify_json(data)
    return Verdict(False, "", "", "this is not a records file from this desk")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

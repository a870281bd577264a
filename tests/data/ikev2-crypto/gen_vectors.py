#!/usr/bin/env python3
"""Known answers for tests/unit/test_ikev2_crypto.c, computed independently
of the C code with Python's `cryptography` package (python3-cryptography):
RFC 7296 2.13-2.18 and 3.14, RFC 5282 and RFC 7383 2.5 written out again
here from the RFCs' formulas.  Prints the C initializers the test embeds.
Run: python3 tests/data/ikev2-crypto/gen_vectors.py"""
import hashlib
import hmac
import struct

from cryptography.hazmat.primitives.asymmetric import ec, x25519
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives import serialization

H = bytes.fromhex
DIG = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha384": hashlib.sha384,
       "sha512": hashlib.sha512}


def prf(alg, key, data):
    return hmac.new(key, data, DIG[alg]).digest()


def prf_plus(alg, key, seed, n):
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = prf(alg, key, t + seed + bytes([i]))
        out += t
        i += 1
    return out[:n]


def show(name, b):
    print(f'#define {name} "{b.hex()}"')


# --- the RFC D-H vectors, checked here before the test relies on them ---
def ecp(curve, i, r, want_gir):
    a = ec.derive_private_key(int(i, 16), curve)
    b = ec.derive_private_key(int(r, 16), curve)
    gir = a.exchange(ec.ECDH(), b.public_key())
    assert gir == H(want_gir), curve
    pub = lambda k: k.public_key().public_bytes(serialization.Encoding.X962,
                                                serialization.PublicFormat.UncompressedPoint)[1:]
    return pub(a), pub(b), gir


# RFC 5903 8.1 and 8.2
P256 = ecp(ec.SECP256R1(), "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433",
           "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53",
           "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE")
P384 = ecp(ec.SECP384R1(),
           "099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655E35B538041E649EE3FAEF896783AB194",
           "41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942E0308312916B8ED2960E4BD55A7448FC",
           "11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4D603135569B9E9D09CF5D4A270F59746")
show("P256_GI", P256[0]); show("P256_GR", P256[1])
show("P384_GI", P384[0]); show("P384_GR", P384[1])

# RFC 7748 6.1
alice = x25519.X25519PrivateKey.from_private_bytes(
    H("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))
bob = x25519.X25519PrivateKey.from_private_bytes(
    H("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"))
raw = lambda k: k.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
assert raw(alice) == H("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
assert raw(bob) == H("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
K25519 = alice.exchange(bob.public_key())
assert K25519 == H("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")
# RFC 7748 5.2, first vector
assert x25519.X25519PrivateKey.from_private_bytes(
    H("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4")).exchange(
    x25519.X25519PublicKey.from_public_bytes(
        H("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))) == H(
    "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")

# --- IKE SA keys (2.14) for three suites ---
NI = bytes(range(0x00, 0x20))
NR = bytes(range(0x80, 0xa0))
SPI_I, SPI_R = 0x0102030405060708, 0x1112131415161718
SPIS = struct.pack(">QQ", SPI_I, SPI_R)

# name, prf, g^ir, integ key len, encr key len (+ salt)
SUITES = [
    ("A", "sha256", P256[2], 32, 32),     # AES-CBC-256, HMAC-SHA2-256-128, ECP-256
    ("B", "sha384", K25519, 0, 32 + 4),   # AES-GCM-16-256, Curve25519
    ("C", "sha512", P384[2], 64, 24),     # AES-CBC-192, HMAC-SHA2-512-256, ECP-384
    ("D", "sha1", P256[2], 20, 16),       # AES-CBC-128, HMAC-SHA1-96, ECP-256
]
keys = {}
for name, alg, gir, al, el in SUITES:
    skeyseed = prf(alg, NI + NR, gir)
    pl = len(skeyseed)
    km = prf_plus(alg, skeyseed, NI + NR + SPIS, 3 * pl + 2 * al + 2 * el)
    show(f"SKEYSEED_{name}", skeyseed)
    show(f"KEYMAT_{name}", km)
    o = 0
    k = {}
    for part, n in (("d", pl), ("ai", al), ("ar", al), ("ei", el), ("er", el), ("pi", pl), ("pr", pl)):
        k[part] = km[o:o + n]
        o += n
    keys[name] = k

# --- rekey of IKE SA A into suite B (2.18): old PRF SHA-256, new SPIs ---
NI2 = bytes(range(0x40, 0x50))
NR2 = bytes(range(0xc0, 0xd0))
SPIS2 = struct.pack(">QQ", 0x2122232425262728, 0x3132333435363738)
seed2 = prf("sha256", keys["A"]["d"], K25519 + NI2 + NR2)
show("REKEY_SKEYSEED", seed2)
show("REKEY_KEYMAT", prf_plus("sha384", seed2, NI2 + NR2 + SPIS2, 3 * 48 + 2 * 36))

# --- CHILD_SA KEYMAT (2.17) with IKE SA A's SK_d ---
# ESP AES-GCM-16-128: ei(16+4) er(16+4), no PFS
show("CHILD_GCM", prf_plus("sha256", keys["A"]["d"], NI + NR, 2 * 20))
# ESP AES-CBC-128 + HMAC-SHA2-256-128 with PFS (g^ir of P-384): ei ai er ar
show("CHILD_CBC_PFS", prf_plus("sha256", keys["A"]["d"], P384[2] + NI + NR, 2 * (16 + 32)))

# --- AUTH (2.15, 2.16): the responder's MIC in IKE SA A with an MSK ---
REAL = bytes((i * 7) & 0xff for i in range(300))       # its IKE_SA_INIT response
IDR = bytes([2, 0, 0, 0]) + b"gw.example.org"          # IDr' (FQDN)
MSK = bytes(range(0x10, 0x50))                         # 64 octets
maced = prf("sha256", keys["A"]["pr"], IDR)
show("AUTH_OCTETS_TAIL", maced)
show("AUTH_MIC", prf("sha256", prf("sha256", MSK, b"Key Pad for IKEv2"), REAL + NI + maced))

# --- SK / SKF payloads sent by the responder (3.14, RFC 5282, RFC 7383) ---
INNER = H("000000090101000501")  # EAP payload: EAP-Request/Identity, id 1


def header(next_payload, length):
    return struct.pack(">QQBBBBII", SPI_I, SPI_R, next_payload, 0x20, 35, 0x20, 1, length)


def cbc_msg(k, digest, icv_len, iv):
    pad = (16 - (len(INNER) + 1) % 16) % 16
    pt = INNER + bytes(pad) + bytes([pad])
    enc = Cipher(algorithms.AES(k["er"]), modes.CBC(iv)).encryptor()
    ct = enc.update(pt) + enc.finalize()
    total = 28 + 4 + len(iv) + len(ct) + icv_len
    m = header(46, total) + struct.pack(">BBH", 48, 0, 4 + len(iv) + len(ct) + icv_len) + iv + ct
    return m + hmac.new(k["ar"], m, DIG[digest]).digest()[:icv_len]


def gcm_msg(k, iv, frag=None):
    key, salt = k["er"][:-4], k["er"][-4:]
    pt = INNER + b"\x00"
    total = 28 + 4 + (4 if frag else 0) + 8 + len(pt) + 16
    plen = total - 28
    if frag:
        aad = header(53, total) + struct.pack(">BBHHH", 48, 0, plen, frag[0], frag[1])
    else:
        aad = header(46, total) + struct.pack(">BBH", 48, 0, plen)
    ct = AESGCM(key).encrypt(salt + iv, pt, aad)
    return aad + iv + ct


IV_CBC = bytes(range(0xa0, 0xb0))
IV_GCM = bytes(range(0xb0, 0xb8))
show("SK_CBC_A", cbc_msg(keys["A"], "sha256", 16, IV_CBC))
show("SK_GCM_B", gcm_msg(keys["B"], IV_GCM))
show("SKF_GCM_B", gcm_msg(keys["B"], IV_GCM, (1, 2)))
show("SK_CBC_C", cbc_msg(keys["C"], "sha512", 32, IV_CBC))
show("SK_CBC_D", cbc_msg(keys["D"], "sha1", 12, IV_CBC))

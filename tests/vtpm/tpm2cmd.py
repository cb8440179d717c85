"""Tiny TPM 2.0 command marshaller and response parser for the vTPM host tests.

Builds the raw commands the tests and the latency benchmark send (big-endian
TPM wire format) and pulls the few fields they check out of the responses.
Debian's python3 standard library only.
"""
import hashlib
import struct

ST_NO_SESSIONS = 0x8001
ST_SESSIONS = 0x8002

CC_NV_DEFINE_SPACE = 0x12A
CC_EVICT_CONTROL = 0x120
CC_CREATE_PRIMARY = 0x131
CC_STARTUP = 0x144
CC_SHUTDOWN = 0x145
CC_NV_READ = 0x14E
CC_SIGN = 0x15D
CC_FLUSH_CONTEXT = 0x165
CC_READ_PUBLIC = 0x173
CC_GET_CAPABILITY = 0x17A
CC_GET_RANDOM = 0x17B
CC_PCR_READ = 0x17E
CC_PCR_EXTEND = 0x182
CC_NV_WRITE = 0x137

RC_SUCCESS = 0x000
RC_INITIALIZE = 0x100
RC_FAILURE = 0x101
RC_COMMAND_SIZE = 0x142
RC_LOCALITY = 0x907

RH_OWNER = 0x40000001
RH_ENDORSEMENT = 0x4000000B
RS_PW = 0x40000009
SU_CLEAR = 0x0000

ALG_RSA = 0x0001
ALG_SHA256 = 0x000B
ALG_NULL = 0x0010
ALG_AES = 0x0006
ALG_CFB = 0x0043
ALG_ECC = 0x0023
ALG_ECDSA = 0x0018
ECC_NIST_P256 = 0x0003

EK_RSA_HANDLE = 0x81010001
EK_ECC_HANDLE = 0x81010002

# TCG EK Credential Profile PolicyA (PolicySecret(TPM_RH_ENDORSEMENT)), SHA-256.
POLICY_A = bytes.fromhex(
    "837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa")


def u8(v):
    return struct.pack(">B", v)


def u16(v):
    return struct.pack(">H", v)


def u32(v):
    return struct.pack(">I", v)


def tpm2b(data):
    return u16(len(data)) + data


def command(code, body, sessions=False):
    """A whole command: tag, size, code, then body."""
    tag = ST_SESSIONS if sessions else ST_NO_SESSIONS
    return u16(tag) + u32(10 + len(body)) + u32(code) + body


def pw_session():
    """Authorization area: one password session with an empty password."""
    return u32(9) + u32(RS_PW) + u16(0) + u8(0) + u16(0)


def rc_of(rsp):
    """Response code of a response (RC_FAILURE if it is malformed)."""
    if len(rsp) < 10 or struct.unpack(">I", rsp[2:6])[0] != len(rsp):
        return RC_FAILURE
    return struct.unpack(">I", rsp[6:10])[0]


def startup(su=SU_CLEAR):
    return command(CC_STARTUP, u16(su))


def shutdown(su=SU_CLEAR):
    return command(CC_SHUTDOWN, u16(su))


def get_random(n):
    return command(CC_GET_RANDOM, u16(n))


def pcr_select(pcr):
    bitmap = bytearray(3)
    bitmap[pcr // 8] |= 1 << (pcr % 8)
    return u32(1) + u16(ALG_SHA256) + u8(3) + bytes(bitmap)


def pcr_read(pcr):
    return command(CC_PCR_READ, pcr_select(pcr))


def pcr_read_digest(rsp):
    """The first SHA-256 digest in a PCR_Read response."""
    # header 10, updateCounter 4, pcrSelectionOut (4 + 2 + 1 + 3), TPML_DIGEST count 4, size 2
    off = 10 + 4 + 10 + 4
    size = struct.unpack(">H", rsp[off:off + 2])[0]
    return rsp[off + 2:off + 2 + size]


def pcr_extend(pcr, digest):
    body = u32(pcr) + pw_session() + u32(1) + u16(ALG_SHA256) + digest
    return command(CC_PCR_EXTEND, body, sessions=True)


def extend_value(old, digest):
    return hashlib.sha256(old + digest).digest()


def ek_template(ecc):
    """TPMT_PUBLIC of the TCG EK templates L-1 (RSA 2048) and L-2 (ECC P-256)."""
    common = u16(ALG_ECC if ecc else ALG_RSA) + u16(ALG_SHA256) + u32(0x000300B2)
    common += tpm2b(POLICY_A) + u16(ALG_AES) + u16(128) + u16(ALG_CFB) + u16(ALG_NULL)
    if ecc:
        return common + u16(ECC_NIST_P256) + u16(ALG_NULL) + tpm2b(bytes(32)) + tpm2b(bytes(32))
    return common + u16(2048) + u32(0) + tpm2b(bytes(256))


def ecc_signing_template():
    """ECC P-256 ECDSA/SHA-256 signing key: fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth|sign."""
    return (u16(ALG_ECC) + u16(ALG_SHA256) + u32(0x00040072) + u16(0) + u16(ALG_NULL)
            + u16(ALG_ECDSA) + u16(ALG_SHA256) + u16(ECC_NIST_P256) + u16(ALG_NULL)
            + tpm2b(b"") + tpm2b(b""))


def create_primary(hierarchy, template):
    body = u32(hierarchy) + pw_session() + tpm2b(u16(0) + u16(0)) + tpm2b(template)
    body += u16(0) + u32(0)
    return command(CC_CREATE_PRIMARY, body, sessions=True)


def create_primary_public(rsp):
    """(handle, TPMT_PUBLIC bytes) from a CreatePrimary response."""
    handle = struct.unpack(">I", rsp[10:14])[0]
    off = 14 + 4  # parameterSize
    size = struct.unpack(">H", rsp[off:off + 2])[0]
    return handle, rsp[off + 2:off + 2 + size]


def read_public(handle):
    return command(CC_READ_PUBLIC, u32(handle))


def read_public_area(rsp):
    """TPMT_PUBLIC bytes from a ReadPublic response."""
    size = struct.unpack(">H", rsp[10:12])[0]
    return rsp[12:12 + size]


def sign_ecdsa(handle, digest):
    body = u32(handle) + pw_session() + tpm2b(digest) + u16(ALG_ECDSA) + u16(ALG_SHA256)
    # validation ticket: TPM_ST_HASHCHECK, TPM_RH_NULL, empty digest
    body += u16(0x8024) + u32(0x40000007) + u16(0)
    return command(CC_SIGN, body, sessions=True)


def flush_context(handle):
    return command(CC_FLUSH_CONTEXT, u32(handle))


def get_capability(cap, prop, count):
    return command(CC_GET_CAPABILITY, u32(cap) + u32(prop) + u32(count))


CC_NV_UNDEFINE_SPACE = 0x122
CC_PCR_RESET = 0x13D
NV_OWNERWRITE_OWNERREAD = 0x00020002


def nv_define(index, size, attrs=NV_OWNERWRITE_OWNERREAD):
    nv_public = u32(index) + u16(ALG_SHA256) + u32(attrs) + tpm2b(b"") + u16(size)
    body = u32(RH_OWNER) + pw_session() + tpm2b(b"") + tpm2b(nv_public)
    return command(CC_NV_DEFINE_SPACE, body, sessions=True)


def nv_undefine(index):
    body = u32(RH_OWNER) + u32(index) + pw_session()
    return command(CC_NV_UNDEFINE_SPACE, body, sessions=True)


def nv_write(index, data, offset=0):
    body = u32(RH_OWNER) + u32(index) + pw_session() + tpm2b(data) + u16(offset)
    return command(CC_NV_WRITE, body, sessions=True)


def nv_read(index, size, offset=0):
    body = u32(RH_OWNER) + u32(index) + pw_session() + u16(size) + u16(offset)
    return command(CC_NV_READ, body, sessions=True)


def nv_read_data(rsp):
    # header 10, parameterSize 4, TPM2B_MAX_NV_BUFFER
    size = struct.unpack(">H", rsp[14:16])[0]
    return rsp[16:16 + size]


def pcr_reset(pcr):
    return command(CC_PCR_RESET, u32(pcr) + pw_session(), sessions=True)

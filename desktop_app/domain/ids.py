"""New row ids and nonces: random (version 4) UUIDs, exactly what uuid.uuid4() makes.

uuid.uuid4() is an os.urandom(16) system call and a checked UUID() per id: 1.7 µs, several
times that on the desk's scan right after the previous commit's fsync, and 0.3 s of a
50k-row import (a person and a car per row). new_id() takes its randomness from the same
source (os.urandom) 1 KiB at a time and sets each UUID the way UUID.__init__ does
(object.__setattr__ on its slots): 0.5 µs.

Thread-safe without a lock (list.pop and list.extend are atomic); a forked child starts
with no bytes of its parent's, so the two never share an id.
"""

from __future__ import annotations

import os
import uuid

_BATCH = 64  # ids per os.urandom call (a refill is ~8 µs: small, for the desk's tail)
_V4_CLEAR = ~(0xC000 << 48) & ~(0xF000 << 64)  # the version and variant bits
_V4_SET = (0x8000 << 48) | (4 << 76)  # RFC 4122 variant, version 4

_ready: list[int] = []  # the next ids' 128-bit values, taken from the end
os.register_at_fork(after_in_child=_ready.clear)

_new, _put, _from_bytes = object.__new__, object.__setattr__, int.from_bytes
_UNKNOWN = uuid.SafeUUID.unknown


def _refill() -> None:
    raw = os.urandom(16 * _BATCH)
    _ready.extend(
        [
            (_from_bytes(raw[i : i + 16], "big") & _V4_CLEAR) | _V4_SET
            for i in range(0, len(raw), 16)
        ]
    )


def new_id() -> uuid.UUID:
    """A new random UUID (version 4, RFC 4122 variant), as uuid.uuid4() returns."""
    while True:
        try:
            return uuid_of_int(_ready.pop())
        except IndexError:
            _refill()


def uuid_of_int(value: int) -> uuid.UUID:
    """uuid.UUID(int=value) for a value known to be in range: its slots set as
    UUID.__init__ sets them, without its checks (0.5 µs against 1.1 µs)."""
    u = _new(uuid.UUID)
    _put(u, "int", value)
    _put(u, "is_safe", _UNKNOWN)
    return u

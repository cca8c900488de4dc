"""Every new row id and nonce is a random version-4 UUID, as uuid.uuid4() makes, and never
repeats: across threads taking ids at once, and across a fork (a child never hands out
an id its parent will)."""

from __future__ import annotations

import os
import threading
import uuid

import pytest

from desktop_app.domain.ids import new_id


def test_a_new_id_is_a_version_4_uuid_like_uuid4s() -> None:
    for _ in range(3000):  # over several refills
        u = new_id()
        assert isinstance(u, uuid.UUID)
        assert u.version == 4 and u.variant == uuid.RFC_4122
        same = uuid.UUID(str(u))
        assert same == u and hash(same) == hash(u) and same.hex == u.hex
        assert u.is_safe is uuid.SafeUUID.unknown


def test_ids_taken_by_several_threads_at_once_never_repeat() -> None:
    taken: list[list[uuid.UUID]] = [[] for _ in range(8)]

    def take(out: list[uuid.UUID]) -> None:
        out.extend(new_id() for _ in range(5000))

    threads = [threading.Thread(target=take, args=(out,)) for out in taken]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [u for out in taken for u in out]
    assert len(set(every)) == len(every) == 40_000


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_does_not_hand_out_its_parents_next_ids() -> None:
    new_id()  # the parent has ids ready
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next ids, to the parent
        os.close(read)
        os.write(write, b"".join(new_id().bytes for _ in range(100)))
        os._exit(0)
    os.close(write)
    data = b""
    while chunk := os.read(read, 65536):
        data += chunk
    os.close(read)
    os.waitpid(pid, 0)
    child = {uuid.UUID(bytes=data[i : i + 16]) for i in range(0, len(data), 16)}
    parent = {new_id() for _ in range(100)}
    assert len(child) == 100 and not child & parent

"""The desk app is killed (kill -9) in the middle of a scan burst while a second desk
keeps scanning the same tickets: the SQLite file stays intact, every check-in the killed
desk acknowledged is in the database, and no ticket is accepted twice.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select, text

from desktop_app.store.db import Database
from desktop_app.store.models import Registration, ScanLog
from tests.checkin_support import make_event, populate

ROOT = Path(__file__).resolve().parents[2]
TICKETS = 400
KILL_AFTER_ACKS = 40

# The desk: scan every code, print "ACK <code>" only after the scan's transaction is
# committed (synchronous=FULL: on disk), exactly what the desk shows as "accepted".
CHILD = """
import json, sys, time
from desktop_app.services.checkin import scan
from desktop_app.store.db import open_database
url, event_id, desk, codes_file, pause = sys.argv[1:6]
db = open_database(url)
print("READY", flush=True)
sys.stdin.readline()  # "GO": both desks start the burst together
for code in json.load(open(codes_file)):
    out = scan(db, event_id, code, desk=desk)
    if out.result == "accepted":
        print("ACK", code, flush=True)
    time.sleep(float(pause))
print("DONE", flush=True)
"""


def _desk(
    db: Database, event_id: str, desk: str, codes_file: Path, pause: float = 0.0
) -> subprocess.Popen[str]:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    errors = codes_file.with_suffix(".stderr").open("w")  # shown when an assertion fails
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, db.url, event_id, desk, str(codes_file), str(pause)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
        env=env,
        cwd=ROOT,
    )


def _wait_ready(p: subprocess.Popen[str]) -> None:
    assert p.stdout is not None
    assert p.stdout.readline().strip() == "READY"


def test_killing_a_desk_mid_burst_loses_no_acknowledged_check_in(
    dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_sqlite, capacity=None, points=5)
    codes = populate(dealer_sqlite, ev, TICKETS)
    fwd, back = tmp_path / "a.json", tmp_path / "b.json"
    fwd.write_text(json.dumps(codes))
    back.write_text(json.dumps(codes[::-1]))

    victim = _desk(dealer_sqlite, str(ev), "A", fwd)
    # desk B paces itself a little, so that the scheduler cannot let it sweep through
    # every ticket before desk A has acknowledged enough to be killed mid-burst
    other = _desk(dealer_sqlite, str(ev), "B", back, pause=0.003)
    _wait_ready(victim)
    _wait_ready(other)
    for p in (victim, other):
        assert p.stdin is not None
        p.stdin.write("GO\n")
        p.stdin.flush()
    acked: list[str] = []
    assert victim.stdout is not None
    deadline = time.monotonic() + 60
    while len(acked) < KILL_AFTER_ACKS and time.monotonic() < deadline:
        line = victim.stdout.readline()
        if not line:
            break
        if line.startswith("ACK "):
            acked.append(line.split()[1])
    os.kill(victim.pid, signal.SIGKILL)  # mid-burst, maybe inside a transaction
    victim.wait(timeout=10)
    assert victim.returncode == -signal.SIGKILL, f"desk A ended by itself: {len(acked)} acks"
    out_b, _ = other.communicate(timeout=120)
    assert other.returncode == 0 and out_b.strip().endswith("DONE"), back.with_suffix(
        ".stderr"
    ).read_text()[-2000:]
    acked_b = [x.split()[1] for x in out_b.splitlines() if x.startswith("ACK ")]
    assert len(acked) == KILL_AFTER_ACKS

    with dealer_sqlite.engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    with dealer_sqlite.read() as s:
        inside = set(
            s.scalars(
                select(Registration.ticket_code).where(
                    Registration.event_id == ev, Registration.checked_in_at.is_not(None)
                )
            )
        )
        per_reg = Counter(
            s.scalars(
                select(ScanLog.registration_id).where(
                    ScanLog.result == "accepted", ScanLog.action == "check_in"
                )
            )
        )
        accepted_rows = s.scalar(
            select(func.count()).select_from(ScanLog).where(ScanLog.result == "accepted")
        )
    assert set(acked) <= inside, "every acknowledged check-in survived the kill"
    assert set(acked_b) <= inside
    assert not set(acked) & set(acked_b), "no ticket was accepted at both desks"
    assert set(per_reg.values()) == {1}, "no registration was accepted twice"
    # desk B went through every ticket, so after it finished everyone is in, once
    assert len(inside) == TICKETS and accepted_rows == TICKETS

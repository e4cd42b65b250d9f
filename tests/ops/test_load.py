"""The short load run: bench/load.py against real gunicorn servers and a worker, small and bounded, no errors.

It uses the aggressive think time (bench/locustfile.py), so that eight users do much in twenty seconds: contacts
register delegates and pupils send answer sets, each acknowledged one stored.

On PostgreSQL when DATABASE_URL is set (a throwaway database on that server), otherwise on a SQLite file.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_a_short_load_run_has_no_errors():
    command = [sys.executable, BENCH / "load.py", "--users", "8", "--spawn-rate", "4", "--seconds", "20"]
    command += ["--think", "aggressive"]
    if os.environ.get("DATABASE_URL"):
        command += ["--servers", "2", "--web-workers", "1", "--workers", "2"]
    else:
        command.append("--sqlite")
    done = subprocess.run(command, capture_output=True, text=True, timeout=1200, check=False)
    output = done.stdout + done.stderr[-4000:]
    assert re.search(r"^load users=8 p95_ms=[\d.]+ errors=0$", done.stdout, re.MULTILINE), output
    assert re.search(r"^registration +[1-9]", done.stdout, re.MULTILINE), output
    assert "twice=0" in done.stdout, output
    sets = re.search(r"^youth answer sets acknowledged=(\d+) stored=(\d+)$", done.stdout, re.MULTILINE)
    assert sets and int(sets[1]) > 0 and sets[1] == sets[2], output

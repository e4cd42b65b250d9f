"""The short load run: bench/load.py against real gunicorn servers and a worker, small and bounded, no errors.

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
    if os.environ.get("DATABASE_URL"):
        command += ["--servers", "2", "--web-workers", "1", "--workers", "2"]
    else:
        command.append("--sqlite")
    done = subprocess.run(command, capture_output=True, text=True, timeout=1200, check=False)
    output = done.stdout + done.stderr[-4000:]
    assert re.search(r"^load users=8 p95_ms=[\d.]+ errors=0$", done.stdout, re.MULTILINE), output
    assert re.search(r"^registration +[1-9]", done.stdout, re.MULTILINE), output
    assert "twice=0" in done.stdout, output

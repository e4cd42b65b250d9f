"""Bulk-load a million synthetic answer sets (``youth_synth``) with every tally a report reads kept up to date.

Goes through the one bulk service, ``youth.aggregates.ingest``: surveys, classes, codes (spent as many as answered),
answer sets, per-survey tallies and the county and country tallies. Uses a throwaway SQLite database (or
DATABASE_URL). Goal: under 60 s on SQLite.
Run: .venv/bin/python bench/youth_ingest.py [N]
Last line: ``youth_ingest answers=<n> seconds=<x>``.
"""

import sys
import time

from youth_synth import bench_database, synthesise


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with bench_database("trygg-bench-youth-ingest-"):
        from trygg.youth.models import AreaTally, Response, Tally

        start, cpu = time.perf_counter(), time.process_time()
        stored, surveys = synthesise(n)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert Response.objects.count() == stored
        print(f"surveys={surveys} tallies={Tally.objects.count()} area_tallies={AreaTally.objects.count()} "
              f"cpu_seconds={cpu:.1f}")  # fmt: skip
        print(f"youth_ingest answers={stored} seconds={seconds:.1f}")


if __name__ == "__main__":
    main()

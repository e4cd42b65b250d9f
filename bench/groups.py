"""Discussion groups: N of the 357 municipalities (fixed seed; default 60) split into groups of 2–3.

The pure solver on data/municipalities/municipalities.json, so no database is needed. Goal on two cores: 60 proven
optimal in < 1 s; all 357 proven optimal, or within 0.5 % with the gap said, in < 10 s.
Run: .venv/bin/python bench/groups.py [N]; the last line is the figure.
"""

import json
import os
import random
import sys
import time
from pathlib import Path

import django

DATA = Path(__file__).resolve().parent.parent / "data" / "municipalities" / "municipalities.json"
SIZE = 60
SEED = 2011


def sample(size: int, seed: int) -> tuple[list[tuple[int, float, float]], list[tuple[int, int]]]:
    """``size`` municipalities picked at random, as (number, latitude, longitude), and their neighbour pairs."""
    picked = random.Random(seed).sample(json.loads(DATA.read_text()), size)
    numbers = {row["number"] for row in picked}
    places = [(int(row["number"]), row["lat"], row["lon"]) for row in picked]
    pairs = [(int(row["number"]), int(other)) for row in picked for other in row["neighbours"] if other in numbers]
    return places, pairs


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "trygg.settings"
    django.setup()
    from trygg.events.grouping import solve

    size = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    cpu = time.process_time()
    result = solve(*sample(size, SEED))
    cpu = time.process_time() - cpu
    sizes = [len(group) for group in result.groups]
    print(f"{len(result.groups)} groups ({sizes.count(2)} of two, {sizes.count(3)} of three), {result.cost} km")
    print(
        f"groups municipalities={size} seconds={result.seconds:.3f} cpu_seconds={cpu:.3f} "
        f"optimal={'yes' if result.optimal else 'no'} gap={result.gap:.4f}"
    )


if __name__ == "__main__":
    main()

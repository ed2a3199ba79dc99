"""The finder's cost per search, measured in this process: cache miss and hit.

``.venv/bin/python -m loadtest.profile_finder`` posts look-ups residents make
to the finder through Django's whole request handler (middleware, view,
templates), in a loop in this one process: no network, no server, no other
client, so what it prints is what the portal's own code costs per search. Each
look-up is timed twice over:

- miss: the networks table has just changed (``network_cache.invalidate()``,
  outside the timing), so the look-up and its render run against the database;
- hit: the same search again, as the next resident typing that address.

It reads the database DATABASE_URL names (``manage.py generate_scale_data
--size small`` or ``load_demo`` fill one) and changes nothing in it. The cache
is this process's memory unless REDIS_URL is set. The rate limit of the
finder is lifted for the run (RATE_LIMIT_FINDER): every POST still counts.

Settings (environment):

    PROFILE_SEARCHES  distinct look-ups (40)
    PROFILE_ROUNDS    times each is posted, miss and hit (5)
"""

import os
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wabp_portal.settings")
# As served: no debug toolbar of queries kept, templates without debug info.
os.environ["DEBUG"] = "0"
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ["RATE_LIMIT_FINDER"] = str(10**9)

import warnings  # noqa: E402

import django  # noqa: E402

# No collectstatic here: WhiteNoise's note about it is not the run's.
warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from groups import network_cache  # noqa: E402
from groups.models import Municipality, RegionStreet, Street  # noqa: E402

FINDER = "/zoek-je-groep/"


def searches(count: int) -> list[dict[str, str]]:
    """Look-ups of every kind the finder answers, most of them a group found."""
    rows = (
        RegionStreet.objects.filter(region__whatsapp_groups__is_public=True)
        .order_by("street__name", "pk")
        .values_list("street__name", "number_from")[: max(1, count - 4)]
    )
    found = [{"straat": name, "nummer": str(start or 12)} for name, start in rows]
    uncovered = (
        Street.objects.filter(coverage__isnull=True)
        .order_by("name")
        .values_list("name", flat=True)
        .first()
    )
    postcode = (
        Municipality.objects.exclude(postcodes="")
        .order_by("name")
        .values_list("postcodes", flat=True)
        .first()
    )
    others = [{"straat": "Nergenslaan", "nummer": "1"}]
    if found:
        # A typo: "did you mean …?"
        others.append({"straat": found[0]["straat"][:-2], "nummer": "3"})
    if uncovered:
        others.append({"straat": uncovered, "nummer": "7"})
    if postcode:
        others.append({"postcode": postcode.split(",")[0].strip()})
    return found + others


def timed(client: Client, data: dict, before: Callable[[], None]) -> tuple[float, int]:
    """Milliseconds and queries of one POST, ``before()`` run untimed."""
    before()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.post(FINDER, data)
        took = time.perf_counter() - start
    if response.status_code != 200:
        sys.exit(f"finder answered {response.status_code} for {sorted(data)}")
    return took * 1000, len(queries.captured_queries)


def main() -> None:
    count = int(os.environ.get("PROFILE_SEARCHES") or 40)
    rounds = int(os.environ.get("PROFILE_ROUNDS") or 5)
    looked_up = searches(count)
    if len(looked_up) < 5:
        sys.exit("No data: run manage.py generate_scale_data --size small first.")
    client = Client()
    # Warm up: imports, compiled templates, the connection.
    for data in looked_up:
        client.post(FINDER, data)
    results: dict[str, list[tuple[float, int]]] = {"miss": [], "hit": []}
    for _round in range(rounds):
        for data in looked_up:
            results["miss"].append(timed(client, data, network_cache.invalidate))
            results["hit"].append(timed(client, data, lambda: None))
    print(
        f"finder, {len(looked_up)} look-ups x {rounds} rounds, "
        f"{connection.vendor}, cache {settings.CACHES['default']['BACKEND']}"
    )
    for kind, measured in results.items():
        times = sorted(ms for ms, _queries in measured)
        queries = [q for _ms, q in measured]
        print(
            f"  {kind:4}  mean {statistics.fmean(times):6.2f} ms  "
            f"median {statistics.median(times):6.2f} ms  "
            f"p95 {times[int(len(times) * 0.95) - 1]:6.2f} ms  "
            f"queries mean {statistics.fmean(queries):4.1f} max {max(queries)}"
        )


if __name__ == "__main__":
    main()

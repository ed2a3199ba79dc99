"""Run calls in threads released together by a barrier (the race tests)."""

import threading
from collections.abc import Callable

from django.db import connection


def at_once(calls: list[Callable[[], object]], *, timeout: float = 60) -> list:
    """Run the calls at the same moment; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = calls[index]()
        except Exception as error:  # the test inspects every outcome
            results[index] = error
        finally:
            # Each thread opened its own connection; leave none behind for
            # the flush at teardown to wait on.
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a call hung"
    return results

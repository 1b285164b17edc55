"""How often the garbage collector runs while shapelint checks files. Imports nothing from shapelint: the command
line raises the threshold before it loads the checker (its modules would otherwise load under the default threshold,
collected again and again -- 7% of a small file's run)."""
from __future__ import annotations

import gc

# Objects allocated between two young-generation garbage collections. A check allocates millions of small objects
# (AST nodes, shapes, sizes that remember their origin) and frees few: with Python's default of 700 the collector
# walked the growing heap again and again -- more than half of a 10,000-layer model's check. Cycles are still
# collected, less often.
GC_THRESHOLD = 100_000


def collect_between_files() -> None:
    """Collect the young garbage a file's check left (cycles among its AST nodes, ops and re-checked evaluators)
    before the next file starts. Otherwise that garbage counts towards the next file's first collection, which then
    walks every object that file has alive at that moment -- a quarter of a folder's time went to such collections.
    Collected here, it costs about a millisecond a file, and a file only collects mid-check when it allocates past
    GC_THRESHOLD itself (the memory bound is unchanged)."""
    gc.collect(0)


class fewer_collections:
    """Raise the garbage collector's first threshold to GC_THRESHOLD while checking (never lower it); the caller's
    setting is restored on exit."""

    def __enter__(self):
        self.previous = gc.get_threshold()
        if self.previous[0] and self.previous[0] < GC_THRESHOLD:
            gc.set_threshold(GC_THRESHOLD, *self.previous[1:])
        return self

    def __exit__(self, *exc):
        gc.set_threshold(*self.previous)
        return False

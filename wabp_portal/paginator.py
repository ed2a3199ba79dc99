"""A paginator for admin lists that may hold millions of rows.

Django's admin counts every row of a list to number its pages: for a
superuser's list of a country's signups that is a count of 1.5 million rows
on every page view. This one counts at most ``cap`` + 1 rows
(``SELECT COUNT(*) FROM (… LIMIT cap + 1)``), so its cost does not grow with
the table; a longer list says "more than 10,000" and is narrowed by its
filters and search. A coordinator's lists stay far below the cap; staff of a
busy zone of a country (13,409 signups in the national data) and superusers
see "more than".
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class CappedCountPaginator(Paginator):
    cap = 10_000

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return min(len(rows), self.cap + 1)
        # How many rows there are does not depend on their order: without it
        # the database counts them from an index instead of sorting them.
        return rows.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        """True when there are more rows than were counted."""
        return self.count > self.cap

"""Tell residents on the waiting list that a group covers their street now.

Meant for a timer (deploy/systemd/wabp-notify-waiting-list.timer); safe to
run twice, and twice at once: each resident is mailed once.
"""

from django.core.management.base import BaseCommand

from registrations.services import notify_waiting_list


class Command(BaseCommand):
    help = (
        "E-mail the residents on the waiting list whose street (and house "
        "number) a published group now covers, once each."
    )

    def handle(self, *args, **options) -> None:
        told = notify_waiting_list()
        self.stdout.write(f"{told} resident(s) told of a group.")

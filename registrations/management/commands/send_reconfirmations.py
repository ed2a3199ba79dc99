"""The group's life, daily: the yearly question and the house-rules deadlines.

Meant for a timer (deploy/systemd/wabp-send-reconfirmations.timer); safe to
run twice, and twice at once, and to run again after a run was killed: each
member is asked, reminded and put on the list once.
"""

from django.core.management.base import BaseCommand

from registrations.services import house_rules, reconfirmation


class Command(BaseCommand):
    help = (
        "Ask members once a year whether they still live here; remind members "
        "of new house rules before the deadline; tell coordinators whom to "
        "remove (no answer in time, house rules not accepted)."
    )

    def handle(self, *args, **options) -> None:
        asked = reconfirmation.ask_due_members()
        unanswered = reconfirmation.tell_of_unanswered()
        reminded = house_rules.remind_reacceptance()
        overdue = house_rules.tell_of_overdue_reacceptance()
        self.stdout.write(
            f"{asked} member(s) asked whether they still live here, "
            f"{unanswered} without an answer in time, "
            f"{reminded} reminded of the house rules, "
            f"{overdue} past the house-rules deadline."
        )

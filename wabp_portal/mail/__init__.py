"""The portal's mail, from queueing to the undelivered-mail list.

A mail's life, one module a step:

- ``queue``: an app renders a mail and queues it in the outbox
  (django-post-office's table) in the transaction of the change that causes
  it, marked with the zone it is sent for (``ZONE_HEADER``);
- ``outbox``: a worker claims due mails one at a time, sends them, retries a
  failure with a growing delay and gives up in the end;
- ``worker``: the loop around the outbox that lives through every error and
  writes the heartbeat ``/healthz`` reports (``manage.py mail_worker``);
- ``models``: the outbox as our screens and services read it (``Mail``,
  ``UndeliveredMail``), with the one scope rule for mails;
- ``admin``: the undelivered mail for the zone's staff, and the outbox for
  superusers.

Like the rest of the kernel it imports no app: apps import from here.
"""

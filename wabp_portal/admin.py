"""The kernel's admin: the mail's (``wabp_portal.mail.admin``).

Django's admin discovers an app's ``admin`` module only; importing the mail's
here registers its screens.
"""

from .mail import admin  # noqa: F401

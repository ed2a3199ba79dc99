"""System checks run by ``manage.py check --deploy``: what production needs."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def two_factor_is_required(app_configs, **kwargs):
    if settings.TWO_FACTOR_REQUIRED:
        return []
    return [
        Warning(
            "TWO_FACTOR_REQUIRED is off: a password alone opens the admin.",
            hint="Leave TWO_FACTOR_REQUIRED unset (or 1) in production.",
            id="wabp.W001",
        )
    ]

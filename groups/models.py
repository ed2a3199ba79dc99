"""The network as the police zone maintains it.

PoliceZone → Municipality → Region (covering Streets, through RegionStreet with
optional house-number ranges) → WhatsAppGroup ← Coordinator. Every queryset a
person sees goes through ``visible_to(user)``.
"""

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from typing import Self

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from .constants import (
    MEETING_DEFAULT_DURATION,
    MEETING_DEFAULT_TITLE,
    GroupKind,
    MeetingResponse,
    NotificationMode,
    NumberParity,
)

AnyUser = AbstractBaseUser | AnonymousUser

postcode_validator = RegexValidator(
    r"^[1-9][0-9]{3}$", _("Enter a Belgian postcode of four digits.")
)
postcode_list_validator = RegexValidator(
    r"^[1-9][0-9]{3}(,\s*[1-9][0-9]{3})*$",
    _("Enter one or more postcodes of four digits, separated by commas."),
)
invite_link_validator = RegexValidator(
    r"^https://chat\.whatsapp\.com/(invite/)?[A-Za-z0-9]{10,40}$",
    _("Enter a WhatsApp group invite link (https://chat.whatsapp.com/…)."),
)

# Abbreviations residents type for the common Flemish street-name endings.
_STREET_ABBREVIATIONS = (
    (r"\bstr\b\.?", "straat"),
    (r"\bstwg\b\.?", "steenweg"),
    (r"\bstw\b\.?", "steenweg"),
    (r"\bln\b\.?", "laan"),
    (r"\bpl\b\.?", "plein"),
    (r"\bsteenw\b\.?", "steenweg"),
)


def normalize_street_name(value: str) -> str:
    """Return the search key of a street name.

    Case, accents, punctuation and spacing are dropped and the usual
    abbreviations written out, so "Oude Stwg." and "oude steenweg" meet, and
    so do "Motstr" and "Motstraat" (the abbreviation may be glued to the name).
    """
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    text = text.lower()
    text = re.sub(r"(?<=[a-z])(str|stwg|stw|ln|pl)\b\.?", r" \1", text)
    for pattern, replacement in _STREET_ABBREVIATIONS:
        text = re.sub(pattern, replacement, text)
    text = re.sub(r"[^a-z0-9]+", "", text)
    return text


def _is_superuser(user: AnyUser) -> bool:
    return bool(user.is_active and user.is_superuser)


def is_zone_staff(user: AnyUser) -> bool:
    """Superusers and police-zone staff keep the table; coordinators do not."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.police_zones.exists()


class ZoneAudited:
    """Audit-log entries of this model carry the zone, so staff read their own.

    django-auditlog stores what ``get_additional_data`` returns with each
    entry; ``audit_zone_path`` is the attribute path to the PoliceZone's id.
    """

    audit_zone_path = "zone_id"

    def get_additional_data(self) -> dict:
        value = self
        for part in self.audit_zone_path.split("."):
            value = getattr(value, part, None)
        return {"zone": value}


class ZoneScopedQuerySet(models.QuerySet):
    """Rows that belong to one police zone: its staff see them, nobody else.

    ``zone_path`` is the lookup from the model to its PoliceZone.
    """

    zone_path = "zone"

    def visible_to(self, user: AnyUser) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if _is_superuser(user):
            return self.all()
        staff_of = PoliceZone.staff.through.objects.filter(user=user)
        return self.filter(**{f"{self.zone_path}__in": staff_of.values("policezone")})


class PoliceZoneQuerySet(models.QuerySet["PoliceZone"]):
    def visible_to(self, user: AnyUser) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if _is_superuser(user):
            return self.all()
        staff_of = PoliceZone.staff.through.objects.filter(user=user)
        coordinator_of = Coordinator.objects.filter(user=user, is_active=True)
        return self.filter(
            Q(pk__in=staff_of.values("policezone"))
            | Q(pk__in=coordinator_of.values("zone"))
        )


class PoliceZone(ZoneAudited, models.Model):
    audit_zone_path = "pk"

    name = models.CharField(_("name"), max_length=150, unique=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"))
    phone = PhoneNumberField(_("phone number"), blank=True)
    website = models.URLField(_("website"), blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        related_name="police_zones",
        blank=True,
        help_text=_("Accounts of the police-zone staff who keep this zone's table."),
    )

    objects = PoliceZoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("police zone")
        verbose_name_plural = _("police zones")
        ordering = ["name"]
        constraints = [
            # The address signs the zone's mail and receives residents'
            # replies: two zones with one address would read each other's.
            # (Which zone may see a mail is decided by its id, never by this.)
            models.UniqueConstraint(
                Lower("email"),
                name="unique_police_zone_email",
                violation_error_message=_(
                    "Another police zone already uses this e-mail address."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(ZoneScopedQuerySet):
    zone_path = "zone"


class Municipality(ZoneAudited, models.Model):
    zone = models.ForeignKey(
        PoliceZone,
        verbose_name=_("police zone"),
        related_name="municipalities",
        on_delete=models.PROTECT,
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("address in the site"), unique=True)
    postcodes = models.CharField(
        _("postcodes"),
        max_length=100,
        validators=[postcode_list_validator],
        help_text=_("Separated by commas, for example: 3570"),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "name"],
                name="unique_municipality_name_per_zone",
                violation_error_message=_(
                    "The zone already has a municipality of this name."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:municipality", kwargs={"slug": self.slug})

    @property
    def postcode_list(self) -> list[str]:
        return [code.strip() for code in self.postcodes.split(",") if code.strip()]


class StreetQuerySet(ZoneScopedQuerySet):
    zone_path = "municipality__zone"

    def matching(self, text: str) -> Self:
        """Streets whose name contains what the resident typed, however written."""
        key = normalize_street_name(text)
        if not key:
            return self.none()
        return self.filter(search_name__contains=key)


class Street(ZoneAudited, models.Model):
    audit_zone_path = "municipality.zone_id"

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        related_name="streets",
        on_delete=models.CASCADE,
    )
    name = models.CharField(_("street name"), max_length=150)
    postcode = models.CharField(
        _("postcode"), max_length=4, validators=[postcode_validator]
    )
    search_name = models.CharField(
        _("search key"), max_length=150, editable=False, db_index=True
    )

    objects = StreetQuerySet.as_manager()

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["name", "postcode"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name", "postcode"],
                name="unique_street_per_municipality_postcode",
                violation_error_message=_(
                    "This street already exists in the municipality."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.postcode}"

    def clean(self) -> None:
        # The search key is derived, kept here so every validated write has it.
        self.search_name = normalize_street_name(self.name)
        if self.municipality_id and self.postcode:
            if self.postcode not in self.municipality.postcode_list:
                raise ValidationError(
                    {
                        "postcode": _(
                            "This postcode does not belong to the municipality."
                        )
                    }
                )


class RegionQuerySet(ZoneScopedQuerySet):
    zone_path = "municipality__zone"


class Region(ZoneAudited, models.Model):
    audit_zone_path = "municipality.zone_id"

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        related_name="regions",
        on_delete=models.PROTECT,
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    streets = models.ManyToManyField(
        Street,
        verbose_name=_("streets"),
        through="RegionStreet",
        related_name="regions",
        blank=True,
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="unique_region_name_per_municipality",
                violation_error_message=_(
                    "The municipality already has a region of this name."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RegionStreetQuerySet(models.QuerySet["RegionStreet"]):
    def covering(self, number: int | None) -> Self:
        """Coverage rows that include this house number (or any, if unknown)."""
        if number is None:
            return self.all()
        parity = NumberParity.EVEN if number % 2 == 0 else NumberParity.ODD
        return self.filter(
            Q(parity=NumberParity.ALL) | Q(parity=parity),
            Q(number_from__isnull=True) | Q(number_from__lte=number),
            Q(number_to__isnull=True) | Q(number_to__gte=number),
        )


class RegionStreet(ZoneAudited, models.Model):
    """A street, or part of one, that a region covers."""

    audit_zone_path = "region.municipality.zone_id"

    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        related_name="coverage",
        on_delete=models.CASCADE,
    )
    street = models.ForeignKey(
        Street,
        verbose_name=_("street"),
        related_name="coverage",
        on_delete=models.CASCADE,
    )
    parity = models.CharField(
        _("house numbers"),
        max_length=4,
        choices=NumberParity.choices,
        default=NumberParity.ALL,
    )
    number_from = models.PositiveIntegerField(
        _("from number"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    number_to = models.PositiveIntegerField(
        _("to number"), null=True, blank=True, validators=[MinValueValidator(1)]
    )

    objects = RegionStreetQuerySet.as_manager()

    class Meta:
        verbose_name = _("street of a region")
        verbose_name_plural = _("streets of the region")
        ordering = ["street__name", "number_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number_from__isnull=True)
                | Q(number_to__isnull=True)
                | Q(number_from__lte=models.F("number_to")),
                name="region_street_range_in_order",
            ),
            models.CheckConstraint(
                condition=Q(parity__in=NumberParity.values),
                name="region_street_parity_valid",
            ),
            models.UniqueConstraint(
                fields=["region", "street", "parity", "number_from", "number_to"],
                name="unique_region_street_range",
                violation_error_message=_("The region already covers this range."),
            ),
            # NULLs are distinct in a unique index: the whole street needs its own.
            models.UniqueConstraint(
                fields=["region", "street", "parity"],
                condition=Q(number_from__isnull=True, number_to__isnull=True),
                name="unique_whole_street_per_region",
                violation_error_message=_("The region already covers this street."),
            ),
        ]

    def __str__(self) -> str:
        if self.number_from is None and self.number_to is None:
            numbers = self.get_parity_display()
        else:
            numbers = _("%(parity)s %(start)s–%(end)s") % {
                "parity": self.get_parity_display(),
                "start": self.number_from or 1,
                "end": self.number_to or "…",
            }
        return f"{self.street.name} ({numbers})"

    def clean(self) -> None:
        if (
            self.number_from is not None
            and self.number_to is not None
            and self.number_from > self.number_to
        ):
            raise ValidationError(
                {"number_to": _("The last number must not be lower than the first.")}
            )
        if self.region_id and self.street_id:
            if self.region.municipality_id != self.street.municipality_id:
                raise ValidationError(
                    {"street": _("The street lies in another municipality.")}
                )

    def covers(self, number: int | None) -> bool:
        if number is None:
            return True
        if self.parity == NumberParity.EVEN and number % 2:
            return False
        if self.parity == NumberParity.ODD and not number % 2:
            return False
        if self.number_from is not None and number < self.number_from:
            return False
        return self.number_to is None or number <= self.number_to


class WhatsAppGroupQuerySet(models.QuerySet["WhatsAppGroup"]):
    def visible_to(self, user: AnyUser) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if _is_superuser(user):
            return self.all()
        # The user's municipalities and groups by id (two small queries): an
        # OR of subqueries reads every group of the country, an OR of id
        # lists uses the indexes; no joins, so no duplicate rows either.
        municipalities = list(
            Municipality.objects.filter(zone__staff=user).values_list("pk", flat=True)
        )
        own_groups = list(
            WhatsAppGroup.objects.coordinated_by(user).values_list("pk", flat=True)
        )
        return self.filter(Q(municipality__in=municipalities) | Q(pk__in=own_groups))

    def coordinated_by(self, user: AnyUser) -> Self:
        if not user.is_authenticated:
            return self.none()
        return self.filter(coordinators__user=user, coordinators__is_active=True)

    def neighbourhood(self) -> Self:
        return self.filter(kind=GroupKind.NEIGHBOURHOOD)

    def covering(self, street_ids: Iterable[int], number: int | None) -> Self:
        """Groups whose region covers this house number in one of these streets.

        A correlated EXISTS rather than a join: no DISTINCT, and PostgreSQL
        plans it in a fraction of the time (this runs on every look-up and
        every signup).
        """
        coverage = (
            RegionStreet.objects.filter(street__in=list(street_ids))
            .covering(number)
            .filter(region=models.OuterRef("region_id"))
        )
        return self.filter(models.Exists(coverage))

    def published(self) -> Self:
        """Groups residents may see and join."""
        return self.neighbourhood().filter(is_active=True, is_public=True)


class WhatsAppGroup(ZoneAudited, models.Model):
    audit_zone_path = "municipality.zone_id"

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        related_name="whatsapp_groups",
        on_delete=models.PROTECT,
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        related_name="whatsapp_groups",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=GroupKind.choices,
        default=GroupKind.NEIGHBOURHOOD,
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    invite_link = models.URLField(
        _("WhatsApp invite link"),
        blank=True,
        validators=[invite_link_validator],
        help_text=_("Private: only sent to approved members, never shown publicly."),
    )
    send_invite_link = models.BooleanField(
        _("send the invite link on approval"),
        default=True,
        help_text=_("Approved members receive the invite link in their e-mail."),
    )
    is_public = models.BooleanField(
        _("shown in the public table"),
        default=True,
    )
    is_active = models.BooleanField(_("active"), default=True)
    display_order = models.PositiveIntegerField(_("order in the table"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = WhatsAppGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("WhatsApp group")
        verbose_name_plural = _("WhatsApp groups")
        ordering = ["municipality__name", "display_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="unique_group_name_per_municipality",
                violation_error_message=_(
                    "The municipality already has a group of this name."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind=GroupKind.UMBRELLA) | Q(region__isnull=False),
                name="neighbourhood_group_has_region",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=GroupKind.values),
                name="whatsapp_group_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        """Whether residents may see and join it (as ``published()`` selects)."""
        return (
            self.kind == GroupKind.NEIGHBOURHOOD and self.is_active and self.is_public
        )

    def clean(self) -> None:
        if self.kind == GroupKind.NEIGHBOURHOOD and not self.region_id:
            raise ValidationError(
                {"region": _("A neighbourhood group covers a region.")}
            )
        if (
            self.region_id
            and self.municipality_id
            and self.region.municipality_id != self.municipality_id
        ):
            raise ValidationError(
                {"region": _("The region lies in another municipality.")}
            )


class CoordinatorQuerySet(models.QuerySet["Coordinator"]):
    def visible_to(self, user: AnyUser) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if _is_superuser(user):
            return self.all()
        staff_zones = PoliceZone.objects.filter(staff=user).values("pk")
        return self.filter(Q(zone__in=staff_zones) | Q(user=user))

    def active(self) -> Self:
        return self.filter(is_active=True)

    def listed(self) -> Self:
        """Coordinators who agreed to appear in the public table."""
        return self.active().filter(listed_publicly=True)

    def colleagues_of(self, coordinator: "Coordinator") -> Self:
        """The other active coordinators of the coordinator's municipalities.

        The umbrella network: who coordinates a group in a municipality where
        ``coordinator`` coordinates one. Their names and groups, not yet
        their contact details (see ``with_shared_contact``).
        """
        municipalities = Municipality.objects.filter(
            whatsapp_groups__coordinators=coordinator
        )
        return (
            self.active()
            .filter(groups__municipality__in=municipalities)
            .exclude(pk=coordinator.pk)
            .distinct()
        )

    def with_shared_contact(self) -> Self:
        """Each coordinator's phone and e-mail as they chose to share them.

        Consent is given, never assumed: ``shared_phone`` and ``shared_email``
        hold the coordinator's number and address only when they ticked
        ``shares_contact``, and are None otherwise. The fields themselves are
        not read, so a page built on this cannot show what was not shared.
        """
        shares = Q(shares_contact=True)
        return self.defer("phone", "email").annotate(
            shared_phone=models.Case(
                models.When(shares, then=models.F("phone")),
                default=models.Value(None),
                output_field=PhoneNumberField(),
            ),
            shared_email=models.Case(
                models.When(shares, then=models.F("email")),
                default=models.Value(None),
                output_field=models.EmailField(),
            ),
        )


class Coordinator(ZoneAudited, models.Model):
    zone = models.ForeignKey(
        PoliceZone,
        verbose_name=_("police zone"),
        related_name="coordinators",
        on_delete=models.PROTECT,
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        related_name="coordinator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"))
    phone = PhoneNumberField(_("mobile number"), blank=True)
    groups = models.ManyToManyField(
        WhatsAppGroup,
        verbose_name=_("WhatsApp groups"),
        related_name="coordinators",
        blank=True,
    )
    listed_publicly = models.BooleanField(
        _("agrees to appear in the public table"),
        default=False,
        help_text=_("Only the name is shown, next to the region and the group."),
    )
    # Off until the coordinator ticks it (DESIGN: consent is given, never
    # assumed): staff, an application or an import never decide it for them.
    shares_contact = models.BooleanField(
        _("shares phone and e-mail with other coordinators"),
        default=False,
    )
    notification_mode = models.CharField(
        _("new signups by e-mail"),
        max_length=20,
        choices=NotificationMode.choices,
        default=NotificationMode.IMMEDIATE,
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = CoordinatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "email"],
                name="unique_coordinator_email_per_zone",
                violation_error_message=_(
                    "A coordinator with this e-mail address already exists in the zone."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user: AnyUser) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if _is_superuser(user):
            return self.all()
        return self.filter(zone__in=PoliceZone.objects.visible_to(user).values("pk"))


class Meeting(ZoneAudited, models.Model):
    """A meeting (overleg) of the coordinators of a zone."""

    zone = models.ForeignKey(
        PoliceZone,
        verbose_name=_("police zone"),
        related_name="meetings",
        on_delete=models.CASCADE,
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty for the usual title."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(
        _("ends at"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a meeting of two hours."),
    )
    location = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone} — {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(
                {"ends_at": _("The meeting must end after it starts.")}
            )

    @property
    def display_title(self) -> str:
        return self.title or str(MEETING_DEFAULT_TITLE)

    @property
    def end(self) -> datetime:
        return self.ends_at or self.starts_at + MEETING_DEFAULT_DURATION

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    def can_be_managed_by(self, user: AnyUser) -> bool:
        """Superusers and the zone's own staff invite to it; nobody else."""
        if not user.is_authenticated or not user.is_active:
            return False
        if user.is_superuser:
            return True
        return PoliceZone.staff.through.objects.filter(
            policezone=self.zone_id, user=user.pk
        ).exists()


class MeetingInvitationQuerySet(models.QuerySet["MeetingInvitation"]):
    def visible_to(self, user: AnyUser) -> Self:
        """The zone's staff see every invitation; a coordinator only their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if _is_superuser(user):
            return self.all()
        staff_zones = PoliceZone.objects.filter(staff=user).values("pk")
        return self.filter(
            Q(meeting__zone__in=staff_zones)
            | Q(coordinator__user=user, coordinator__is_active=True)
        )


class MeetingInvitation(ZoneAudited, models.Model):
    """A coordinator invited to a meeting, and their answer (blank: none yet)."""

    audit_zone_path = "meeting.zone_id"

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        related_name="invitations",
        on_delete=models.CASCADE,
    )
    coordinator = models.ForeignKey(
        Coordinator,
        verbose_name=_("coordinator"),
        related_name="meeting_invitations",
        on_delete=models.CASCADE,
    )
    response = models.CharField(
        _("answer"),
        max_length=3,
        choices=MeetingResponse.choices,
        blank=True,
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    objects = MeetingInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting invitation")
        verbose_name_plural = _("meeting invitations")
        ordering = ["coordinator__last_name", "coordinator__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "coordinator"],
                name="unique_invitation_per_meeting_coordinator",
                violation_error_message=_(
                    "This coordinator is already invited to the meeting."
                ),
            ),
            models.CheckConstraint(
                condition=Q(response="") | Q(response__in=MeetingResponse.values),
                name="meeting_invitation_response_valid",
            ),
            models.CheckConstraint(
                condition=Q(response="", responded_at__isnull=True)
                | (~Q(response="") & Q(responded_at__isnull=False)),
                name="meeting_invitation_answer_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coordinator} — {self.meeting}"

    def clean(self) -> None:
        if (
            self.meeting_id
            and self.coordinator_id
            and self.meeting.zone_id != self.coordinator.zone_id
        ):
            raise ValidationError(
                {"coordinator": _("The coordinator belongs to another zone.")}
            )


class DownloadQuerySet(ZoneScopedQuerySet):
    zone_path = "zone"

    def published(self) -> Self:
        return self.filter(is_public=True)


class Download(ZoneAudited, models.Model):
    """A document residents can download: a presentation, a form."""

    zone = models.ForeignKey(
        PoliceZone,
        verbose_name=_("police zone"),
        related_name="downloads",
        on_delete=models.CASCADE,
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="downloads/")
    is_public = models.BooleanField(_("shown publicly"), default=True)
    display_order = models.PositiveIntegerField(_("order"), default=0)

    objects = DownloadQuerySet.as_manager()

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        ordering = ["zone", "display_order", "title"]

    def __str__(self) -> str:
        return self.title

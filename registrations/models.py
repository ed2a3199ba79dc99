"""What residents submit and coordinators decide.

HouseRules are versioned per police zone, exactly one current. A Signup records
who asked to join which group, which house-rules version they accepted and
when, and its life (see ``registrations.services``). Every change of status is
kept as a StatusChange. A WaitingListEntry is a resident whose street has no
group yet, to be told when one covers it (``services.waiting_list``).
"""

from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from groups.models import (
    AnyUser,
    Municipality,
    PoliceZone,
    Street,
    WhatsAppGroup,
    ZoneAudited,
    ZoneScopedQuerySet,
    normalize_street_name,
    postcode_validator,
)

from .constants import (
    ENDED_STATUSES,
    OPEN_STATUSES,
    ConsentChannel,
    ExportKind,
    PrivacyRequestKind,
    ReconfirmationAnswer,
    ReminderKind,
    RemovalReason,
    SignupRole,
    SignupStatus,
)


class HouseRulesQuerySet(ZoneScopedQuerySet):
    zone_path = "zone"

    def current(self) -> Self:
        return self.filter(is_current=True)


class HouseRules(ZoneAudited, models.Model):
    """One version of the house rules (huishoudelijk reglement) of a zone."""

    zone = models.ForeignKey(
        PoliceZone,
        verbose_name=_("police zone"),
        related_name="house_rules",
        on_delete=models.PROTECT,
    )
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"), help_text=_("Paragraphs separated by an empty line.")
    )
    pdf = models.FileField(
        _("PDF"),
        upload_to="house-rules/",
        blank=True,
        # Served to anyone as it is: never an HTML page or a script.
        validators=[FileExtensionValidator(["pdf"])],
    )
    is_current = models.BooleanField(_("current version"), default=False)
    published_at = models.DateTimeField(_("published"), auto_now_add=True)

    objects = HouseRulesQuerySet.as_manager()

    class Meta:
        verbose_name = _("house rules")
        verbose_name_plural = _("house rules")
        ordering = ["zone", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "version"],
                name="unique_house_rules_version_per_zone",
                violation_error_message=_(
                    "The zone already has this version of the house rules."
                ),
            ),
            models.UniqueConstraint(
                fields=["zone"],
                condition=Q(is_current=True),
                name="one_current_house_rules_per_zone",
                violation_error_message=_(
                    "Another version is current already: make it not current first."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("%(title)s (version %(version)s)") % {
            "title": self.title,
            "version": self.version,
        }


class SignupQuerySet(models.QuerySet["Signup"]):
    def visible_to(self, user: AnyUser) -> Self:
        """Superuser: all; zone staff: their zones; coordinator: their groups."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        # The user's municipalities and groups are looked up first (two small
        # queries) and named by id: an OR of subqueries makes PostgreSQL read
        # every signup, an OR of id lists uses the indexes. A list that is
        # empty drops out of the condition.
        municipalities = list(
            Municipality.objects.filter(zone__staff=user).values_list("pk", flat=True)
        )
        own_groups = list(
            WhatsAppGroup.objects.coordinated_by(user).values_list("pk", flat=True)
        )
        return self.filter(
            Q(municipality__in=municipalities)
            | (Q(group__in=own_groups) & ~Q(status=SignupStatus.UNCONFIRMED))
        )

    def unconfirmed(self) -> Self:
        return self.filter(status=SignupStatus.UNCONFIRMED)

    def pending(self) -> Self:
        return self.filter(status=SignupStatus.PENDING)

    def members(self) -> Self:
        return self.filter(status=SignupStatus.APPROVED)

    def open(self) -> Self:
        return self.filter(status__in=OPEN_STATUSES)


class Signup(ZoneAudited, models.Model):
    audit_zone_path = "municipality.zone_id"

    role = models.CharField(
        _("signs up as"),
        max_length=20,
        choices=SignupRole.choices,
        default=SignupRole.PARTICIPANT,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SignupStatus.choices,
        default=SignupStatus.UNCONFIRMED,
    )
    group = models.ForeignKey(
        WhatsAppGroup,
        verbose_name=_("WhatsApp group"),
        related_name="signups",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    proposed_group_name = models.CharField(
        _("proposed group name"), max_length=100, blank=True
    )
    proposed_area = models.TextField(
        _("proposed area"),
        blank=True,
        help_text=_("The streets or the neighbourhood the new group would cover."),
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    street_name = models.CharField(_("street"), max_length=150, blank=True)
    street = models.ForeignKey(
        Street,
        verbose_name=_("known street"),
        related_name="signups",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    house_number = models.CharField(_("house number"), max_length=10, blank=True)
    box = models.CharField(_("box"), max_length=10, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=4, blank=True, validators=[postcode_validator]
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        related_name="signups",
        on_delete=models.PROTECT,
    )
    phone = PhoneNumberField(_("mobile number"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    # A new address the resident asked for, used only once they open the
    # link mailed to it (services.own_details).
    pending_email = models.EmailField(
        _("new e-mail address, not yet confirmed"), blank=True
    )
    pending_email_requested_at = models.DateTimeField(
        _("new e-mail address asked for"), null=True, blank=True
    )
    # Links mailed to an earlier address stop working from then on.
    email_changed_at = models.DateTimeField(
        _("e-mail address changed"), null=True, blank=True
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="nl"
    )
    house_rules = models.ForeignKey(
        HouseRules,
        verbose_name=_("accepted house rules"),
        related_name="signups",
        on_delete=models.PROTECT,
    )
    house_rules_accepted_at = models.DateTimeField(_("house rules accepted at"))
    privacy_accepted_at = models.DateTimeField(_("privacy notice accepted at"))
    outside_region = models.BooleanField(
        _("address outside the group's region"), default=False
    )
    # A signup staff entered for a resident who called or came to the desk:
    # the consent was given to that member of staff (services.assisted).
    consent_channel = models.CharField(
        _("consent given"),
        max_length=10,
        choices=ConsentChannel.choices,
        blank=True,
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    # Confirmed on paper rather than by the link in a mail: staff record that
    # the resident signed the printed letter.
    confirm_by_letter = models.BooleanField(_("confirms with a letter"), default=False)
    letter_signed_at = models.DateTimeField(_("letter signed"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    added_to_whatsapp_at = models.DateTimeField(
        _("added to the WhatsApp group"), null=True, blank=True
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # Set when the retention purge or an erasure request blanked the personal
    # fields; the row stays for the statistics.
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    objects = SignupQuerySet.as_manager()

    class Meta:
        verbose_name = _("signup")
        verbose_name_plural = _("signups")
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["group", "status", "created_at"],
                name="signup_group_status_created",
            ),
            models.Index(fields=["status", "created_at"], name="signup_status_created"),
            # A signup's address compared as Django's ``email__iexact`` does
            # (UPPER): withdrawing or erasing a signup asks whether anyone
            # else still uses its address before its mails go, and the
            # privacy requests search by address. Without it, each such
            # question read every signup (1.5 million: 0.2 s).
            models.Index(Upper("email"), name="signup_email_upper"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SignupStatus.values),
                name="signup_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(role__in=SignupRole.values), name="signup_role_valid"
            ),
            models.CheckConstraint(
                condition=~Q(role=SignupRole.PARTICIPANT) | Q(group__isnull=False),
                name="participant_signup_has_group",
            ),
            models.CheckConstraint(
                condition=~Q(role=SignupRole.COORDINATOR) | ~Q(proposed_group_name=""),
                name="coordinator_signup_proposes_group",
            ),
            models.CheckConstraint(
                condition=Q(status=SignupStatus.WITHDRAWN)
                | Q(status__in=ENDED_STATUSES, erased_at__isnull=False)
                | (
                    ~Q(first_name="")
                    & ~Q(phone="")
                    # Only a signup confirmed with a letter may have no e-mail.
                    & (~Q(email="") | Q(confirm_by_letter=True))
                ),
                name="open_signup_has_contact_details",
            ),
            models.CheckConstraint(
                condition=Q(consent_channel="")
                | Q(consent_channel__in=ConsentChannel.values),
                name="signup_consent_channel_valid",
            ),
            models.CheckConstraint(
                condition=Q(confirm_by_letter=False) | ~Q(consent_channel=""),
                name="letter_signup_entered_by_staff",
            ),
            models.CheckConstraint(
                condition=~Q(
                    status__in=[
                        SignupStatus.APPROVED,
                        SignupStatus.REJECTED,
                        SignupStatus.LEFT,
                        SignupStatus.REMOVED,
                    ]
                )
                | Q(decided_at__isnull=False),
                name="decided_signup_has_decision_time",
            ),
            models.CheckConstraint(
                condition=Q(pending_email="")
                | Q(pending_email_requested_at__isnull=False),
                name="pending_email_has_request_time",
            ),
            models.UniqueConstraint(
                fields=["group", "phone"],
                condition=Q(status__in=OPEN_STATUSES),
                name="unique_open_signup_phone_per_group",
            ),
            # An application to start a group has no group: one open
            # application per person and municipality.
            models.UniqueConstraint(
                fields=["municipality", "phone"],
                condition=Q(role=SignupRole.COORDINATOR, status__in=OPEN_STATUSES),
                name="unique_open_application_phone_per_municipality",
            ),
        ]

    def __str__(self) -> str:
        if self.status == SignupStatus.WITHDRAWN:
            return _("Withdrawn signup #%(pk)s") % {"pk": self.pk}
        if self.erased_at:
            return _("Erased signup #%(pk)s") % {"pk": self.pk}
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def address(self) -> str:
        number = self.house_number
        if self.box:
            number += " " + _("box %(box)s") % {"box": self.box}
        return f"{self.street_name} {number}, {self.postcode} {self.municipality}"

    @property
    def is_open(self) -> bool:
        """Whether the signup still holds a place (or asks for one) in its group."""
        return self.status in OPEN_STATUSES

    @property
    def details_changeable(self) -> bool:
        """Whether the resident may change their e-mail address and mobile number.

        Once the e-mail address is confirmed and until the signup ends. Not
        before: the resident confirms first, with the link in the mail they
        just read. Not for an accepted application: its applicant is a
        coordinator by then, whose details are their coordinator entry's.
        """
        return self.status == SignupStatus.PENDING or (
            self.status == SignupStatus.APPROVED and self.role == SignupRole.PARTICIPANT
        )

    def can_be_decided_by(self, user: AnyUser) -> bool:
        """Coordinators of the signup's group and staff of its zone decide."""
        return (
            user.is_authenticated
            and user.has_perm("registrations.change_signup")
            and Signup.objects.visible_to(user).filter(pk=self.pk).exists()
        )

    @property
    def whatsapp_url(self) -> str:
        """A click-to-chat link (wa.me takes the number without "+" or spaces)."""
        if not self.phone:
            return ""
        return f"https://wa.me/{str(self.phone.as_e164).lstrip('+')}"


class StatusChange(models.Model):
    """One step in a signup's life: who moved it from what to what, and why."""

    signup = models.ForeignKey(
        Signup,
        verbose_name=_("signup"),
        related_name="status_changes",
        on_delete=models.CASCADE,
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=SignupStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=SignupStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class PendingSignup(Signup):
    """Signups waiting for a decision, as the coordinator's work list."""

    class Meta:
        proxy = True
        verbose_name = _("pending signup")
        verbose_name_plural = _("pending signups")


class Member(Signup):
    """Approved signups: the members of a group."""

    class Meta:
        proxy = True
        verbose_name = _("member")
        verbose_name_plural = _("members")


class ExportRecordQuerySet(models.QuerySet["ExportRecord"]):
    def visible_to(self, user: AnyUser) -> Self:
        """Superuser: all; others: exports of a group they see.

        An export names the groups its members were in; whoever sees one of
        them (``WhatsAppGroup.visible_to``) sees the export.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        groups = WhatsAppGroup.objects.visible_to(user).values("pk")
        # A subquery, not a join: no duplicate rows, so no DISTINCT.
        exported = ExportRecord.groups.through.objects.filter(
            whatsappgroup__in=groups
        ).values("exportrecord")
        return self.filter(pk__in=exported)


class ExportRecord(models.Model):
    """Who exported how many members' data, and when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ExportKind.choices)
    count = models.PositiveIntegerField(_("number of people"))
    groups = models.ManyToManyField(
        WhatsAppGroup, verbose_name=_("WhatsApp groups"), related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = ExportRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.count})"


class Reminder(models.Model):
    """A reminder or digest sent, so that running the command twice sends one."""

    coordinator = models.ForeignKey(
        "groups.Coordinator",
        verbose_name=_("coordinator"),
        related_name="reminders",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["coordinator", "kind", "day"], name="one_reminder_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day}"


class ReacceptanceRequest(models.Model):
    """A member was asked to accept a new version of the house rules."""

    signup = models.ForeignKey(
        Signup,
        verbose_name=_("signup"),
        related_name="reacceptance_requests",
        on_delete=models.CASCADE,
    )
    house_rules = models.ForeignKey(
        HouseRules,
        verbose_name=_("house rules"),
        related_name="reacceptance_requests",
        on_delete=models.CASCADE,
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    # Requests made before deadlines existed have none: no consequence.
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    coordinator_told_at = models.DateTimeField(
        _("coordinators told"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("request to accept the house rules again")
        verbose_name_plural = _("requests to accept the house rules again")
        constraints = [
            models.UniqueConstraint(
                fields=["signup", "house_rules"], name="one_reacceptance_request"
            ),
            models.CheckConstraint(
                condition=Q(coordinator_told_at__isnull=True)
                | Q(deadline__isnull=False),
                name="reacceptance_told_only_after_a_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signup_id} → {self.house_rules}"


class WithdrawnMemberQuerySet(models.QuerySet["WithdrawnMember"]):
    def visible_to(self, user: AnyUser) -> Self:
        """Whoever may see the signup: its group's coordinators, its zone's staff."""
        return self.filter(signup__in=Signup.objects.visible_to(user).values("pk"))


class WithdrawnMember(ZoneAudited, models.Model):
    """Whom to remove from a WhatsApp group: a member withdrew.

    Withdrawing erases the signup at once, but the person is still in the
    WhatsApp group, which only a coordinator can change, and to do that they
    need a name and a number. Those two (no address, no e-mail) are kept
    here, and shown only in the admin to the group's coordinators and the
    zone's staff, until a coordinator marks the person removed or
    WITHDRAWN_MEMBER_RETENTION_DAYS pass: then the row is deleted. The mail
    that tells the coordinators holds no name (see
    ``notifications.notify_coordinators_of_withdrawal``).
    """

    audit_zone_path = "group.municipality.zone_id"

    signup = models.OneToOneField(
        Signup,
        verbose_name=_("signup"),
        related_name="withdrawn_member",
        on_delete=models.CASCADE,
    )
    group = models.ForeignKey(
        WhatsAppGroup,
        verbose_name=_("WhatsApp group"),
        related_name="withdrawn_members",
        on_delete=models.CASCADE,
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    phone = PhoneNumberField(_("mobile number"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), db_index=True)

    objects = WithdrawnMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("withdrawn member to remove from WhatsApp")
        verbose_name_plural = _("withdrawn members to remove from WhatsApp")
        ordering = ["withdrawn_at", "pk"]

    def __str__(self) -> str:
        # The audit log describes an entry by this: never the name.
        return _("Withdrawn member #%(pk)s") % {"pk": self.signup_id}

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class GroupApplication(Signup):
    """Applications to coordinate a new group, as the staff's work list."""

    class Meta:
        proxy = True
        verbose_name = _("new-group application")
        verbose_name_plural = _("new-group applications")


class PrivacyRequestQuerySet(ZoneScopedQuerySet):
    zone_path = "zone"

    def visible_to(self, user: AnyUser) -> Self:
        """Superuser: all; staff: their zones' and the requests they handled."""
        if not user.is_authenticated or not user.is_active or user.is_superuser:
            return super().visible_to(user)
        return self.filter(
            Q(pk__in=super().visible_to(user).values("pk")) | Q(handled_by=user)
        )


class PrivacyRequest(ZoneAudited, models.Model):
    """An access or erasure request handled by staff: who, when and how much.

    Append-only: no screen or service changes or deletes one. It holds no
    e-mail address, phone number or anything else that was searched or found,
    only counts. ``zone`` is the zone the data lay in (empty when it spanned
    several, so only superusers read the record).
    """

    kind = models.CharField(
        _("kind"), max_length=10, choices=PrivacyRequestKind.choices
    )
    zone = models.ForeignKey(
        PoliceZone,
        verbose_name=_("police zone"),
        related_name="privacy_requests",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
    )
    handled_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    signup_count = models.PositiveIntegerField(_("signups"), default=0)
    mail_count = models.PositiveIntegerField(_("e-mails"), default=0)
    coordinator_count = models.PositiveIntegerField(_("coordinator entries"), default=0)
    login_count = models.PositiveIntegerField(_("logins"), default=0)
    waiting_list_count = models.PositiveIntegerField(
        _("waiting-list entries"), default=0
    )

    objects = PrivacyRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
        ordering = ["-handled_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PrivacyRequestKind.values),
                name="privacy_request_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return _("Privacy request #%(pk)s") % {"pk": self.pk}


class WaitingListEntryQuerySet(ZoneScopedQuerySet):
    """Superuser: all; police-zone staff: their zones'; nobody else.

    Coordinators see none, not even counts: a count for a short street
    tells a neighbour which household asked, and the coverage (regions and
    their streets) is the staff's to change. Staff tell a coordinator where
    demand is when they extend a region.
    """

    zone_path = "municipality__zone"

    def unconfirmed(self) -> Self:
        return self.filter(confirmed_at__isnull=True)

    def open(self) -> Self:
        """Entries not yet told of a group: one per address and street."""
        return self.filter(notified_at__isnull=True)

    def waiting(self) -> Self:
        """Confirmed and not yet told of a group: the demand that counts."""
        return self.filter(confirmed_at__isnull=False, notified_at__isnull=True)

    def notified(self) -> Self:
        return self.filter(notified_at__isnull=False)

    def demand(self) -> Self:
        """Waiting residents per street, most first (name as first typed or known)."""
        return (
            self.waiting()
            .values("municipality_id", "municipality__name", "street_key")
            .annotate(residents=models.Count("pk"), street=models.Min("street_name"))
            .order_by("-residents", "municipality__name", "street")
        )


class WaitingListEntry(models.Model):
    """A resident who asked to be told when a published group covers their street.

    Only an e-mail address and where: no name, no phone. ``street`` is the
    known street when there was one; ``street_key`` (the street name's
    search key) holds for a street typed that the portal did not know yet,
    so that a street added later is found too. The entry counts once the
    resident confirmed the address (``confirmed_at``); it is told once
    (``notified_at``). See ``services.waiting_list`` for its life.
    """

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        related_name="waiting_list_entries",
        on_delete=models.CASCADE,
    )
    street = models.ForeignKey(
        Street,
        verbose_name=_("known street"),
        related_name="waiting_list_entries",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    street_name = models.CharField(_("street"), max_length=150)
    street_key = models.CharField(_("search key"), max_length=150, editable=False)
    house_number = models.CharField(_("house number"), max_length=10, blank=True)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="nl"
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    notified_at = models.DateTimeField(_("told of a group"), null=True, blank=True)

    objects = WaitingListEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting list for a group")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "street_key", "email"],
                condition=Q(notified_at__isnull=True),
                name="one_open_waiting_list_entry_per_street",
                violation_error_message=_(
                    "This e-mail address is already on the waiting list for "
                    "this street."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(street_key="") & ~Q(email=""),
                name="waiting_list_entry_has_street_and_email",
            ),
            models.CheckConstraint(
                condition=Q(notified_at__isnull=True) | Q(confirmed_at__isnull=False),
                name="waiting_list_entry_told_only_once_confirmed",
            ),
        ]

    def __str__(self) -> str:
        # The admin's history and messages describe an entry by this: never
        # the address.
        return _("Waiting-list entry #%(pk)s") % {"pk": self.pk}

    def clean(self) -> None:
        # The search key is derived, kept here so every validated write has it.
        self.street_key = normalize_street_name(self.street_name)
        if self.street_name and not self.street_key:
            raise ValidationError({"street_name": _("Enter the name of your street.")})
        if (
            self.street is not None
            and self.municipality_id
            and self.street.municipality_id != self.municipality_id
        ):
            raise ValidationError(
                {"street": _("The street lies in another municipality.")}
            )


class ReconfirmationQuerySet(models.QuerySet["Reconfirmation"]):
    def unanswered(self) -> Self:
        return self.filter(answered_at__isnull=True)

    def visible_to(self, user: AnyUser) -> Self:
        return self.filter(signup__in=Signup.objects.visible_to(user).values("pk"))


class Reconfirmation(models.Model):
    """A member was asked whether they still live here and stay in the group.

    Asked a year after approval and a year after each answer
    (``services.reconfirmation``); one question is open at a time. "Moved"
    ends the membership; no answer within RECONFIRMATION_ANSWER_DAYS puts
    the member on their coordinators' list of members to remove
    (``coordinator_told_at``).
    """

    signup = models.ForeignKey(
        Signup,
        verbose_name=_("signup"),
        related_name="reconfirmations",
        on_delete=models.CASCADE,
    )
    asked_at = models.DateTimeField(_("asked"), db_index=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = models.CharField(
        _("answer"), max_length=20, choices=ReconfirmationAnswer.choices, blank=True
    )
    coordinator_told_at = models.DateTimeField(
        _("coordinators told"), null=True, blank=True
    )

    objects = ReconfirmationQuerySet.as_manager()

    class Meta:
        verbose_name = _("yearly question: still living here?")
        verbose_name_plural = _("yearly questions: still living here?")
        ordering = ["-asked_at", "-pk"]
        constraints = [
            # Running the daily command twice, or twice at once, asks once.
            models.UniqueConstraint(
                fields=["signup"],
                condition=Q(answered_at__isnull=True),
                name="one_open_reconfirmation_per_signup",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answer="")
                | Q(answered_at__isnull=False, answer__in=ReconfirmationAnswer.values),
                name="reconfirmation_answer_with_time",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True)
                | Q(answered_at__gte=F("asked_at")),
                name="reconfirmation_answered_after_asked",
            ),
        ]

    def __str__(self) -> str:
        # Never the name: the audit log and messages describe a row by this.
        return _("Yearly question #%(pk)s") % {"pk": self.pk}


class MemberToRemoveQuerySet(models.QuerySet["MemberToRemove"]):
    def visible_to(self, user: AnyUser) -> Self:
        """Whoever may see the signup: its group's coordinators, its zone's staff."""
        return self.filter(signup__in=Signup.objects.visible_to(user).values("pk"))


class MemberToRemove(ZoneAudited, models.Model):
    """Whom a coordinator should remove from a WhatsApp group, and why.

    A member answered that they moved (their membership ended at once), did
    not answer the yearly question in time, or did not accept the house
    rules by the deadline. The mail to the coordinators names no one; this
    list in the admin does. The row goes when a coordinator settles it
    (``services.reconfirmation.settle_member_to_remove``), or by itself when
    the member answers or accepts after all.
    """

    audit_zone_path = "group.municipality.zone_id"

    signup = models.ForeignKey(
        Signup,
        verbose_name=_("member"),
        related_name="removal_notices",
        on_delete=models.CASCADE,
    )
    group = models.ForeignKey(
        WhatsAppGroup,
        verbose_name=_("WhatsApp group"),
        related_name="members_to_remove",
        on_delete=models.CASCADE,
    )
    reason = models.CharField(_("why"), max_length=20, choices=RemovalReason.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True, db_index=True)

    objects = MemberToRemoveQuerySet.as_manager()

    class Meta:
        verbose_name = _("member to remove from WhatsApp")
        verbose_name_plural = _("members to remove from WhatsApp")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["signup", "reason"], name="one_removal_notice_per_reason"
            ),
            models.CheckConstraint(
                condition=Q(reason__in=RemovalReason.values),
                name="removal_notice_reason_valid",
            ),
        ]

    def __str__(self) -> str:
        return _("Member to remove #%(pk)s") % {"pk": self.signup_id}

    @property
    def full_name(self) -> str:
        """The member's name, for the pages that list whom to remove."""
        return self.signup.full_name

"""Police zones, their municipalities and the municipalities' streets.

``ZoneScopedQuerySet`` is the scope of every row that belongs to one zone:
its staff see it, nobody else.
"""

import re
import unicodedata
from difflib import SequenceMatcher
from typing import Self

from django.conf import settings
from django.contrib.postgres.lookups import TrigramStrictWordSimilar
from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connections, models
from django.db.models import F, Q, Value
from django.db.models.functions import Length, Lower
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from .. import reference
from .scope import AnyUser, ZoneAudited, is_active_superuser

postcode_validator = RegexValidator(
    r"^[1-9][0-9]{3}$", _("Enter a Belgian postcode of four digits.")
)
postcode_list_validator = RegexValidator(
    r"^[1-9][0-9]{3}(,\s*[1-9][0-9]{3})*$",
    _("Enter one or more postcodes of four digits, separated by commas."),
)
nis_code_validator = RegexValidator(
    r"^[1-9][0-9]{4}$", _("Enter a NIS code of five digits, for example 73001.")
)

# Abbreviations residents type for the common street-name words, Flemish first
# (the register's names), then the French ones of bilingual and Walloon zones.
# Both sides of a search are normalised, so a register that writes "Dr." and a
# resident who types "Dokter" meet as well.
_STREET_ABBREVIATIONS = (
    (r"\bstr\b\.?", "straat"),
    (r"\bstwg\b\.?", "steenweg"),
    (r"\bstw\b\.?", "steenweg"),
    (r"\bsteenw\b\.?", "steenweg"),
    (r"\bln\b\.?", "laan"),
    (r"\bpl\b\.?", "plein"),
    # "St-Truidersteenweg", "St. Jorisstraat", "Saint-Gilles": one saint.
    (r"\b(st|saint)\b\.?", "sint"),
    (r"\b(ste|sainte)\b\.?", "sinte"),
    # "O.L.Vrouwstraat", "O.-L.-V.-straat", "OLV-plein".
    (r"\bo\W{0,2}l\W{0,2}v\b\.?(rouw)?", "onzelievevrouw"),
    (r"\bo\W{0,2}l\W{0,2}vrouw", "onzelievevrouw"),
    (r"\bdr\b\.?", "dokter"),
    (r"\bburg\.", "burgemeester"),
    (r"\bav\b\.?", "avenue"),
    (r"\bbd\b\.?", "boulevard"),
    (r"\bchee\b\.?", "chaussee"),
)

# Compiled once: a search and a signup each normalise a street name or two.
_ABBREVIATIONS = tuple(
    (re.compile(pattern), replacement) for pattern, replacement in _STREET_ABBREVIATIONS
)
_GLUED_ABBREVIATION = re.compile(r"(?<=[a-z])(str|stwg|stw|ln|pl)\b\.?")
_NOT_LETTER_OR_DIGIT = re.compile(r"[^a-z0-9]+")


def _folded(value: str) -> str:
    """Letters and digits only, without accents or case; no abbreviation read."""
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return _NOT_LETTER_OR_DIGIT.sub("", text.lower())


def normalize_street_name(value: str) -> str:
    """Return the search key of a street name.

    Case, accents, punctuation and spacing are dropped and the usual
    abbreviations written out, so "Oude Stwg." and "oude steenweg" meet, and
    so do "Motstr" and "Motstraat" (the abbreviation may be glued to the
    name), "St-Truidersteenweg" and "Sint-Truidersteenweg".

    Street.search_name stores it: a change here needs a migration that
    derives the stored keys again (as 0008 does).
    """
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    text = text.lower()
    text = _GLUED_ABBREVIATION.sub(r" \1", text)
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    return _NOT_LETTER_OR_DIGIT.sub("", text)


def street_search_keys(value: str) -> tuple[str, str]:
    """What a street text is looked up by: its search key, and its letters
    and digits as typed (``StreetQuerySet.matching``). Two texts with the
    same keys find the same streets (the finder's cache relies on it)."""
    return normalize_street_name(value), _folded(value)


class ZoneScopedQuerySet(models.QuerySet):
    """Rows that belong to one police zone: its staff see them, nobody else.

    ``zone_path`` is the lookup from the model to its PoliceZone.
    """

    zone_path = "zone"

    def visible_to(self, user: AnyUser) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_active_superuser(user):
            return self.all()
        staff_of = PoliceZone.staff.through.objects.filter(user=user)
        return self.filter(**{f"{self.zone_path}__in": staff_of.values("policezone")})


class PoliceZoneQuerySet(models.QuerySet["PoliceZone"]):
    def visible_to(self, user: AnyUser) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_active_superuser(user):
            return self.all()
        # Coordinators belong to a zone, so their module imports this one.
        from .coordinators import Coordinator

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

    def with_postcode(self, postcode: str) -> Self:
        """Municipalities that list this postcode (one of their ``postcodes``)."""
        if not re.fullmatch(r"[0-9]{4}", postcode):
            return self.none()
        return self.filter(postcodes__regex=rf"(^|,)\s*{postcode}\s*(,|$)")


class Municipality(ZoneAudited, models.Model):
    zone = models.ForeignKey(
        PoliceZone,
        verbose_name=_("police zone"),
        related_name="municipalities",
        on_delete=models.PROTECT,
    )
    # The municipality in Statbel's list (``reference``): its names and
    # postcodes come from there. Blank for one not linked (yet), whose name
    # and postcodes are as staff typed them.
    nis_code = models.CharField(
        _("NIS code"),
        max_length=5,
        blank=True,
        validators=[nis_code_validator],
    )
    name = models.CharField(_("name"), max_length=100)
    name_fr = models.CharField(_("name in French"), max_length=100, blank=True)
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
            # A municipality lies in one police zone, and is in the portal once.
            models.UniqueConstraint(
                fields=["nis_code"],
                condition=~Q(nis_code=""),
                name="unique_municipality_nis_code",
                violation_error_message=_(
                    "This municipality is already in the portal."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:municipality", kwargs={"slug": self.slug})

    @property
    def local_name(self) -> str:
        """The name for the visitor: French on French pages where the official
        list gives one (Tongres-Looz for Tongeren-Borgloon), Dutch otherwise."""
        if self.name_fr and (get_language() or "").startswith("fr"):
            return self.name_fr
        return self.name

    def clean(self) -> None:
        # Derived, kept here so every validated write has them: a linked
        # municipality is named and numbered as the official list says.
        well_formed = nis_code_validator.regex.match(self.nis_code)
        if well_formed and not self.fill_from_reference():
            raise ValidationError(
                {
                    "nis_code": _(
                        "%(code)s is not a municipality in the official list."
                    )
                    % {"code": self.nis_code}
                }
            )

    def fill_from_reference(self) -> bool:
        """Take the names and postcodes of the linked municipality's entry.

        False when the NIS code is not in today's list (left as it was).
        """
        official = reference.municipality(self.nis_code)
        if official is None:
            return False
        self.name = official.name_nl
        self.name_fr = official.name_fr
        self.postcodes = ", ".join(official.postcodes)
        return True

    @property
    def postcode_list(self) -> list[str]:
        """The postcodes of the municipality: the official ones once linked."""
        official = reference.municipality(self.nis_code) if self.nis_code else None
        if official is not None:
            return list(official.postcodes)
        return [code.strip() for code in self.postcodes.split(",") if code.strip()]

    def validate_postcode(self, postcode: str) -> None:
        """Raise a ValidationError naming both when the postcode is not ours."""
        codes = self.postcode_list
        if postcode in codes:
            return
        message = _("%(postcode)s is not a postcode of %(municipality)s.") % {
            "postcode": postcode,
            "municipality": self.name,
        }
        if codes:
            hint = ngettext(
                "The postcode of %(municipality)s is %(postcodes)s.",
                "The postcodes of %(municipality)s are %(postcodes)s.",
                len(codes),
            ) % {"municipality": self.name, "postcodes": ", ".join(codes)}
            message = f"{message} {hint}"
        raise ValidationError(message, code="postcode_of_another_municipality")


# Close spellings of a street name ("Mottstraat", "Motstrat"): at most
# CLOSE_STREETS, each at least this alike. PostgreSQL compares trigrams
# (pg_trgm's similarity, 0 to 1: a letter missing from "Motstraat" gives
# 0.58); elsewhere difflib compares the letters (its ratio, 0 to 1, which
# rates the same typo higher: 0.94).
CLOSE_STREETS = 5
TRIGRAM_CUTOFF = 0.5
DIFFLIB_CUTOFF = 0.8
# Without PostgreSQL the names are compared in Python, at most this many.
DIFFLIB_CANDIDATES = 5000


class StreetQuerySet(ZoneScopedQuerySet):
    zone_path = "municipality__zone"

    def without_group(self) -> Self:
        """Streets where a resident finds no group: no region of a published
        group covers any of their house numbers (a correlated NOT EXISTS, so
        a zone of 20,000 streets is counted in the database)."""
        # Regions and groups are defined after streets, in modules that
        # import this one.
        from .regions import RegionStreet
        from .whatsapp_groups import WhatsAppGroup

        covered = RegionStreet.objects.filter(
            street=models.OuterRef("pk"),
            region__in=WhatsAppGroup.objects.published().values("region"),
        )
        return self.exclude(models.Exists(covered))

    def matching(self, text: str) -> Self:
        """Streets whose name contains what the resident typed, however written.

        The text may stop in the middle of a word ("Oude St" on the way to
        "Oude Steenweg"): what is typed matches as written too, not only with
        its abbreviations written out ("st" is also "Sint").
        """
        keys = set(street_search_keys(text)) - {""}
        if not keys:
            return self.none()
        wanted = Q()
        for key in sorted(keys):
            wanted |= Q(search_name__contains=key)
        return self.filter(wanted)

    def close_to(self, text: str, *, limit: int = CLOSE_STREETS) -> list["Street"]:
        """Streets spelt close to ``text``, closest first, in one query.

        For a name that matched no street: a letter too many or too few, two
        swapped. On PostgreSQL the trigram index of the search key
        (migration 0005) finds them: ``%>>`` (strict word similarity, which
        for keys without spaces is the similarity of the whole keys) keeps
        those at least pg_trgm's threshold alike (0.5 unless the server says
        otherwise), a few milliseconds among a country's streets. Elsewhere
        (SQLite: development and tests) difflib compares the keys of about
        the same length, at most DIFFLIB_CANDIDATES of them.
        """
        key = normalize_street_name(text)
        if len(key) < 3:
            return []
        if connections[self.db].vendor == "postgresql":
            return list(
                self.filter(TrigramStrictWordSimilar(F("search_name"), Value(key)))
                .annotate(likeness=TrigramSimilarity("search_name", Value(key)))
                .filter(likeness__gte=TRIGRAM_CUTOFF)
                .order_by("-likeness", "name", "postcode")[:limit]
            )
        # difflib's ratio is 2 × matching letters ÷ both lengths: a key
        # shorter than 2/3 or longer than 3/2 of the typed one cannot reach
        # DIFFLIB_CUTOFF.
        candidates = self.annotate(key_length=Length("search_name")).filter(
            key_length__gte=len(key) * 2 // 3, key_length__lte=len(key) * 3 // 2
        )
        scored = []
        matcher = SequenceMatcher(b=key)
        for street in candidates.order_by("pk")[:DIFFLIB_CANDIDATES]:
            matcher.set_seq1(street.search_name)
            if (
                matcher.real_quick_ratio() >= DIFFLIB_CUTOFF
                and matcher.quick_ratio() >= DIFFLIB_CUTOFF
                and (ratio := matcher.ratio()) >= DIFFLIB_CUTOFF
            ):
                scored.append((-ratio, street.name, street.postcode, street))
        scored.sort(key=lambda each: each[:3])
        return [street for *_order, street in scored[:limit]]


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
            try:
                self.municipality.validate_postcode(self.postcode)
            except ValidationError as error:
                raise ValidationError({"postcode": error}) from None

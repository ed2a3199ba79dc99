"""Member lists for the coordinator: a CSV spreadsheet and vCard contacts.

Both are built from signups the caller has already scoped with
``visible_to``; recording who exported what is ``services.record_export``.
"""

import csv
import io
from collections.abc import Iterable

import phonenumbers
from django.utils import timezone
from django.utils.translation import gettext as _

from wabp_portal.spreadsheets import neutralise

from .models import Signup


def readable_phone(signup: Signup) -> str:
    """The number as dialled from Belgium: "0470 12 34 56", "00 31 6 12345678".

    No leading "+", so a spreadsheet neither runs it nor needs it escaped.
    """
    if not signup.phone:
        return ""
    return phonenumbers.format_out_of_country_calling_number(signup.phone, "BE")


def members_csv(signups: Iterable[Signup]) -> str:
    """Semicolon-separated with a byte-order mark: what Excel on a Belgian
    (Dutch or French) system opens in columns with the accents intact."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(
        [
            _("Group"),
            _("First name"),
            _("Last name"),
            _("Street"),
            _("House number"),
            _("Box"),
            _("Postcode"),
            _("Municipality"),
            _("Mobile number"),
            _("E-mail address"),
            _("Member since"),
            _("Added to WhatsApp"),
        ]
    )
    for signup in signups:
        writer.writerow(
            [
                neutralise(str(cell))
                for cell in (
                    signup.group.name if signup.group else "",
                    signup.first_name,
                    signup.last_name,
                    signup.street_name,
                    signup.house_number,
                    signup.box,
                    signup.postcode,
                    signup.municipality.name,
                    readable_phone(signup),
                    signup.email,
                    _date(signup.decided_at),
                    _date(signup.added_to_whatsapp_at),
                )
            ]
        )
    return buffer.getvalue()


def _date(value) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


def _vcard_text(value: str) -> str:
    """Escape a vCard text value (RFC 6350, 3.4).

    Every line break becomes ``\\n``, a lone carriage return too: some
    programs end a line there, and the rest would be read as a property.
    """
    return "\\n".join(
        line.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
        for line in value.splitlines()
    )


def members_vcard(signups: Iterable[Signup]) -> str:
    """One vCard 3.0 per member, to import into the phone's contacts."""
    cards = []
    for signup in signups:
        street = " ".join(
            part
            for part in (
                signup.street_name,
                signup.house_number,
                f"bus {signup.box}" if signup.box else "",
            )
            if part
        )
        group = signup.group.name if signup.group else ""
        lines = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"N:{_vcard_text(signup.last_name)};{_vcard_text(signup.first_name)};;;",
            f"FN:{_vcard_text(signup.full_name)}",
        ]
        if signup.phone:
            lines.append(f"TEL;TYPE=CELL:{signup.phone.as_e164}")
        if signup.email:
            lines.append(f"EMAIL;TYPE=INTERNET:{_vcard_text(signup.email)}")
        lines.append(
            "ADR;TYPE=HOME:;;{street};{city};;{postcode};{country}".format(
                street=_vcard_text(street),
                city=_vcard_text(signup.municipality.name),
                postcode=_vcard_text(signup.postcode),
                country=_vcard_text(_("Belgium")),
            )
        )
        lines.append(f"ORG:{_vcard_text(group)}")
        lines.append(f"NOTE:{_vcard_text(group)}")
        lines.append("END:VCARD")
        cards.append("\r\n".join(lines))
    return "\r\n".join(cards) + ("\r\n" if cards else "")

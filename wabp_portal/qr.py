"""QR codes for linking an authenticator app, drawn as inline SVG."""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def svg(data: str, *, label: str) -> SafeString:
    """The QR code of ``data`` as an ``<svg>`` element (no script, no style)."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=8,
        border=4,
    )
    markup = image.to_string(encoding="unicode")
    # qrcode writes only a <path>; the label is escaped before it goes in.
    attributes = format_html('<svg role="img" aria-label="{}" class="qr-code" ', label)
    # Accepted bandit finding B308/B703: the markup is qrcode's own drawing
    # of a URL we built (no input from the page), the label went through
    # format_html. See SECURITY.md.
    return mark_safe(markup.replace("<svg ", attributes, 1))  # nosec B308 B703


def grouped_secret(key: bytes) -> str:
    """The secret in base32, in groups of four, for typing it in by hand."""
    text = b32encode(key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))

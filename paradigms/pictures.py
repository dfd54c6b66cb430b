"""Pictures a paradigm makes: a GIF of its trained agent, a PNG it drew itself.

An :class:`~paradigms.evaluation.Evaluation` carries them in ``pictures``, a
tuple of :class:`Picture`; the report shows every one under its caption, with
the numbers in ``details`` beside it. In JSON the bytes are stored as base64.

>>> tiny = Picture("dot", "image/png", b"\\x89PNG\\r\\n\\x1a\\n...", caption="a dot", details={"frames": 1})
>>> Picture.from_dict(tiny.to_dict()) == tiny
True
>>> decode_base64_picture("data:image/gif;base64,R0lGODlhAQABAAAAACw=")
(b'GIF89a\\x01\\x00\\x01\\x00\\x00\\x00\\x00,', 'image/gif')
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any

from .files import to_jsonable

#: What a picture may be, by its MIME type, with the bytes each such file starts with.
PICTURE_TYPES = {"image/gif": b"GIF8", "image/png": b"\x89PNG\r\n\x1a\n"}

#: How each type's bytes begin once base64-encoded ("GIF8" -> "R0lGO", the PNG signature -> "iVBORw0KGgo").
_BASE64_SIGNATURES = {"R0lGOD": "image/gif", "iVBORw0KGgo": "image/png"}


@dataclass(frozen=True)
class Picture:
    """An image or animation a paradigm made, e.g. its trained agent as a GIF.

    Stored in the JSON as base64 (``data_base64``); ``details`` holds the numbers
    shown beside it (the episode's return and length, ...). The report shows every
    picture of an evaluation under its ``caption``.
    """

    name: str
    mime: str
    data: bytes
    caption: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a picture needs a name")
        if self.mime not in PICTURE_TYPES:
            raise ValueError(f"picture {self.name!r}: type {self.mime!r} is not one of {', '.join(PICTURE_TYPES)}")
        if not isinstance(self.data, bytes) or not self.data.startswith(PICTURE_TYPES[self.mime]):
            raise ValueError(f"picture {self.name!r}: the bytes are not a {self.mime} file")
        object.__setattr__(self, "details", to_jsonable(dict(self.details)))

    @property
    def extension(self) -> str:
        """``gif`` or ``png``: the file name's ending when the picture is written out."""
        return self.mime.split("/", 1)[1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "mime": self.mime,
            "data_base64": base64.b64encode(self.data).decode("ascii"),
            "caption": self.caption,
            "details": self.details,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Picture:
        try:
            raw = base64.b64decode(data["data_base64"], validate=True)
        except (KeyError, TypeError, binascii.Error) as exc:
            raise ValueError(f"picture {data.get('name')!r} has no readable base64 data ({exc})") from None
        return cls(
            name=data.get("name", ""), mime=data.get("mime", ""), data=raw,
            caption=data.get("caption", ""), details=data.get("details") or {},
        )


def decode_base64_picture(value: Any) -> tuple[bytes, str] | None:
    """``(bytes, mime)`` when ``value`` is a base64 GIF or PNG (a ``data:`` URL
    prefix is accepted), else ``None``: any other string, or none at all."""
    if not isinstance(value, str):
        return None
    text = value.split(",", 1)[1] if value.startswith("data:") and "," in value[:64] else value
    for signature, mime in _BASE64_SIGNATURES.items():
        if text.startswith(signature):
            try:
                data = base64.b64decode(text, validate=True)
            except (binascii.Error, ValueError):
                return None
            return (data, mime) if data.startswith(PICTURE_TYPES[mime]) else None
    return None

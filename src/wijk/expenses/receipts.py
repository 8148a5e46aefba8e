"""Receipts: checked from their content, stored under a random name, never public.

The type is decided by the file's bytes, not by its name or the browser's claim:
only PDF, JPEG and PNG are accepted. A PNG named "bon.pdf" is accepted as the PNG it
is (the name is only kept for display); an HTML page or a program named "bon.pdf" is
refused. A PDF must start with the PDF header and end with its end-of-file marker; an
image must open as that image. The size limit is WIJK_MAX_UPLOAD_MB.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

ALLOWED = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
_PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    extension: str
    sha256: str
    original_name: str


def max_upload_bytes() -> int:
    return int(settings.WIJK_MAX_UPLOAD_MB) * 1024 * 1024


def _refuse(message: str) -> ValidationError:
    return ValidationError({"receipt": [ValidationError(message)]})


def check_receipt(upload: IO[bytes], *, name: str = "") -> CheckedFile:
    """Read and check an uploaded receipt; raise a ValidationError keyed "receipt"."""
    limit = max_upload_bytes()
    content = upload.read(limit + 1)
    if not content:
        raise _refuse(_("The file is empty. Choose the photo or PDF of the receipt."))
    if len(content) > limit:
        raise _refuse(
            _(
                "The file is larger than %(limit)s MB. Make it smaller (for example a photo at a lower resolution) and try again."
            )
            % {"limit": settings.WIJK_MAX_UPLOAD_MB}
        )
    kind = filetype.guess(content)
    content_type = kind.mime if kind is not None else ""
    if content_type not in ALLOWED:
        raise _refuse(
            _(
                "%(name)s is not a PDF, JPEG or PNG file (judged by its content, not its name). Upload a PDF or a photo of the receipt."
            )
            % {"name": name or _("The file")}
        )
    if content_type == "application/pdf":
        if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-2048:]:
            raise _refuse(
                _("%(name)s is not a complete PDF file. Save the PDF again and upload it.")
                % {"name": name or _("The file")}
            )
    else:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(content)) as image:
                    if image.format != _PIL_FORMATS[content_type]:
                        raise ValueError(image.format)
                    image.verify()
        except (
            OSError,
            ValueError,
            SyntaxError,
            Image.DecompressionBombWarning,
            Image.DecompressionBombError,
        ) as exc:
            raise _refuse(
                _("%(name)s cannot be opened as an image. Take the photo again and upload it.")
                % {"name": name or _("The file")}
            ) from exc
    return CheckedFile(
        content=content,
        content_type=content_type,
        extension=ALLOWED[content_type],
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=os.path.basename(name)[:200],
    )


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def store_private_file(*, folder: str, organisation_id: int, content: bytes, extension: str) -> str:
    """Write `content` under the media folder with a random name; return the relative path."""
    relative = f"{folder}/{organisation_id}/{secrets.token_hex(16)}.{extension}"
    target = media_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
    return relative


def private_file_path(relative: str) -> Path:
    """The absolute path of a stored file; refuses anything outside the media folder."""
    root = media_root().resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise FileNotFoundError(relative)
    return path


def remove_private_file(relative: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        private_file_path(relative).unlink(missing_ok=True)

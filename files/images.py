"""Images: the file must decode as the kind it claims, and its size in pixels is read from its
header and bounded (settings.PRIVATE_FILE_MAX_IMAGE_PIXELS) before a pixel is decoded, so a small
file that would unpack into gigabytes (a decompression bomb) is refused without being unpacked."""

import warnings
from typing import IO

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from files.errors import FileRefused
from files.kinds import Kind

PILLOW_FORMATS = {"png": "PNG", "jpg": "JPEG"}


def check(upload: IO[bytes], kind: Kind) -> None:
    limit = settings.PRIVATE_FILE_MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check warns or raises with its own limit; ours comes first.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=[PILLOW_FORMATS[kind.extension]]) as image:
                width, height = image.size
                if width * height > limit:
                    raise _too_big(limit)
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_big(limit) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise FileRefused(
            f"This file's content claims to be a {kind.label} image, but the picture in it cannot be read. "
            "Open it, save it again and attach the new copy."
        ) from error


def _too_big(limit: int) -> FileRefused:
    return FileRefused(
        f"The image has too many pixels: it may have at most {limit // 1_000_000} million. "
        "Make it smaller (resize it, or take a screenshot of it) and attach it again."
    )

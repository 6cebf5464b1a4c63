"""The kinds of file the portal keeps, read from settings.PRIVATE_FILE_KINDS.

Each kind is named by the extension a file of it is stored and downloaded with. A kind belongs to
a group ("document", "image", "audio", "video"); each model that holds files says which groups it
accepts, so one form takes documents and images while a portfolio can take recordings as well.
A kind listed in the settings must be one the code knows how to check (content.CHECKS); the
settings may leave kinds out, change labels and size limits, and say which are shown inline.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MB = 1024 * 1024


@dataclass(frozen=True)
class Kind:
    extension: str  # also the kind's name
    label: str  # as people know it: "Word document (DOCX)"
    content_type: str
    group: str
    max_bytes: int
    inline: bool  # a browser may show or play it in the page instead of saving it

    @property
    def size_limit(self) -> str:
        if self.max_bytes < MB:
            return f"{self.max_bytes // 1024} KB"
        return f"{self.max_bytes // MB} MB" if self.max_bytes % MB == 0 else f"{self.max_bytes / MB:.1f} MB"


def all_kinds() -> dict[str, Kind]:
    found = {}
    for extension, declared in settings.PRIVATE_FILE_KINDS.items():
        try:
            found[extension] = Kind(
                extension=extension,
                label=declared["label"],
                content_type=declared["content_type"],
                group=declared["group"],
                max_bytes=int(declared.get("max_bytes", settings.PRIVATE_FILE_MAX_BYTES)),
                inline=bool(declared.get("inline", False)),
            )
        except KeyError as missing:
            raise ImproperlyConfigured(f"PRIVATE_FILE_KINDS[{extension!r}] needs {missing}.") from missing
    return found


def accepted(groups: Iterable[str]) -> list[Kind]:
    """The kinds of the given groups, in the order the settings list them."""
    wanted = set(groups)
    return [kind for kind in all_kinds().values() if kind.group in wanted]


def by_content_type(content_type: str) -> Kind | None:
    return next((kind for kind in all_kinds().values() if kind.content_type == content_type), None)


def listed(kinds: list[Kind]) -> str:
    """ "PDF, Word document (DOCX) or PNG image" """
    labels = [kind.label for kind in kinds]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def describe(kinds: list[Kind]) -> str:
    """What a form's hint says: the kinds and how big each may be."""
    limits: dict[str, list[Kind]] = {}
    for kind in kinds:
        limits.setdefault(kind.size_limit, []).append(kind)
    if len(limits) == 1:
        return f"{listed(kinds)}, smaller than {kinds[0].size_limit}."
    return " ".join(f"{listed(group)}: smaller than {limit}." for limit, group in limits.items())

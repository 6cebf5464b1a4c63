"""The models whose files the download view serves, each under a short name used in its URL."""

from dataclasses import dataclass

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Downloadable:
    slug: str
    model: type[Model]
    related: tuple[str, ...]  # what the access policy reads about the record, fetched with it

    def queryset(self) -> QuerySet:
        return self.model._default_manager.select_related(*self.related)


_registered: dict[str, Downloadable] = {}


def downloadable(slug: str, *, related: tuple[str, ...] = ()):
    """Class decorator for a concrete PrivateFile model: its files are served at files:download
    under this slug, to whoever the access policy lets view the record."""

    def register(model: type[Model]) -> type[Model]:
        known = _registered.get(slug)
        if known is not None and known.model is not model:
            raise ValueError(f"{slug!r} already names the files of {known.model.__name__}.")
        _registered[slug] = Downloadable(slug=slug, model=model, related=related)
        return model

    return register


def find(slug: str) -> Downloadable | None:
    return _registered.get(slug)


def slug_of(model: type[Model]) -> str:
    for entry in _registered.values():
        if entry.model is model:
            return entry.slug
    raise LookupError(f"{model.__name__} is not registered with files.registry.downloadable.")

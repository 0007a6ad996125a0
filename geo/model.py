"""The values that flow from text to route.

Every stage takes and returns these frozen dataclasses, so a stage can be tested alone,
run in another process, or replaced, and ``maps/`` needs to know nothing but ``Route``.
Dates are ``datetime.date``; the writers turn them into ISO strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from gazetteer.place import Place

ROLES = ("route", "mention")
STATUSES = ("reported", "expected", "inferred")
MODES = ("ship", "rail", "road", "air", "foot", "unknown")


@dataclass(frozen=True, slots=True)
class Document:
    """One article. ``id`` is its file name relative to the input it came from."""

    id: str
    text: str
    published: date | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    path: str | None = None
    published_basis: str | None = None  # "catalog", "--published", "text", or None

    def meta(self) -> "DocumentMeta":
        return DocumentMeta(self.id, self.title, self.outlet, self.published, self.url)


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What the outputs say about an article: everything but its text."""

    id: str
    title: str | None = None
    outlet: str | None = None
    published: date | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """A claim's source: the sentence of a document and its character offsets in that text."""

    document: str
    sentence: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A toponym found in a document's text, resolved (``place``) or not (``None``)."""

    document: str
    start: int
    end: int
    surface: str
    place: Place | None = None
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Timex:
    """A date expression, normalised against the publication date.

    ``value`` follows TIMEX3 (``2024-10-13``, ``2024-10``, ``2024-W42``, ``P3D``, ...);
    ``first``/``last`` are the calendar days it covers, when it covers a bounded span.
    ``precision`` follows the route contract: 1 a day, 2 within a week, 3 coarser.
    """

    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: str
    first: date | None = None
    last: date | None = None
    precision: int = 3


@dataclass(frozen=True, slots=True)
class Event:
    """One movement claim from one sentence: places moved from/to, when, how, who, how many.

    An event with origins and destinations is a movement; one with destinations only is a
    presence (arrived at, stationed in) that the route builder chains to the story's stops.
    """

    document: str
    origins: tuple[Place, ...]
    destinations: tuple[Place, ...]
    relation: str  # move | arrive | station | head | transit
    status: str = "reported"
    start: date | None = None
    end: date | None = None
    time_precision: int = 3
    mode: str = "unknown"
    actor: str | None = None
    count: int | None = None
    evidence: tuple[Evidence, ...] = ()
    actor_origin: Place | None = None  # the actor's country ("Russian troops"), a fallback origin
    anaphoric: bool = False  # its subject refers back ("most of them left ..."): continues the story
    # (document, start, end) of each claim joined into this event, when fragments of one movement
    # from several articles were combined: the dates each source gave, kept to show disagreement.
    date_claims: tuple[tuple[str, date | None, date | None], ...] = ()


@dataclass(frozen=True, slots=True)
class RoutePlace:
    """A resolved place as the route shows it, with every source that named it."""

    place: Place
    role: str  # route | mention
    geo_precision: int = 1
    first_date: date | None = None
    last_date: date | None = None
    sources: tuple[str, ...] = ()
    mention_count: int = 0
    surface_forms: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Leg:
    """One movement from one place to another, merged across every article that reports it.

    When sources disagree on a count, ``count`` is the first reported value and
    ``count_values`` lists every distinct one, so a reader sees the disagreement. Dates likewise:
    ``start``/``end`` span every claim and ``date_values`` lists each distinct (start, end) that
    sources reported, when there is more than one.
    """

    id: str
    sequence: int
    origin: Place
    destination: Place
    start: date | None = None
    end: date | None = None
    time_precision: int = 3
    mode: str = "unknown"
    actor: str | None = None
    count: int | None = None
    status: str = "reported"
    sources: tuple[str, ...] = ()
    confidence: float = 0.5
    evidence: tuple[Evidence, ...] = ()
    count_values: tuple[int, ...] = ()
    date_values: tuple[tuple[date | None, date | None], ...] = ()

    @property
    def source_count(self) -> int:
        return len(self.sources)


@dataclass(frozen=True, slots=True)
class DocumentStatus:
    """How one input fared: ``ok`` or ``error`` with a message naming the input and problem."""

    id: str
    path: str | None
    status: str  # ok | error
    error: str | None = None
    published: date | None = None
    published_basis: str | None = None
    mentions: int = 0
    events: int = 0


@dataclass(frozen=True, slots=True)
class Route:
    """The merged result of a run: what ``maps/`` draws and exports."""

    places: tuple[RoutePlace, ...] = ()
    legs: tuple[Leg, ...] = ()
    documents: tuple[DocumentMeta, ...] = ()
    title: str | None = None
    gazetteer_name: str = "movemap-geonames"
    gazetteer_version: str = ""
    statuses: tuple[DocumentStatus, ...] = field(default=())

    # Notebook conveniences. The implementations live in maps/, where the output schema lives
    # (one definition of the columns for route.geojson, route.gpkg and these frames, so they
    # cannot drift apart); they are imported inside the methods, so importing geo never
    # imports maps, and the package arrows (gazetteer <- geo <- maps) hold at import time.

    def to_geodataframe(self, layer: str = "legs"):
        """The route's ``"legs"`` or ``"places"`` as a ``geopandas.GeoDataFrame`` (EPSG:4326).

        Columns are the route.geojson properties, typed as in route.gpkg: dates as
        ``datetime64`` (NaT when unknown), nullable integers, lists (sources, evidence, ...)
        as JSON strings. Legs come in sequence order; a leg across the antimeridian is a
        MultiLineString split at ±180. Needs geopandas (a movemap dependency).
        """
        from maps.frames import route_geodataframe  # lazy: see the note above

        return route_geodataframe(self, layer)

    @classmethod
    def from_geojson(cls, path) -> "Route":
        """Read a route.geojson written by movemap back into a Route (``InputError`` if it is
        not one). Delegates to ``maps.geojson.read_geojson``, the reader that goes with the
        writer, imported here lazily (see the note above)."""
        from maps.geojson import read_geojson  # lazy: see the note above

        return read_geojson(path)

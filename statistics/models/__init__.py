"""The statistics app's models, one module a job; every name is importable from here.

- catalogue: sources, indicators, the other names of areas (AreaName)
- observations: the figures, their statuses and qualifiers, the public visibility rule
- releases: data releases (observations staged by an import, public from their time)
- derived: derived indicators (totals, rates) defined over other indicators
- imports: import records, uploads waiting to be confirmed, import profiles
"""

from .catalogue import (
    AreaName,
    AreaNameManager,
    Indicator,
    IndicatorManager,
    IndicatorQuerySet,
    Source,
)
from .derived import Derivation, DerivationMethod
from .imports import (
    ImportedChange,
    ImportProfile,
    ImportRecord,
    ImportRecordQuerySet,
    PendingUpload,
    PendingUploadQuerySet,
)
from .observations import (
    LONG_TEXTS_OF_RELATED,
    QUALIFIER_MEANINGS,
    STATUS_MEANINGS,
    STATUSES_WITHOUT_VALUE,
    Observation,
    ObservationManager,
    ObservationQuerySet,
    ObservationStatus,
    ValueQualifier,
    area_is_public_q,
    public_observation_q,
    release_is_public_q,
)
from .releases import DataRelease, DataReleaseQuerySet, ReleaseStatus

__all__ = [
    "LONG_TEXTS_OF_RELATED",
    "QUALIFIER_MEANINGS",
    "STATUSES_WITHOUT_VALUE",
    "STATUS_MEANINGS",
    "AreaName",
    "AreaNameManager",
    "DataRelease",
    "DataReleaseQuerySet",
    "Derivation",
    "DerivationMethod",
    "ImportProfile",
    "ImportRecord",
    "ImportRecordQuerySet",
    "ImportedChange",
    "Indicator",
    "IndicatorManager",
    "IndicatorQuerySet",
    "Observation",
    "ObservationManager",
    "ObservationQuerySet",
    "ObservationStatus",
    "PendingUpload",
    "PendingUploadQuerySet",
    "ReleaseStatus",
    "Source",
    "ValueQualifier",
    "area_is_public_q",
    "public_observation_q",
    "release_is_public_q",
]

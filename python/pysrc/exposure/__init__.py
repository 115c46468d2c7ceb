"""exposure: an embeddable threat and vulnerability management engine.

>>> import exposure
>>> a = exposure.assess(demo=True)
>>> a.recommendations[0].text
'update golang.org/x/net (Go) to 0.17.0'
>>> r = a.record()                      # the stable record a history keeps
>>> exposure.Record.from_bytes(r.to_bytes()) == r
True
>>> list(r.software().columns[:3])      # views as pandas DataFrames
['ecosystem', 'product', 'name']
>>> exposure.Version("1.0~rc1", "deb") < exposure.Version("1.0", "deb")
True
>>> "2.0.0-beta" in exposure.VersionRange("^1.2.3", "npm")
False
>>> exposure.Cpe("cpe:/a:adobe:reader:9.%02").compare(exposure.Cpe("cpe:/a:adobe:reader:9.3.2"))
'SUPERSET'
"""

from . import cvss
from ._exposure import (
    AggregateError,
    Applicability,
    ArrowAssessment,
    ArrowBatch,
    ArrowBatchError,
    Assessment,
    Cpe,
    CpeError,
    Cvss,
    CvssError,
    Engine,
    ExceptionSetError,
    ExposureError,
    ExposureFileNotFoundError,
    Finding,
    InventoryError,
    InventoryFileNotFoundError,
    InventoryIncompleteError,
    KnowledgeBaseError,
    KnowledgeBaseFileNotFoundError,
    KnowledgeBaseUpdateError,
    KnowledgeIncompleteError,
    PurlError,
    RangeError,
    Recommendation,
    Record,
    RecordError,
    RemediationError,
    Store,
    StoreError,
    StoreFileNotFoundError,
    Version,
    VersionError,
    VersionRange,
    __version__,
    activity_progress,
    activity_progress_dataframe,
    activity_progress_rows,
    assess,
    compare_versions,
    dashboard,
    default_parameters,
    guess_cpe,
    name_program,
    timeline,
    timeline_rows,
    update_kb,
)

__all__ = [
    "AggregateError",
    "Applicability",
    "ArrowAssessment",
    "ArrowBatch",
    "ArrowBatchError",
    "Assessment",
    "Cpe",
    "CpeError",
    "Cvss",
    "CvssError",
    "Engine",
    "ExceptionSetError",
    "ExposureError",
    "ExposureFileNotFoundError",
    "Finding",
    "InventoryError",
    "InventoryFileNotFoundError",
    "InventoryIncompleteError",
    "KnowledgeBaseError",
    "KnowledgeBaseFileNotFoundError",
    "KnowledgeBaseUpdateError",
    "KnowledgeIncompleteError",
    "PurlError",
    "RangeError",
    "Recommendation",
    "Record",
    "RecordError",
    "RemediationError",
    "Store",
    "StoreError",
    "StoreFileNotFoundError",
    "Version",
    "VersionError",
    "VersionRange",
    "__version__",
    "activity_progress",
    "activity_progress_dataframe",
    "activity_progress_rows",
    "assess",
    "compare_versions",
    "cvss",
    "dashboard",
    "default_parameters",
    "guess_cpe",
    "name_program",
    "timeline",
    "timeline_rows",
    "update_kb",
]

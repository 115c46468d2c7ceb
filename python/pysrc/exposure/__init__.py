"""exposure: an embeddable threat and vulnerability management engine.

>>> import exposure
>>> a = exposure.assess(demo=True)
>>> a.recommendations[0].text
'update golang.org/x/net (Go) to 0.17.0'
>>> exposure.Version("1.0~rc1", "deb") < exposure.Version("1.0", "deb")
True
>>> "2.0.0-beta" in exposure.VersionRange("^1.2.3", "npm")
False
>>> exposure.Cpe("cpe:/a:adobe:reader:9.%02").compare(exposure.Cpe("cpe:/a:adobe:reader:9.3.2"))
'SUPERSET'
"""

from . import cvss
from ._exposure import (
    Applicability,
    Assessment,
    Cpe,
    CpeError,
    Cvss,
    CvssError,
    Engine,
    ExceptionSetError,
    ExposureError,
    Finding,
    InventoryError,
    InventoryIncompleteError,
    KnowledgeBaseError,
    KnowledgeIncompleteError,
    PurlError,
    RangeError,
    Recommendation,
    Version,
    VersionError,
    VersionRange,
    __version__,
    assess,
    compare_versions,
    default_parameters,
    guess_cpe,
)

__all__ = [
    "Applicability",
    "Assessment",
    "Cpe",
    "CpeError",
    "Cvss",
    "CvssError",
    "Engine",
    "ExceptionSetError",
    "ExposureError",
    "Finding",
    "InventoryError",
    "InventoryIncompleteError",
    "KnowledgeBaseError",
    "KnowledgeIncompleteError",
    "PurlError",
    "RangeError",
    "Recommendation",
    "Version",
    "VersionError",
    "VersionRange",
    "__version__",
    "assess",
    "compare_versions",
    "cvss",
    "default_parameters",
    "guess_cpe",
]

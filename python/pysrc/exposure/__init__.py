"""exposure: an embeddable threat and vulnerability management engine.

>>> import exposure
>>> a = exposure.assess(demo=True)
>>> a.recommendations[0].text
'update golang.org/x/net (Go) to 0.17.0'
"""

from ._exposure import (
    Assessment,
    CvssError,
    Engine,
    ExposureError,
    Finding,
    InventoryError,
    KnowledgeBaseError,
    PurlError,
    RangeError,
    Recommendation,
    VersionError,
    __version__,
    assess,
)

__all__ = [
    "Assessment",
    "CvssError",
    "Engine",
    "ExposureError",
    "Finding",
    "InventoryError",
    "KnowledgeBaseError",
    "PurlError",
    "RangeError",
    "Recommendation",
    "VersionError",
    "__version__",
    "assess",
]

"""CVSS scores: `exposure.cvss.score(vector)`.

>>> from exposure import cvss
>>> s = cvss.score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P")
>>> (s.version, s.base, s.temporal, s.score, s.severity)
('3.1', 9.8, 9.3, 9.3, 'CRITICAL')
"""

from ._exposure import Cvss

__all__ = ["Cvss", "score"]


def score(vector: str) -> Cvss:
    """Parses and scores a CVSS v2, v3.0, v3.1 or v4.0 vector; raises `exposure.CvssError`
    naming the metric and value when it is malformed."""
    return Cvss(vector)

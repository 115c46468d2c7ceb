"""Type stubs for the compiled module exposure._exposure."""

import os
from typing import Any, Iterable, Literal, Mapping, Optional, Sequence, Union, final

__version__: str
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
    "dashboard",
    "default_parameters",
    "guess_cpe",
    "name_program",
    "timeline",
    "timeline_rows",
    "update_kb",
]

_Path = Union[str, "os.PathLike[str]"]
_View = Literal["findings", "devices", "groups"]

class ExposureError(ValueError):
    """Base class for all exposure errors. `kind` names what went wrong (snake_case)."""

    kind: str

class VersionError(ExposureError):
    """A version did not parse, or versions of different schemes were compared (then
    `scheme`, `input` and `offset` are None)."""

    scheme: Optional[str]
    input: Optional[str]
    offset: Optional[int]

class RangeError(ExposureError):
    """A version range could not be built: `input` is the range text, `offset` the byte
    offset of the problem in it (None where the error has none)."""

    input: Optional[str]
    offset: Optional[int]

class PurlError(ExposureError):
    """A package URL did not parse."""

    input: str
    offset: int

class CpeError(ExposureError):
    """A CPE name or an NVD applicability statement did not parse (`input` and `offset` are
    None for a statement that is not of NVD's shape)."""

    input: Optional[str]
    offset: Optional[int]
    attribute: Optional[str]

class CvssError(ExposureError):
    """A CVSS vector did not parse (`offset` is None for a missing metric)."""

    input: str
    offset: Optional[int]

class ExceptionSetError(ExposureError):
    """An exception set was refused: `kind` says why (unknown_justification, unknown_scope,
    duplicate_id, empty_id, bad_date, expires_before_created, ...), `exception_id` and
    `index` name the exception (None when the error is about the whole document), `path`
    the field."""

    exception_id: Optional[str]
    index: Optional[int]
    path: str

class RecordError(ExposureError):
    """An assessment record could not be made, read or written: `kind` says why (format,
    not_a_record, wrong_version, truncated, corrupted, invalid, no_fleet, too_large)."""

class RemediationError(ExposureError):
    """A remediation activity was refused: `kind` says why (empty_id,
    unknown_recommendation, due_before_creation, no_targeted_device, export); `near` lists
    the record's nearest recommendation ids for an unknown one (empty otherwise)."""

    near: list[str]

class StoreError(ExposureError):
    """A store could not be opened or read (`kind`: io, not_a_database, not_a_store,
    corrupt, newer_schema, older_schema, busy, bad_value, bad_record, no_such_assessment,
    ...); `path` names the database file. The file is never changed."""

    path: str

class KnowledgeBaseError(ExposureError): ...

class KnowledgeBaseUpdateError(KnowledgeBaseError):
    """A knowledge-base update failed and left the snapshot as it was: `kind` says why
    (config, fetch, invalid_response, mirror, incomplete, snapshot), `source` names the
    source and `url` the request, None where the error has none."""

    source: Optional[str]
    url: Optional[str]

class InventoryError(ExposureError): ...

class ArrowBatchError(ExposureError):
    """Arrow data could not be assessed: `kind` says why (missing_column, unknown_column,
    wrong_type, null, invalid, conflict, not_a_batch, import, output; knowledge: a snapshot
    record read while assessing was damaged); `column` names the column and `row` the row
    (from 0, across a table's batches), None where the error has none. Nothing is assessed."""

    column: Optional[str]
    row: Optional[int]

class AggregateError(ExposureError):
    """Aggregates of a partitioned assessment did not merge or finish: `kind` says why
    (malformed: not an aggregate; inconsistent: an aggregate whose tables do not hold what it
    names; format: an aggregate of another format version; knowledge: made against another
    knowledge base than the engine finishing them; mixed_as_of: parts assessed as of
    different days; without_fleet: a part aggregated without its fleet); `part` is the index
    of the part at fault (from 0), None for an error of no one part (found when
    finishing)."""

    part: Optional[int]

class KnowledgeBaseFileNotFoundError(KnowledgeBaseError, FileNotFoundError):
    """A knowledge-base input or snapshot that does not exist (or a snapshot to write into a
    directory that does not): also a FileNotFoundError, `errno` ENOENT; `str()` is the
    message, which names the file."""

class InventoryFileNotFoundError(InventoryError, FileNotFoundError):
    """An inventory or os-release file that does not exist: also a FileNotFoundError."""

class StoreFileNotFoundError(StoreError, FileNotFoundError):
    """A store file that does not exist: also a FileNotFoundError."""

class ExposureFileNotFoundError(ExposureError, FileNotFoundError):
    """Any other file that does not exist (a CPE dictionary, an exception set): also a
    FileNotFoundError."""

class KnowledgeIncompleteError(KnowledgeBaseError):
    """A knowledge-base input yields nothing (`kind` "empty") or lost more than 10 % of its
    records (`kind` "lossy"), and partial loads were not allowed (`allow_partial=True`
    accepts it): `input` names it, `report` is its load report, every problem in it."""

    input: str
    report: dict[str, Any]

class InventoryIncompleteError(InventoryError):
    """An inventory yields no device (`kind` "empty"), and partial loads were not allowed
    (`allow_partial=True` accepts it): `input` names it, `report` is its load report."""

    input: str
    report: dict[str, Any]

@final
class Engine:
    """A knowledge base and model parameters that assess inventories.

    Safe to share between threads: assessments run side by side, and `load`, `save`,
    `set_parameters` and `set_exceptions` wait for running assessments (and they for a
    running load) with the GIL released, never an error. A load that panicked inside the
    library leaves the engine unusable: ExposureError of kind "poisoned"."""

    def __new__(cls, *, parameters: Union[Mapping[str, Any], str, None] = None) -> "Engine": ...
    @staticmethod
    def demo(*, parameters: Union[Mapping[str, Any], str, None] = None) -> "Engine": ...
    @staticmethod
    def open(
        path: _Path, *, parameters: Union[Mapping[str, Any], str, None] = None
    ) -> "Engine": ...
    @property
    def advisory_count(self) -> int: ...
    @property
    def parameters(self) -> dict[str, Any]: ...
    def name_program(self, publisher: str, name: str, version: str) -> dict[str, Any]: ...
    def set_parameters(self, parameters: Union[Mapping[str, Any], str]) -> None: ...
    def set_exceptions(self, exceptions: Union[_Path, Mapping[str, Any], None], /) -> None: ...
    def load(self, path: _Path, *, allow_partial: bool = False) -> dict[str, Any]: ...
    def save(self, path: _Path) -> None: ...
    def kb_metadata(self) -> dict[str, Any]: ...
    def kb_age(self, *, max_age: int = 604800, now: Optional[int] = None) -> dict[str, Any]: ...
    def load_osv(self, path: _Path) -> dict[str, Any]: ...
    def load_osv_json(self, text: str, origin: str = "<string>") -> dict[str, Any]: ...
    def assess_path(
        self,
        path: Union[_Path, Sequence[_Path]],
        *,
        distro: Optional[str] = None,
        os_release: Optional[_Path] = None,
        cpe_dictionary: Optional[_Path] = None,
        allow_partial: bool = False,
        as_of: Optional[str] = None,
        exceptions: Union[_Path, Mapping[str, Any], None] = None,
    ) -> "Assessment": ...
    def assess_json(
        self,
        text: str,
        origin: str = "<string>",
        *,
        distro: Optional[str] = None,
        os_release: Optional[_Path] = None,
        cpe_dictionary: Optional[_Path] = None,
        allow_partial: bool = False,
        as_of: Optional[str] = None,
        exceptions: Union[_Path, Mapping[str, Any], None] = None,
    ) -> "Assessment": ...
    def assess_arrow(
        self,
        data: Any,
        *,
        as_of: Optional[str] = None,
        exceptions: Union[_Path, Mapping[str, Any], None] = None,
    ) -> "ArrowAssessment":
        """Assesses an inventory given as Arrow data (a pyarrow Table or RecordBatch, or any
        object with `__arrow_c_stream__` or `__arrow_c_array__`), imported zero-copy: one row
        per software item, columns `device_id` (required), `groups`, `value`, `ecosystem`,
        `name`, `version`, `purl`, `cpe`. Raises ArrowBatchError naming the column and row of
        any bad row (nothing is assessed), TypeError for data that is not Arrow."""
    def finish_aggregates(self, parts: Iterable[bytes]) -> dict[str, Any]:
        """The fleet-wide results of a partitioned assessment: `parts` (each
        `ArrowAssessment.aggregate()` of one partition, in any order) merged and finished for
        the whole fleet, as a dict (the core's `Finished`): `organisation`, `groups`,
        `recommendations` (each with `device_count` and `target_device_counts` instead of
        device lists), `configuration`, `software`, `weaknesses`, `recommendation_rows`,
        `top_devices` (the views' rows), `distribution`, `group_views` (each group's views),
        `dashboards` (over every device, then each group's), `as_of`, `patterns`, `chunks`. Raises AggregateError for bytes
        that are not an aggregate, of another format version or of another knowledge base,
        or parts assessed as of different days."""
    def assess_demo_fleet(self) -> "Assessment": ...

@final
class ArrowBatch:
    """A record batch made by the engine, for any Arrow library through the Arrow PyCapsule
    interface: `pyarrow.record_batch(batch)` imports it zero-copy."""

    def __arrow_c_schema__(self) -> Any: ...
    def __arrow_c_array__(self, requested_schema: Optional[Any] = None) -> tuple[Any, Any]: ...
    @property
    def num_rows(self) -> int: ...
    def __len__(self) -> int: ...

@final
class ArrowAssessment:
    """The assessment of an Arrow inventory (`Engine.assess_arrow`): `findings` and `devices`
    as pyarrow RecordBatches (the columns of `Assessment.to_arrow`; they need pyarrow),
    `findings_batch` and `devices_batch` as ArrowBatch (no pyarrow needed), and the whole
    `assessment`."""

    @property
    def findings(self) -> Any: ...
    @property
    def devices(self) -> Any: ...
    @property
    def findings_batch(self) -> ArrowBatch: ...
    @property
    def devices_batch(self) -> ArrowBatch: ...
    @property
    def assessment(self) -> "Assessment": ...
    def aggregate(self) -> bytes:
        """The assessment's mergeable aggregate as bytes, for `Engine.finish_aggregates`; made
        when asked for, on the engine that assessed (AggregateError, kind "knowledge", when
        it has loaded other knowledge since)."""

@final
class Assessment:
    """The result of one assessment.

    `to_dataframe`, `to_arrow` and `to_polars` give a view ("findings", "devices" or
    "groups") with typed columns: categories as categoricals, counts as int64, flags as
    bool, missing floats as NaN, days as datetime64 / date32 / Date. Each needs its library
    (pandas, pyarrow, polars) and raises ImportError naming it when missing."""

    @property
    def knowledge_age(self) -> Optional[dict[str, Any]]: ...
    @property
    def score(self) -> float: ...
    @property
    def level(self) -> str: ...
    @property
    def devices(self) -> list[dict[str, Any]]: ...
    @property
    def findings(self) -> list["Finding"]: ...
    @property
    def recommendations(self) -> list["Recommendation"]: ...
    @property
    def diagnostics(self) -> dict[str, Any]: ...
    @property
    def knowledge(self) -> dict[str, int]: ...
    @property
    def knowledge_reports(self) -> list[dict[str, Any]]: ...
    @property
    def inventory_reports(self) -> list[dict[str, Any]]: ...
    @property
    def groups(self) -> list[dict[str, Any]]: ...
    @property
    def exceptions(self) -> list[dict[str, Any]]: ...
    @property
    def excepted_recommendations(self) -> list[dict[str, Any]]: ...
    @property
    def suppressed(self) -> list[dict[str, Any]]: ...
    @property
    def configuration(self) -> dict[str, Any]: ...
    @property
    def parameters(self) -> dict[str, Any]: ...
    def explain(self, device_id: Optional[str] = None) -> dict[str, Any]: ...
    def explain_dataframe(self, device_id: Optional[str] = None) -> Any: ...
    def finding_rows(self) -> list[dict[str, Any]]: ...
    def to_dataframe(self, view: _View = "findings") -> Any: ...
    def to_arrow(self, view: _View = "findings") -> Any: ...
    def to_polars(self, view: _View = "findings") -> Any: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def record(self) -> "Record": ...
    @property
    def unassessed(self) -> list[dict[str, Any]]: ...
    def filtered(
        self,
        *,
        severity: Optional[Sequence[str]] = None,
        fixed: Optional[bool] = None,
        kev_only: bool = False,
        min_epss: Optional[float] = None,
        groups: Optional[Sequence[str]] = None,
    ) -> "Assessment": ...
    def gate(
        self,
        fail_on: str,
        *,
        severity: Optional[Sequence[str]] = None,
        fixed: Optional[bool] = None,
        kev_only: bool = False,
        min_epss: Optional[float] = None,
        groups: Optional[Sequence[str]] = None,
    ) -> dict[str, Any]: ...
    def report(
        self,
        format: Literal["sarif", "cyclonedx", "openvex", "csv", "markdown", "html"],
        *,
        top: int = 10,
    ) -> str: ...

@final
class Record:
    """The stable record of one assessment (`exposure-record/1`): what a history keeps."""

    @staticmethod
    def from_json(text: str) -> "Record": ...
    @staticmethod
    def from_bytes(data: bytes) -> "Record": ...
    def to_json(self) -> str: ...
    def to_bytes(self) -> bytes: ...
    def to_dict(self) -> dict[str, Any]: ...
    @property
    def format(self) -> str: ...
    @property
    def as_of(self) -> Optional[str]: ...
    @property
    def score(self) -> float: ...
    @property
    def level(self) -> str: ...
    @property
    def secure_score(self) -> Optional[float]: ...
    @property
    def model_version(self) -> str: ...
    @property
    def knowledge(self) -> dict[str, int]: ...
    @property
    def device_count(self) -> int: ...
    @property
    def software_count(self) -> int: ...
    @property
    def advisory_count(self) -> int: ...
    @property
    def finding_count(self) -> int: ...
    @property
    def recommendation_count(self) -> int: ...
    @property
    def suppressed_count(self) -> int: ...
    @property
    def groups(self) -> list[str]: ...
    @property
    def exceptions(self) -> list[dict[str, Any]]: ...
    def diff(self, newer: "Record") -> dict[str, Any]: ...
    def changes(self, newer: "Record") -> dict[str, Any]: ...
    def software_rows(self, group: Optional[str] = None) -> list[dict[str, Any]]: ...
    def software(self, group: Optional[str] = None) -> Any: ...
    def weakness_rows(self, group: Optional[str] = None) -> list[dict[str, Any]]: ...
    def weaknesses(self, group: Optional[str] = None) -> Any: ...
    def device_rows(self, group: Optional[str] = None, top: int = 3) -> list[dict[str, Any]]: ...
    def devices(self, group: Optional[str] = None, top: int = 3) -> Any: ...
    def recommendation_rows(self, group: Optional[str] = None) -> list[dict[str, Any]]: ...
    def recommendations(self, group: Optional[str] = None) -> Any: ...
    def create_activity(
        self,
        recommendation_id: str,
        *,
        id: str,
        created: str,
        due: Optional[str] = None,
        priority: str = "medium",
        note: Optional[str] = None,
        devices: Optional[Sequence[str]] = None,
        groups: Optional[Sequence[str]] = None,
    ) -> dict[str, Any]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __ne__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

def timeline(records: Sequence[Record], since: Optional[str] = None) -> Any: ...
def timeline_rows(records: Sequence[Record], since: Optional[str] = None) -> list[dict[str, Any]]: ...
def dashboard(records: Sequence[Record], group: Optional[str] = None, top: int = 5) -> dict[str, Any]: ...
def activity_progress(activity: Union[Mapping[str, Any], str], records: Sequence[Record]) -> dict[str, Any]: ...
def activity_progress_rows(
    activity: Union[Mapping[str, Any], str], records: Sequence[Record]
) -> list[dict[str, Any]]: ...
def activity_progress_dataframe(activity: Union[Mapping[str, Any], str], records: Sequence[Record]) -> Any: ...

@final
class Store:
    """The CLI's store (`exposure assess ... --db FILE`), opened read-only."""

    def __new__(cls, path: _Path) -> "Store": ...
    @property
    def path(self) -> str: ...
    @property
    def schema_version(self) -> int: ...
    def assessment_rows(self, label: Optional[str] = None, since: Optional[str] = None) -> list[dict[str, Any]]: ...
    def assessments(self, label: Optional[str] = None, since: Optional[str] = None) -> Any: ...
    def record(self, id: int) -> Record: ...
    def latest(self, label: Optional[str] = None) -> Optional[Record]: ...
    def records(self, label: Optional[str] = None, since: Optional[str] = None) -> list[Record]: ...
    def exception_rows(self, status: Optional[str] = None) -> list[dict[str, Any]]: ...
    def exceptions(self, status: Optional[str] = None) -> Any: ...
    def activity_rows(self, status: Optional[str] = None) -> list[dict[str, Any]]: ...
    def activities(self, status: Optional[str] = None) -> Any: ...

@final
class Finding:
    """One vulnerability on one software item of one device."""

    @property
    def device_id(self) -> str: ...
    @property
    def ecosystem(self) -> str: ...
    @property
    def package(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def advisory_id(self) -> str: ...
    @property
    def aliases(self) -> list[str]: ...
    @property
    def fix(self) -> Optional[str]: ...
    @property
    def cvss_score(self) -> Optional[float]: ...
    @property
    def risk(self) -> float: ...
    @property
    def mitigated_by(self) -> Optional[str]: ...
    @property
    def severity(self) -> Optional[Literal["NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"]]: ...
    @property
    def cvss_vector(self) -> Optional[str]: ...
    @property
    def impact(self) -> float: ...
    @property
    def impact_source(self) -> str: ...
    @property
    def likelihood(self) -> float: ...
    @property
    def likelihood_rule(self) -> str: ...
    @property
    def fix_state(self) -> Literal["fixed", "not_fixed", "will_not_fix", "unknown"]: ...
    @property
    def fixed_in(self) -> list[str]: ...
    @property
    def known_exploited(self) -> bool: ...
    @property
    def kev(self) -> Optional[dict[str, Any]]: ...
    @property
    def epss(self) -> Optional[float]: ...
    @property
    def epss_percentile(self) -> Optional[float]: ...
    @property
    def matcher(self) -> str: ...
    @property
    def confidence(self) -> str: ...
    @property
    def matched(self) -> str: ...
    @property
    def evidence(self) -> dict[str, Any]: ...
    @property
    def summary(self) -> Optional[str]: ...
    @property
    def not_counted(self) -> Optional[Literal["mitigated", "condition_not_reported"]]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Recommendation:
    """One ranked remediation action."""

    @property
    def rank(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def target_version(self) -> Optional[str]: ...
    @property
    def known_exploited(self) -> int: ...
    @property
    def configuration_impact(self) -> float: ...
    @property
    def exposure_left(self) -> float: ...
    @property
    def exposure_impact(self) -> float: ...
    def to_dict(self) -> dict[str, Any]: ...

def assess(
    kb: Union[_Path, Sequence[_Path], None] = None,
    inventory: Union[_Path, Sequence[_Path], None] = None,
    *,
    demo: bool = False,
    distro: Optional[str] = None,
    os_release: Optional[_Path] = None,
    cpe_dictionary: Optional[_Path] = None,
    allow_partial: bool = False,
    as_of: Optional[str] = None,
    parameters: Union[Mapping[str, Any], str, None] = None,
    exceptions: Union[_Path, Mapping[str, Any], None] = None,
    rootfs: Union[_Path, Sequence[_Path], None] = None,
    max_kb_age: Optional[int] = None,
    now: Optional[int] = None,
) -> Assessment: ...
def default_parameters() -> dict[str, Any]: ...
def update_kb(snapshot: _Path, **config: Any) -> dict[str, Any]:
    """Updates the knowledge-base snapshot from the feeds' servers (the interpreter
    released meanwhile); `config` as `exposure_update::Config::from_json` reads it
    (`sources`, `nvd_url`, `kev_url`, ..., `timeout_seconds`, `attempts`, `now`); returns the
    summary. Raises KnowledgeBaseUpdateError, the snapshot left as it was."""

@final
class Version:
    """A version of one scheme, ordered as that ecosystem's own tool orders it."""

    def __new__(cls, text: str, /, scheme: str) -> "Version": ...
    @property
    def scheme(self) -> str: ...
    def __lt__(self, other: "Version", /) -> bool: ...
    def __le__(self, other: "Version", /) -> bool: ...
    def __gt__(self, other: "Version", /) -> bool: ...
    def __ge__(self, other: "Version", /) -> bool: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class VersionRange:
    """A set of versions of one scheme: native range syntax or a vers: string."""

    def __new__(cls, text: str, /, scheme: Optional[str] = None) -> "VersionRange": ...
    @property
    def scheme(self) -> str: ...
    def __contains__(self, version: object, /) -> bool: ...
    def __or__(self, other: "VersionRange", /) -> "VersionRange": ...
    def __ror__(self, other: "VersionRange", /) -> "VersionRange": ...
    def __and__(self, other: "VersionRange", /) -> "VersionRange": ...
    def __rand__(self, other: "VersionRange", /) -> "VersionRange": ...
    def __invert__(self) -> "VersionRange": ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

def compare_versions(scheme: str, a: str, b: str) -> int: ...

@final
class Cpe:
    """A CPE 2.3 name, from a formatted string, a 2.2 URI or WFN text."""

    def __new__(cls, text: str, /) -> "Cpe": ...
    def to_fs(self) -> str: ...
    def to_uri(self) -> str: ...
    def to_wfn(self) -> str: ...
    def get(self, attribute: str) -> str: ...
    def compare(self, target: "Cpe") -> str: ...
    def matches(self, target: "Cpe") -> bool: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Applicability:
    """A CVE's applicability statement from NVD configurations (JSON 1.1 or API 2.0)."""

    def __new__(cls, configurations_json: str, /) -> "Applicability": ...
    def evaluate(self, names: list[Cpe]) -> Optional[list[dict[str, Any]]]: ...

def guess_cpe(publisher: str, name: str, version: str) -> list[tuple[str, float, str]]: ...
def name_program(publisher: str, name: str, version: str) -> dict[str, Any]: ...

@final
class Cvss:
    """A CVSS v2, v3.0, v3.1 or v4.0 vector, scored."""

    def __new__(cls, vector: str, /) -> "Cvss": ...
    @property
    def version(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def base(self) -> float: ...
    @property
    def temporal(self) -> Optional[float]: ...
    @property
    def environmental(self) -> Optional[float]: ...
    @property
    def impact(self) -> Optional[float]: ...
    @property
    def exploitability(self) -> Optional[float]: ...
    @property
    def severity(self) -> str: ...
    @property
    def nomenclature(self) -> Optional[str]: ...
    @property
    def vector(self) -> str: ...

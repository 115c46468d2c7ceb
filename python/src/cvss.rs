//! `exposure.Cvss` (and `exposure.cvss.score`): CVSS v2, v3.0, v3.1 and v4.0 vectors scored.

use crate::errors::into_pyerr;
use exposure::score::cvss::Cvss;
use pyo3::prelude::*;

/// A CVSS vector of any version, scored as the specification's reference calculator does.
///
/// >>> Cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").score
/// 9.8
#[pyclass(frozen, module = "exposure", name = "Cvss")]
pub(crate) struct PyCvss(Cvss);

#[pymethods]
impl PyCvss {
    #[new]
    #[pyo3(signature = (vector, /))]
    fn new(vector: &str) -> PyResult<Self> {
        vector.parse::<Cvss>().map(Self).map_err(into_pyerr)
    }

    /// `"2.0"`, `"3.0"`, `"3.1"` or `"4.0"`.
    #[getter]
    fn version(&self) -> &'static str {
        self.0.version()
    }

    /// The most specific score: environmental when an environmental metric is given, else
    /// temporal (threat) when one is, else base; v4's one score.
    #[getter]
    fn score(&self) -> f64 {
        self.0.score()
    }

    /// The base score (v4: its one score).
    #[getter]
    fn base(&self) -> f64 {
        self.0.base_score()
    }

    /// The temporal score (v2, v3); `None` for v4, whose threat metrics are in its score.
    #[getter]
    fn temporal(&self) -> Option<f64> {
        self.0.temporal_score()
    }

    /// The environmental score (v2, v3); `None` for v4.
    #[getter]
    fn environmental(&self) -> Option<f64> {
        self.0.environmental_score()
    }

    /// The base impact sub-score to one decimal, as NVD publishes it (v2, v3); `None` for v4.
    #[getter]
    fn impact(&self) -> Option<f64> {
        self.0.impact_subscore()
    }

    /// The base exploitability sub-score to one decimal, as NVD publishes it (v2, v3); `None`
    /// for v4.
    #[getter]
    fn exploitability(&self) -> Option<f64> {
        self.0.exploitability_subscore()
    }

    /// The severity of `score`: `"LOW"` … for v2, `"NONE"` … `"CRITICAL"` for v3 and v4.
    #[getter]
    fn severity(&self) -> &'static str {
        self.0.severity().name()
    }

    /// v4's nomenclature (`"CVSS-B"`, `"CVSS-BT"`, `"CVSS-BE"`, `"CVSS-BTE"`); `None` before.
    #[getter]
    fn nomenclature(&self) -> Option<&'static str> {
        self.0
            .nomenclature()
            .map(exposure::score::cvss::Nomenclature::name)
    }

    /// The canonical vector.
    #[getter]
    fn vector(&self) -> String {
        self.0.to_string()
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self) -> String {
        format!("Cvss({:?})", self.0.to_string())
    }
}

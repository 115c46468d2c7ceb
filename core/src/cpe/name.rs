//! The well-formed name: eleven attributes, parsed from any binding and written to each.

use super::value::Value;
use super::{CpeError, CpeErrorKind};
use std::fmt;

/// One of the eleven attributes of a CPE name, in binding order.
///
/// ```
/// use exposure::cpe::Attribute;
/// assert_eq!(Attribute::ALL[4], Attribute::Update);
/// assert_eq!(Attribute::TargetSw.name(), "target_sw");
/// assert_eq!(Attribute::from_name("sw_edition"), Some(Attribute::SwEdition));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Attribute {
    /// `a` (application), `o` (operating system) or `h` (hardware).
    Part,
    /// The maker.
    Vendor,
    /// The product.
    Product,
    /// Its version.
    Version,
    /// Update or service pack.
    Update,
    /// Legacy edition (2.2).
    Edition,
    /// User-interface language (RFC 5646 tag).
    Language,
    /// Software edition (market or class).
    SwEdition,
    /// Software environment it runs on.
    TargetSw,
    /// Instruction set it runs on.
    TargetHw,
    /// Anything else.
    Other,
}

impl Attribute {
    /// Every attribute, in the order the bindings write them.
    pub const ALL: [Attribute; 11] = [
        Attribute::Part,
        Attribute::Vendor,
        Attribute::Product,
        Attribute::Version,
        Attribute::Update,
        Attribute::Edition,
        Attribute::Language,
        Attribute::SwEdition,
        Attribute::TargetSw,
        Attribute::TargetHw,
        Attribute::Other,
    ];

    /// The attribute's name in WFN text (`sw_edition`).
    pub fn name(self) -> &'static str {
        match self {
            Attribute::Part => "part",
            Attribute::Vendor => "vendor",
            Attribute::Product => "product",
            Attribute::Version => "version",
            Attribute::Update => "update",
            Attribute::Edition => "edition",
            Attribute::Language => "language",
            Attribute::SwEdition => "sw_edition",
            Attribute::TargetSw => "target_sw",
            Attribute::TargetHw => "target_hw",
            Attribute::Other => "other",
        }
    }

    /// The attribute of a WFN attribute name.
    pub fn from_name(name: &str) -> Option<Attribute> {
        Attribute::ALL.into_iter().find(|a| a.name() == name)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// What a CPE names: an application, an operating system or hardware.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// `a`.
    Application,
    /// `o`.
    OperatingSystem,
    /// `h`.
    Hardware,
}

/// A CPE 2.3 name (a WFN, NISTIR 7695 §5).
///
/// Parse any of the three forms with [`Cpe::parse`] (or `str::parse`); write them with
/// [`Cpe::to_fs`] (also `Display`), [`Cpe::to_uri`] and [`Cpe::to_wfn`].
///
/// ```
/// use exposure::cpe::Cpe;
/// let cpe = Cpe::parse(r"cpe:/a:foo%5cbar:big%24money_2010:::~~special~ipod_touch~80gb~")?;
/// assert_eq!(cpe.to_fs(), r"cpe:2.3:a:foo\\bar:big\$money_2010:*:*:*:*:special:ipod_touch:80gb:*");
/// assert_eq!(
///     cpe.to_wfn(),
///     r#"wfn:[part="a", vendor="foo\\bar", product="big\$money_2010", version=ANY, update=ANY, edition=ANY, language=ANY, sw_edition="special", target_sw="ipod_touch", target_hw="80gb", other=ANY]"#
/// );
/// # Ok::<(), exposure::cpe::CpeError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cpe {
    /// Boxed: a name moves as one pointer (its 264 bytes inline made every move a copy).
    values: Box<[Value; 11]>,
}

impl Default for Cpe {
    /// The name whose every attribute is ANY.
    fn default() -> Self {
        Cpe {
            values: Box::new(std::array::from_fn(|_| Value::Any)),
        }
    }
}

impl Cpe {
    /// Parses a 2.3 formatted string (`cpe:2.3:…`), a 2.2 URI (`cpe:/…`) or WFN text
    /// (`wfn:[…]`), whichever the prefix says (ignoring case).
    pub fn parse(text: &str) -> Result<Cpe, CpeError> {
        let trimmed = text.trim();
        let lead = text.len() - text.trim_start().len();
        let starts = |prefix: &str| {
            trimmed.len() >= prefix.len()
                && trimmed.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
        };
        let shift =
            |e: CpeError| CpeError::new(text, e.offset() + lead, e.attribute(), e.kind().clone());
        if starts("cpe:2.3:") {
            super::formatted::parse(trimmed).map_err(shift)
        } else if starts("cpe:/") {
            super::uri::parse(trimmed).map_err(shift)
        } else if starts("wfn:[") {
            super::wfn::parse(trimmed).map_err(shift)
        } else {
            Err(CpeError::new(text, lead, None, CpeErrorKind::Prefix))
        }
    }

    /// Parses a 2.3 formatted string only.
    pub fn parse_fs(text: &str) -> Result<Cpe, CpeError> {
        super::formatted::parse(text)
    }

    /// Parses a 2.2 URI only.
    pub fn parse_uri(text: &str) -> Result<Cpe, CpeError> {
        super::uri::parse(text)
    }

    /// Parses WFN text only.
    pub fn parse_wfn(text: &str) -> Result<Cpe, CpeError> {
        super::wfn::parse(text)
    }

    /// A name from its eleven values, checking the part (`a`, `o`, `h`, ANY or NA: the
    /// formatted string's grammar, NISTIR 7695 Figure 6-3, is `part = "h" / "o" / "a" /
    /// logical`, and the other bindings unbind `-` and `NA` as NA for any attribute) and the
    /// language (NISTIR 7695's `LANGTAG`: two or three letters, then optionally `-` and two
    /// letters or three digits); a value with wildcards must be able to match such a tag
    /// (`en-*`, `e?`, but not `??8\.0`).
    pub(crate) fn from_values(values: Box<[Value; 11]>) -> Result<Cpe, (Attribute, CpeErrorKind)> {
        match &values[0] {
            Value::Any | Value::Na => {}
            Value::Text(p) => {
                if !matches!(p.as_bytes(), b"a" | b"o" | b"h") {
                    return Err((Attribute::Part, CpeErrorKind::Part));
                }
            }
        }
        if let Value::Text(tag) = &values[Attribute::Language.index()] {
            if !could_be_language_tag(tag.as_bytes()) {
                return Err((Attribute::Language, CpeErrorKind::Language));
            }
        }
        Ok(Cpe { values })
    }

    /// The value of one attribute.
    pub fn get(&self, attribute: Attribute) -> &Value {
        &self.values[attribute.index()]
    }

    /// The values of all eleven attributes, in [`Attribute::ALL`] order.
    pub fn values(&self) -> &[Value; 11] {
        &self.values
    }

    /// What the name is of, when its part says (`None` for a part that is ANY or NA).
    ///
    /// ```
    /// use exposure::cpe::{Cpe, Part};
    /// let any: Cpe = "cpe:2.3:*:microsoft:ie:8.0:*:*:*:*:*:*:*".parse()?;
    /// let na: Cpe = "cpe:2.3:-:microsoft:ie:8.0:*:*:*:*:*:*:*".parse()?;
    /// assert_eq!(any.part(), None);
    /// assert_eq!(na.part(), None);
    /// assert_eq!(na.to_uri(), "cpe:/-:microsoft:ie:8.0");
    /// # Ok::<(), exposure::cpe::CpeError>(())
    /// ```
    pub fn part(&self) -> Option<Part> {
        match self.values[0].wfn_bytes() {
            Some(b"a") => Some(Part::Application),
            Some(b"o") => Some(Part::OperatingSystem),
            Some(b"h") => Some(Part::Hardware),
            _ => None,
        }
    }

    /// The same name with one attribute replaced (for building names from inventories).
    ///
    /// ```
    /// use exposure::cpe::{Attribute, Cpe, Value};
    /// let rule: Cpe = "cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*".parse()?;
    /// let installed = rule.with(Attribute::Version, Value::Text("9\\.3".into()));
    /// assert_eq!(installed.to_fs(), "cpe:2.3:a:openbsd:openssh:9.3:*:*:*:*:*:*:*");
    /// # Ok::<(), exposure::cpe::CpeError>(())
    /// ```
    #[must_use]
    pub fn with(&self, attribute: Attribute, value: Value) -> Cpe {
        let mut out = self.clone();
        out.values[attribute.index()] = value;
        out
    }

    /// The name in `binding`.
    ///
    /// ```
    /// use exposure::cpe::{Binding, Cpe};
    /// let ie: Cpe = "cpe:2.3:a:microsoft:internet_explorer:8.0:*:*:*:*:*:*:*".parse()?;
    /// assert_eq!(ie.to_binding(Binding::Uri), "cpe:/a:microsoft:internet_explorer:8.0");
    /// assert_eq!(Binding::from_name("wfn"), Some(Binding::Wfn));
    /// # Ok::<(), exposure::cpe::CpeError>(())
    /// ```
    pub fn to_binding(&self, binding: Binding) -> String {
        match binding {
            Binding::Fs => self.to_fs(),
            Binding::Uri => self.to_uri(),
            Binding::Wfn => self.to_wfn(),
        }
    }

    /// The 2.3 formatted string, canonical: lower case, quoting only where needed.
    pub fn to_fs(&self) -> String {
        super::formatted::bind(self)
    }

    /// The 2.2 URI binding (NISTIR 7695 §6.1.2).
    pub fn to_uri(&self) -> String {
        super::uri::bind(self)
    }

    /// The WFN text: all eleven attributes, string values in double quotes.
    pub fn to_wfn(&self) -> String {
        super::wfn::bind(self)
    }
}

/// Whether a language value (WFN form) is, or as a pattern can match, a tag of the form
/// `2*3ALPHA ["-" (2ALPHA / 3DIGIT)]`: every shape of tag is tried against the pattern's
/// leading and trailing wildcards and its literal middle.
fn could_be_language_tag(bytes: &[u8]) -> bool {
    // Leading wildcards: `*` (any number) or a count of `?`.
    let (mut lead, mut lead_star) = (0, false);
    let mut i = 0;
    if bytes.first() == Some(&b'*') {
        lead_star = true;
        i = 1;
    } else {
        while bytes.get(i) == Some(&b'?') {
            lead += 1;
            i += 1;
        }
    }
    let mut body = Vec::with_capacity(bytes.len());
    let (mut trail, mut trail_star) = (0, false);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                body.extend(bytes.get(i + 1));
                i += 2;
            }
            b'*' => {
                trail_star = true;
                i += 1;
            }
            b'?' => {
                trail += 1;
                i += 1;
            }
            b => {
                body.push(b);
                i += 1;
            }
        }
    }
    // Each shape of tag as classes: `a` a letter, `0` a digit, `-` itself.
    let shapes: [&[u8]; 6] = [b"aa", b"aaa", b"aa-aa", b"aaa-aa", b"aa-000", b"aaa-000"];
    let fits = |class: u8, c: u8| match class {
        b'a' => c.is_ascii_lowercase(),
        b'0' => c.is_ascii_digit(),
        _ => c == class,
    };
    shapes.iter().any(|shape| {
        shape.len() >= body.len()
            && (0..=shape.len() - body.len()).any(|at| {
                let end = at + body.len();
                (lead_star || at == lead)
                    && (trail_star || shape.len() - end == trail)
                    && body
                        .iter()
                        .zip(&shape[at..end])
                        .all(|(&c, &class)| fits(class, c))
            })
    })
}

impl fmt::Display for Cpe {
    /// The canonical formatted string.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_fs())
    }
}

impl std::str::FromStr for Cpe {
    type Err = CpeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Cpe::parse(s)
    }
}

/// A CPE binding: how a name is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Binding {
    /// The 2.3 formatted string (canonical): `cpe:2.3:a:vendor:product:…`.
    Fs,
    /// The 2.2 URI: `cpe:/a:vendor:product`.
    Uri,
    /// Well-formed name text: `wfn:[part="a",vendor="…"]`.
    Wfn,
}

impl Binding {
    /// Every binding.
    pub const ALL: [Binding; 3] = [Binding::Fs, Binding::Uri, Binding::Wfn];

    /// The short name: `fs`, `uri`, `wfn`.
    pub fn name(self) -> &'static str {
        match self {
            Binding::Fs => "fs",
            Binding::Uri => "uri",
            Binding::Wfn => "wfn",
        }
    }

    /// The binding with this short name (`fs`, `uri`, `wfn`).
    pub fn from_name(name: &str) -> Option<Binding> {
        Self::ALL.into_iter().find(|b| b.name() == name)
    }
}

//! Instants as the store keeps them: RFC 3339 text in UTC, given by the caller.

use std::fmt;

use exposure::date::Date;

/// An instant in UTC, `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (RFC 3339). The store never reads
/// the clock: callers pass the time, as they pass core its as-of day.
///
/// `+00:00` is accepted for `Z` and a lowercase `t`/`z` for `T`/`Z`; the stored text is
/// normalised to `T` and `Z`. Other offsets are rejected rather than converted.
///
/// ```
/// use exposure_store::Timestamp;
/// let t: Timestamp = "2026-12-05T00:48:16.25+00:00".parse()?;
/// assert_eq!(t.as_str(), "2026-12-05T00:48:16.25Z");
/// assert_eq!(t.date().to_string(), "2026-12-05");
/// assert!("2026-12-05T01:48:16+01:00".parse::<Timestamp>().is_err());
/// # Ok::<(), exposure_store::TimestampError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    text: String,
    date: Date,
}

/// A text that is not an RFC 3339 UTC timestamp.
///
/// ```
/// use exposure_store::Timestamp;
/// let e = "yesterday".parse::<Timestamp>().unwrap_err();
/// assert_eq!(e.0, "yesterday");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an RFC 3339 UTC timestamp (YYYY-MM-DDTHH:MM:SS[.fraction]Z)")]
pub struct TimestampError(pub String);

impl Timestamp {
    /// The instant `seconds` after 1970-01-01T00:00:00Z — as a caller turns a clock
    /// reading into a timestamp.
    ///
    /// ```
    /// use exposure_store::Timestamp;
    /// assert_eq!(Timestamp::from_unix_seconds(1_764_895_696).as_str(), "2025-12-05T00:48:16Z");
    /// ```
    pub fn from_unix_seconds(seconds: i64) -> Timestamp {
        let date = Date::from_days_since_epoch(seconds.div_euclid(86_400));
        let second_of_day = seconds.rem_euclid(86_400);
        let text = format!(
            "{date}T{:02}:{:02}:{:02}Z",
            second_of_day / 3600,
            second_of_day / 60 % 60,
            second_of_day % 60
        );
        Timestamp { text, date }
    }

    /// The normalised text, as stored.
    ///
    /// ```
    /// use exposure_store::Timestamp;
    /// let t: Timestamp = "2026-01-02t03:04:05z".parse()?;
    /// assert_eq!(t.as_str(), "2026-01-02T03:04:05Z");
    /// # Ok::<(), exposure_store::TimestampError>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The calendar day (UTC) of the instant.
    ///
    /// ```
    /// use exposure_store::Timestamp;
    /// let t: Timestamp = "2026-01-02T23:59:59Z".parse()?;
    /// assert_eq!(t.date().to_string(), "2026-01-02");
    /// # Ok::<(), exposure_store::TimestampError>(())
    /// ```
    pub fn date(&self) -> Date {
        self.date
    }
}

impl std::str::FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(text: &str) -> Result<Timestamp, TimestampError> {
        let wrong = || TimestampError(text.to_owned());
        let bytes = text.as_bytes();
        if bytes.len() < 20 || !matches!(bytes[10], b'T' | b't') {
            return Err(wrong());
        }
        let date: Date = text
            .get(..10)
            .ok_or_else(wrong)?
            .parse()
            .map_err(|_| wrong())?;
        let clock = &bytes[11..19];
        let digits = [0, 1, 3, 4, 6, 7]
            .iter()
            .all(|&i| clock[i].is_ascii_digit());
        if !digits || clock[2] != b':' || clock[5] != b':' {
            return Err(wrong());
        }
        let two = |i: usize| u32::from(clock[i] - b'0') * 10 + u32::from(clock[i + 1] - b'0');
        // 60: a leap second, as RFC 3339 allows.
        if two(0) > 23 || two(3) > 59 || two(6) > 60 {
            return Err(wrong());
        }
        let mut rest = &text[19..];
        let mut fraction = "";
        if let Some(after_dot) = rest.strip_prefix('.') {
            let n = after_dot.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 || n > 9 {
                return Err(wrong());
            }
            fraction = &rest[..=n];
            rest = &after_dot[n..];
        }
        if !matches!(rest, "Z" | "z" | "+00:00") {
            return Err(wrong());
        }
        Ok(Timestamp {
            text: format!("{}T{}{fraction}Z", &text[..10], &text[11..19]),
            date,
        })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

//! Calendar dates (`YYYY-MM-DD`, proleptic Gregorian) as the model reads them: the day an
//! assessment is made "as of", the day software was last used, an end-of-support date. Core
//! never reads the clock: the caller says what day it is.

use std::fmt;

/// A calendar day, stored as days since 1970-01-01.
///
/// ```
/// use exposure::date::Date;
/// let a: Date = "2024-02-28".parse()?;
/// let b: Date = "2024-03-01".parse()?;
/// assert_eq!(a.days_until(b), 2); // 2024 is a leap year
/// assert_eq!(b.to_string(), "2024-03-01");
/// assert!("2023-02-29".parse::<Date>().is_err());
/// # Ok::<(), exposure::date::DateError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    days: i64,
}

/// A text that is not a real `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a date YYYY-MM-DD")]
pub struct DateError(pub String);

impl Date {
    /// The date of `year`, `month` (1–12) and `day` (1–31), if it exists.
    ///
    /// ```
    /// use exposure::date::Date;
    /// assert_eq!(Date::from_ymd(1970, 1, 1).map(|d| d.days_since_epoch()), Some(0));
    /// assert!(Date::from_ymd(2025, 2, 29).is_none());
    /// ```
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Option<Date> {
        let length = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
            2 => 28,
            _ => return None,
        };
        if day == 0 || day > length {
            return None;
        }
        // Days from civil (H. Hinnant's algorithm): eras of 400 years of 146,097 days.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let year_of_era = y - era * 400;
        let m = i64::from(month);
        let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        Some(Date {
            days: era * 146_097 + day_of_era - 719_468,
        })
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days_since_epoch(self) -> i64 {
        self.days
    }

    /// The date `days` after 1970-01-01 — as a caller turns a clock reading into today.
    ///
    /// ```
    /// use exposure::date::Date;
    /// assert_eq!(Date::from_days_since_epoch(20_426).to_string(), "2025-12-04");
    /// ```
    pub fn from_days_since_epoch(days: i64) -> Date {
        Date { days }
    }

    /// The number of days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days - self.days
    }

    /// Year, month and day.
    pub fn ymd(self) -> (i64, u32, u32) {
        let z = self.days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        // Both are small by construction (1–12, 1–31).
        (
            year,
            u32::try_from(month).unwrap_or(1),
            u32::try_from(day).unwrap_or(1),
        )
    }
}

impl std::str::FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Date, DateError> {
        let wrong = || DateError(text.to_owned());
        let bytes = text.as_bytes();
        let well_formed = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !well_formed {
            return Err(wrong());
        }
        let number =
            |range: std::ops::Range<usize>| text[range].parse::<u32>().map_err(|_| wrong());
        Date::from_ymd(i64::from(number(0..4)?), number(5..7)?, number(8..10)?).ok_or_else(wrong)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.ymd();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn days_and_text_round_trip(days in -800_000i64..800_000) {
            let date = Date::from_days_since_epoch(days);
            let (year, month, day) = date.ymd();
            prop_assume!((0..=9999).contains(&year));
            prop_assert_eq!(Date::from_ymd(year, month, day), Some(date));
            prop_assert_eq!(date.to_string().parse::<Date>(), Ok(date));
        }
    }

    #[test]
    fn known_days() {
        for (text, days) in [
            ("1970-01-01", 0),
            ("2000-03-01", 11_017),
            ("2026-12-04", 20_791),
        ] {
            assert_eq!(
                text.parse::<Date>().map(Date::days_since_epoch),
                Ok(days),
                "{text}"
            );
        }
        for bad in [
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "26-01-01",
            "2026/01/01",
            "2026-01-1x",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }
}

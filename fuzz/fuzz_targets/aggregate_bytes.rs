#![no_main]
use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|data: &[u8]| -> Corpus {
    if data.len() > exposure_fuzz::MAX_INPUT {
        return Corpus::Reject;
    }
    exposure_fuzz::aggregate_bytes(data);
    Corpus::Keep
});

// RAII wrappers of the exposure C API for C++17: every handle in a std::unique_ptr with its
// own _free as deleter, and every failure thrown as exposure::error carrying the status and
// the library's message. Header-only; link libexposure as for C. An example, not part of the
// library's ABI: copy it and extend it as the C API grows.
#pragma once

#include <exposure.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace exposure {

// One deleter type per handle: unique_ptr<T, deleter<F>> frees with F (each _free takes NULL).
template <auto Free>
struct deleter {
    template <typename T>
    void operator()(T *p) const noexcept { Free(p); }
};

using inputs_ptr = std::unique_ptr<exposure_inputs, deleter<exposure_inputs_free>>;
using engine_ptr = std::unique_ptr<exposure_engine, deleter<exposure_engine_free>>;
using string_ptr = std::unique_ptr<exposure_string, deleter<exposure_string_free>>;
using error_ptr = std::unique_ptr<exposure_error, deleter<exposure_error_free>>;

// A failed call: the status it returned, its name and the library's message.
class error : public std::runtime_error {
public:
    error(exposure_status status, const std::string &message)
        : std::runtime_error(name(status) + ": " + message), status_(status) {}
    exposure_status status() const noexcept { return status_; }

private:
    static std::string name(exposure_status status) {
        const char *n = exposure_status_str(status);
        return n ? n : "status " + std::to_string(static_cast<std::uint32_t>(status));
    }
    exposure_status status_;
};

// Calls a C function whose last argument is `exposure_error **err`; throws on failure.
template <typename F, typename... Args>
void check(F function, Args... args) {
    exposure_error *raw = nullptr;
    exposure_status status = function(args..., &raw);
    error_ptr err(raw);
    if (status != EXPOSURE_STATUS_OK) {
        const char *message = err ? exposure_error_message(err.get()) : nullptr;
        throw error(status, message ? message : "");
    }
}

// An owned result as a std::string (JSON, or the bytes of a binary record).
inline std::string take(exposure_string *raw) {
    string_ptr s(raw);
    return std::string(exposure_string_ptr(s.get()), exposure_string_len(s.get()));
}

// What one assessment reads; each setter returns *this, and assess() the assessment's JSON.
class inputs {
public:
    inputs() {
        exposure_inputs *raw = nullptr;
        check(exposure_inputs_new, &raw);
        handle_.reset(raw);
    }
    inputs &demo(bool on = true) {
        check(exposure_inputs_set_demo, handle_.get(), on);
        return *this;
    }
    inputs &knowledge(std::string_view path) {
        check(exposure_inputs_add_knowledge_path, handle_.get(), path.data(), path.size());
        return *this;
    }
    inputs &inventory(std::string_view path) {
        check(exposure_inputs_add_inventory_path, handle_.get(), path.data(), path.size());
        return *this;
    }
    // An inventory in memory, of any format (gzip and UTF-16LE included).
    inputs &inventory_bytes(std::string_view bytes, std::string_view origin) {
        check(exposure_inputs_add_inventory, handle_.get(), reinterpret_cast<const std::uint8_t *>(bytes.data()), bytes.size(),
              origin.data(), origin.size());
        return *this;
    }
    inputs &distro(std::string_view name) {
        check(exposure_inputs_set_distro, handle_.get(), name.data(), name.size());
        return *this;
    }
    inputs &as_of(std::string_view day) {
        check(exposure_inputs_set_as_of, handle_.get(), day.data(), day.size());
        return *this;
    }
    inputs &allow_partial(bool on = true) {
        check(exposure_inputs_set_allow_partial, handle_.get(), on);
        return *this;
    }
    std::string assess() const {
        exposure_string *out = nullptr;
        check(exposure_inputs_assess_json, static_cast<const exposure_inputs *>(handle_.get()), &out);
        return take(out);
    }
    const exposure_inputs *get() const noexcept { return handle_.get(); }

private:
    inputs_ptr handle_;
};

}  // namespace exposure

// The C API through RAII wrappers (exposure.hpp): `assess_cpp [KB INVENTORY...]` prints the
// assessment's organisation score line; with no argument the embedded demo. A failure is an
// exception carrying the status and the message (exit status 1); nothing leaks either way.
#include "exposure.hpp"

#include <iostream>

int main(int argc, char **argv) {
    try {
        exposure::inputs in;
        if (argc < 3) {
            in.demo();
        } else {
            in.knowledge(argv[1]);
            for (int i = 2; i < argc; i++) in.inventory(argv[i]);
        }
        std::string json = in.as_of("2026-12-04").assess();
        auto at = json.find("\"organisation\":");
        std::cout << json.substr(at, json.find('}', at) - at + 1) << "\n";
        // A refused call throws, with the status the C API returned.
        try {
            exposure::inputs().as_of("2026-02-30");
            std::cerr << "an impossible day was accepted\n";
            return 1;
        } catch (const exposure::error &e) {
            if (e.status() != EXPOSURE_STATUS_INVALID_DATE) throw;
            std::cout << "refused: " << e.what() << "\n";
        }
        return 0;
    } catch (const exposure::error &e) {
        std::cerr << "assess_cpp: " << e.what() << "\n";
        return 1;
    }
}

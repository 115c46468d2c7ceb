// Compiles the public header as C++ (with -Wall -Wextra -Werror) so it stays C++-clean.
#include "exposure.h"

int main() {
    exposure_status status = EXPOSURE_STATUS_OK;
    // Enum parameters are uint32_t: the named constants of the header's enums still pass.
    exposure_version *v = 0;
    exposure_status parsed = exposure_version_parse(EXPOSURE_SCHEME_DEB, "1.0", 3, &v, 0);
    exposure_version_free(v);
    return status == EXPOSURE_STATUS_OK && parsed == EXPOSURE_STATUS_OK && exposure_abi_version() == EXPOSURE_ABI_VERSION ? 0 : 1;
}

// Compiles the public header as C++ (with -Wall -Wextra -Werror) so it stays C++-clean.
#include "exposure.h"

int main() {
    exposure_status status = EXPOSURE_STATUS_OK;
    return status == EXPOSURE_STATUS_OK && exposure_abi_version() == EXPOSURE_ABI_VERSION ? 0 : 1;
}

// The C module is header-only; this file gives SwiftPM a compilation unit.
#include "CCPUID.h"

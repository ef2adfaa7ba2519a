/* umockdev's testbed API, for the Discovery tests that run under umockdev-wrapper. */
#include <umockdev.h>

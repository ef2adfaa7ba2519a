/* libudev (systemd) for the discovery code in InfusionDaemon/Discovery. */
#include <libudev.h>

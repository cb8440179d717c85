/* Copra release version. */
#ifndef COPRA_VERSION_H
#define COPRA_VERSION_H

#define COPRA_VERSION "0.1.0"

#endif

# Devices under /dev/: the const registry file_open() consults.
kernel-y += kernel/dev/dev.c

# The kernel side of the vTPM (docs/vtpm.md): the service channel and
# /dev/vtpm, command forwarding, the mssim transport on COM2/COM3.
kernel-y += kernel/vtpm/vtpm.c kernel/vtpm/command.c kernel/vtpm/mssim.c kernel/vtpm/serial.c

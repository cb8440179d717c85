# Platform back ends: all three are built into every image.
kernel-y += platform/native/native.c platform/native/pit.c platform/native/smp.c platform/native/fwcfg.c \
	platform/sev/sev.c platform/tdx/tdx.c

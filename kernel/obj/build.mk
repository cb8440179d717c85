# Event, channel and memory objects, and the user mapping list they rely on
# (kernel/obj/object.c, log.c and file.c are listed in kernel/build.mk).
kernel-y += kernel/obj/event.c kernel/obj/channel.c kernel/obj/channel_sys.c \
	kernel/obj/memory.c kernel/user/vma.c

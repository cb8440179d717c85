# kernel/fs: the RAM filesystem and the user-program archive it is unpacked
# from. The archive parser is pure (also linked into igvmtool for `pack`).
# Tests go to ktest-y and HOST_UNIT_SRCS_EXTRA directly: tests/build.mk,
# included after this fragment, assigns unit-both/unit-host with ':='.
kernel-y += kernel/fs/archive.c
ktest-y += tests/unit/archive_test.c
HOST_UNIT_SRCS_EXTRA += kernel/fs/archive.c tests/unit/archive_test.c
FUZZ_TARGETS += archive
FUZZ_SRCS_archive := tests/fuzz/archive_fuzz.c kernel/fs/archive.c
# The RAM filesystem (host tests only: they reset global state).
kernel-y += kernel/fs/ramfs.c kernel/fs/ramfs_data.c kernel/fs/ramfs_unpack.c
HOST_UNIT_SRCS_EXTRA += kernel/fs/ramfs.c kernel/fs/ramfs_data.c kernel/fs/ramfs_unpack.c \
	tests/unit/ramfs_test.c tests/unit/ramfs_rename_test.c tests/unit/ramfs_unpack_test.c

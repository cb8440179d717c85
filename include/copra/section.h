/*
 * Section placement markers: __ro_after_init data becomes read-only once
 * boot is complete; __init code is unmapped after boot.
 */
#ifndef COPRA_SECTION_H
#define COPRA_SECTION_H

#define __ro_after_init __attribute__((section(".data.ro_after_init")))
#define __init __attribute__((section(".init.text"), noinline))

#endif

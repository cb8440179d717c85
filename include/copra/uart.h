/*
 * 16550-compatible serial ports, polled (no interrupts). COM1 carries the
 * console; on the native platform COM2 and COM3 carry the vTPM's mssim
 * transport (design.md §7.2). All access goes through the platform's port
 * I/O. The receive and transmit helpers never block: callers that must wait
 * decide how (the console spins briefly, the vTPM transport sleeps).
 */
#ifndef COPRA_UART_H
#define COPRA_UART_H

#include <copra/types.h>

#define UART_COM1 0x3F8
#define UART_COM2 0x2F8
#define UART_COM3 0x3E8
#define UART_COM4 0x2E8
#define UART_FIFO_SIZE 16u

/* 115200 8N1, FIFOs on and cleared, no interrupts. */
void uart_init(u16 port);
/* A 16550 answers at port (scratch register round trip; an absent port reads 0xFF). */
bool uart_present(u16 port);
/* Console output: waits a bounded time for room, then writes one byte. */
void uart_putc(u16 port, char c);
/* Takes the bytes received so far, at most cap; never waits. */
size_t uart_read(u16 port, u8 *buf, size_t cap);
/* Writes up to one FIFO's worth of buf when the transmitter is empty; bytes taken. */
size_t uart_write_some(u16 port, const u8 *buf, size_t n);

#endif

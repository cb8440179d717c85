/* 16550-compatible serial port driver (polled). */
#ifndef COPRA_UART_H
#define COPRA_UART_H

#include <copra/types.h>

void uart_init(u16 port);
void uart_putc(u16 port, char c);

#endif

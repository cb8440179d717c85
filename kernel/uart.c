/* 16550 UART output for the console, through the platform's port I/O. */
#include <copra/uart.h>
#include <platform/platform.h>

#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LSR_THRE 0x20

void uart_init(u16 port)
{
	platform_outb(port + UART_IER, 0x00);  /* no interrupts */
	platform_outb(port + UART_LCR, 0x80);  /* DLAB */
	platform_outb(port + 0, 0x01);         /* 115200 baud */
	platform_outb(port + 1, 0x00);
	platform_outb(port + UART_LCR, 0x03);  /* 8N1 */
	platform_outb(port + UART_FCR, 0xC7);  /* FIFO on, cleared */
	platform_outb(port + UART_MCR, 0x03);  /* DTR, RTS */
}

void uart_putc(u16 port, char c)
{
	unsigned spins = 0;

	while (!(platform_inb(port + UART_LSR) & UART_LSR_THRE) && ++spins < 100000)
		;
	platform_outb(port + UART_THR, (u8)c);
}

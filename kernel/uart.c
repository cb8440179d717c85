/*
 * 16550 UART driver (include/copra/uart.h): polled, through the platform's
 * port I/O. Used by the console (COM1) and the vTPM's serial transport.
 */
#include <copra/uart.h>
#include <platform/platform.h>

#define UART_RBR 0    /* receive buffer (read) */
#define UART_THR 0    /* transmit holding (write) */
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7
#define UART_LSR_DR 0x01
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

bool uart_present(u16 port)
{
	static const u8 patterns[] = { 0x5A, 0xA5 };
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(patterns); i++) {
		platform_outb(port + UART_SCR, patterns[i]);
		if (platform_inb(port + UART_SCR) != patterns[i])
			return false;
	}
	return platform_inb(port + UART_LSR) != 0xFF;
}

void uart_putc(u16 port, char c)
{
	unsigned spins = 0;

	while (!(platform_inb(port + UART_LSR) & UART_LSR_THRE) && ++spins < 100000)
		;
	platform_outb(port + UART_THR, (u8)c);
}

size_t uart_read(u16 port, u8 *buf, size_t cap)
{
	size_t n = 0;

	while (n < cap && (platform_inb(port + UART_LSR) & UART_LSR_DR))
		buf[n++] = platform_inb(port + UART_RBR);
	return n;
}

size_t uart_write_some(u16 port, const u8 *buf, size_t n)
{
	size_t i;

	if (!(platform_inb(port + UART_LSR) & UART_LSR_THRE))
		return 0;
	n = MIN(n, (size_t)UART_FIFO_SIZE);
	for (i = 0; i < n; i++)
		platform_outb(port + UART_THR, buf[i]);
	return n;
}

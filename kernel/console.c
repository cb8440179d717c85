/* The console: serializes writers and turns "\n" into CR LF on the UART. */
#include <copra/console.h>
#include <copra/spinlock.h>
#include <copra/uart.h>

static u16 console_port;
static spinlock_t console_lock = SPINLOCK_INIT;

void console_init(u16 port)
{
	console_port = port;
	if (port)
		uart_init(port);
}

void console_write_unlocked(const char *s, size_t n)
{
	size_t i;

	if (!console_port)
		return;
	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc(console_port, '\r');
		uart_putc(console_port, s[i]);
	}
}

void console_write(const char *s, size_t n)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);

	console_write_unlocked(s, n);
	spin_unlock_irqrestore(&console_lock, flags);
}
